import { queryFromInfo } from "@pothos/plugin-prisma";
import { vendorOf } from "../../domain/auth/actor.js";
import {
  FACET_FIELDS,
  type Facet,
  type FacetField,
  planSearch,
  searchCount,
  searchFacets,
  searchPage,
} from "../../domain/search/search.js";
import { SUGGEST_DEFAULT_LIMIT, type Suggestion, suggest } from "../../domain/search/suggest.js";
import type { CatalogEntity as CatalogEntityRow } from "../../generated/prisma/client.js";
import { builder } from "../builder.js";
import { FIELD_COSTS, searchComplexity } from "../complexity.js";
import { offsetConnection } from "../pagination.js";
import { CatalogEntity, CatalogEntityStatusEnum, seesUnpublished } from "./catalog.js";

const SearchFacetFieldEnum = builder.enumType("SearchFacetField", { values: FACET_FIELDS });

const SearchHit = builder.objectRef<{ score: number; entity: CatalogEntityRow }>("SearchHit").implement({
  description: "One search result.",
  fields: (t) => ({
    score: t.exposeFloat("score", {
      description:
        "Relevance (ts_rank over weighted titles, SKUs/brands/categories, SEO text, descriptions); 0 without a query.",
    }),
    entity: t.field({ type: CatalogEntity, resolve: (hit) => hit.entity }),
  }),
});

const SearchFacetValue = builder.objectRef<Facet["values"][number]>("SearchFacetValue").implement({
  fields: (t) => ({
    value: t.exposeString("value", { description: "The type or status, or the brand or category id." }),
    label: t.exposeString("label", { nullable: true, description: "The brand or category name." }),
    count: t.exposeInt("count", { description: "Hits with this value, over all pages." }),
  }),
});

const SearchFacet = builder.objectRef<Facet>("SearchFacet").implement({
  fields: (t) => ({
    field: t.field({ type: SearchFacetFieldEnum, resolve: (facet) => facet.field }),
    values: t.field({ type: [SearchFacetValue], resolve: (facet) => facet.values }),
  }),
});

const SearchSuggestion = builder.objectRef<Suggestion>("SearchSuggestion").implement({
  fields: (t) => ({
    text: t.exposeString("text", { description: "The matching title." }),
    locale: t.exposeString("locale", { description: "The locale of that title." }),
    entityId: t.exposeID("entityId"),
    slug: t.exposeString("slug"),
    type: t.exposeString("type"),
  }),
});

const SearchFilters = builder.inputType("SearchFilters", {
  fields: (t) => ({
    type: t.string({ description: "Entity type (product, digitalDownload, ...)." }),
    category: t.string({ description: "Category id or slug." }),
    brand: t.string({ description: "Brand id or slug." }),
    status: t.field({
      type: CatalogEntityStatusEnum,
      description: "Merchants only; the public finds active entities.",
    }),
    locale: t.string({ description: "Language of the query, for stemming (default: the store's default locale)." }),
  }),
});

interface SearchConnectionExtras {
  totalCount: () => Promise<number>;
  facets: (fields: readonly FacetField[]) => Promise<Facet[]>;
  correctedQuery: string | null;
}

builder.queryFields((t) => ({
  search: t.connection(
    {
      type: SearchHit,
      complexity: searchComplexity,
      description:
        "Full-text search over the catalog: titles, descriptions and SEO text in every locale, SKUs, brand and " +
        "category names. Best match first; without `query`, every entity the filters allow, newest first. " +
        "Anonymous callers find active entities only; callers with catalog:read find drafts too.",
      args: {
        query: t.arg.string({
          description: 'Words, "a phrase", or, -excluded. Typos are corrected when nothing matches.',
        }),
        filters: t.arg({ type: SearchFilters }),
      },
      resolve: async (_root, args, ctx, info) => {
        const f = args.filters ?? {};
        const plan = await planSearch(
          ctx.prisma,
          { storeId: ctx.storeId, seeUnpublished: seesUnpublished(ctx), vendorId: vendorOf(ctx.actor) },
          { query: args.query, type: f.type, category: f.category, brand: f.brand, status: f.status, locale: f.locale },
        );
        const connection = await offsetConnection(
          args,
          { ctx, list: "Query.search" },
          async (page) => {
            const hits = await searchPage(ctx.prisma, plan, page);
            if (!hits.length) return [];
            // The entities of the page in one query, planned from the selection under edges.node.entity.
            const entities = await ctx.prisma.catalogEntity.findMany({
              ...queryFromInfo({ context: ctx, info, path: ["edges", "node", "entity"], typeName: "CatalogEntity" }),
              where: { id: { in: hits.map((hit) => hit.id) } },
            });
            const byId = new Map(entities.map((entity) => [entity.id, entity]));
            return hits.flatMap((hit) => {
              const entity = byId.get(hit.id);
              return entity ? [{ score: hit.score, entity }] : [];
            });
          },
          () => searchCount(ctx.prisma, plan),
        );
        const extras: SearchConnectionExtras = {
          totalCount: connection.totalCount,
          facets: (fields) => searchFacets(ctx.prisma, plan, fields),
          correctedQuery: plan.correctedQuery,
        };
        return { ...connection, ...extras };
      },
    },
    {
      name: "SearchResultConnection",
      fields: (t) => ({
        totalCount: t.int({
          description: "How many hits the search has, across all pages.",
          resolve: (connection) => (connection as unknown as SearchConnectionExtras).totalCount(),
        }),
        facets: t.field({
          type: [SearchFacet],
          description:
            "Hit counts per value of each facet, over all hits (not one page); most frequent first, at most 100 values.",
          args: { fields: t.arg({ type: [SearchFacetFieldEnum], required: true }) },
          resolve: (connection, args) => (connection as unknown as SearchConnectionExtras).facets(args.fields),
        }),
        correctedQuery: t.string({
          nullable: true,
          description:
            "Set when nothing matched the query as typed and typos were corrected: the query that was searched.",
          resolve: (connection) => (connection as unknown as SearchConnectionExtras).correctedQuery,
        }),
      }),
    },
  ),
  searchSuggestions: t.field({
    type: [SearchSuggestion],
    complexity: FIELD_COSTS.searchSuggestions,
    description: "Autocomplete: entity titles whose words start with the typed words, best first.",
    args: {
      prefix: t.arg.string({ required: true }),
      type: t.arg.string({ description: "Entity type." }),
      locale: t.arg.string({ description: "Preferred locale of the titles (default: the store's default locale)." }),
      limit: t.arg.int({ defaultValue: SUGGEST_DEFAULT_LIMIT, description: "At most 50." }),
    },
    resolve: (_root, args, ctx) =>
      suggest(
        ctx.prisma,
        { storeId: ctx.storeId, seeUnpublished: seesUnpublished(ctx), vendorId: vendorOf(ctx.actor) },
        args,
      ),
  }),
}));
