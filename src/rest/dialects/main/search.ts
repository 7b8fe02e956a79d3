import { ENTITY_STATUSES } from "../../../domain/catalog/entities.js";
import { ValidationError } from "../../../domain/errors.js";
import { FACET_FIELDS, SEARCH_QUERY_MAX } from "../../../domain/search/search.js";
import { SUGGEST_DEFAULT_LIMIT, SUGGEST_MAX_LIMIT } from "../../../domain/search/suggest.js";
import { INCLUDE_VARIABLES } from "./fragments.js";
import { INCLUDABLE, includeVariables } from "./include.js";
import { route } from "./route.js";

const tag = "Search";

/** `facets=type,brand` -> `["type", "brand"]`; an unknown name is a 422. */
function facetsVariable(facets: string | undefined): string[] {
  const names = [
    ...new Set(
      (facets ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  for (const name of names) {
    if (!(FACET_FIELDS as readonly string[]).includes(name)) {
      throw ValidationError.field(
        "facets",
        "invalid_value",
        `Unknown facet "${name}"; expected any of ${FACET_FIELDS.join(", ")}.`,
      );
    }
  }
  return names;
}

/** An optional integer query parameter; anything else is a 422 naming it. */
function integerParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw ValidationError.field(name, "invalid", `${name} must be an integer >= 1.`);
  return n;
}

export const searchRoutes = [
  route({
    method: "GET",
    path: "/search",
    summary: "Full-text search across catalog entities",
    tag,
    description:
      "Searches titles, descriptions and SEO fields in every locale, SKUs, brand and category names; best match " +
      "first (titles weigh most, then SKUs, brand and category names and SEO titles, then SEO descriptions, then " +
      'descriptions). `q` takes words, "phrases", `or` and `-excluded` words; when nothing matches as typed, words ' +
      "match as prefixes, then (if the database has pg_trgm) typos are corrected and `meta.correctedQuery` says what " +
      "was searched. Without `q`, every entity the filters allow, newest first. Anonymous callers find active " +
      "entities only. Each hit is `{ score, entity }`; the entity has its attributes, and `include` adds more. " +
      "`meta` has `total`, `page`, `limit`, `facets` (per requested field: `[{ value, label, count }]` over all " +
      "hits, not the page) and `pagination`.",
    paginated: true,
    query: {
      q: {
        type: "string",
        maxLength: SEARCH_QUERY_MAX,
        description: `Search query (at most ${SEARCH_QUERY_MAX} characters).`,
        example: "blue widget",
      },
      type: { type: "string", maxLength: 40, description: "Filter by entity type (product, digitalDownload, ...)." },
      category: { type: "string", maxLength: 200, description: "Filter by category (id or slug)." },
      brand: { type: "string", maxLength: 200, description: "Filter by brand (id or slug)." },
      status: {
        type: "string",
        enum: ENTITY_STATUSES,
        description: "Filter by status (merchants with catalog access).",
      },
      locale: {
        type: "string",
        maxLength: 35,
        description: "Language of the query, for stemming (default: the store's default locale).",
      },
      facets: {
        type: "string",
        description: `Comma-separated facet fields to count: ${FACET_FIELDS.join(", ")}.`,
        example: "type,brand",
      },
      include: {
        type: "string",
        description: `Comma-separated relations to embed in each entity besides attributes: ${INCLUDABLE.join(", ")}.`,
      },
    },
    operation: `query (${INCLUDE_VARIABLES}, $first: Int, $after: String, $query: String, $filters: SearchFilters,
        $facets: [SearchFacetField!]! = [], $withFacets: Boolean! = false) {
      search(first: $first, after: $after, query: $query, filters: $filters) {
        totalCount correctedQuery
        facets(fields: $facets) @include(if: $withFacets) { field values { value label count } }
        edges { node { score entity { ...EntityFields } } }
      }
    }`,
    variables: ({ query }) => {
      const facets = facetsVariable(query.facets);
      return {
        ...includeVariables(query.include),
        withAttributes: true,
        query: query.q,
        filters: {
          type: query.type,
          category: query.category,
          brand: query.brand,
          status: query.status,
          locale: query.locale,
        },
        facets,
        withFacets: facets.length > 0,
      };
    },
    result: ["search"],
    respond: (connection, page) => ({
      data: connection.edges.map((edge) => edge.node),
      meta: {
        total: connection.totalCount,
        page: page!.page,
        limit: page!.limit,
        facets: Object.fromEntries((connection.facets ?? []).map((facet) => [facet.field, facet.values])),
        correctedQuery: connection.correctedQuery,
      },
    }),
    responseSchema: (hits) => ({
      type: "object",
      properties: {
        data: hits,
        meta: {
          type: "object",
          properties: {
            total: { type: "integer", description: "Hits of the whole filtered result." },
            page: { type: "integer" },
            limit: { type: "integer" },
            facets: {
              type: "object",
              description: "Per requested facet field, counts per value over the whole filtered result (not the page).",
              additionalProperties: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    value: { type: "string" },
                    label: { type: "string", nullable: true },
                    count: { type: "integer" },
                  },
                },
              },
            },
            correctedQuery: {
              type: "string",
              nullable: true,
              description: "The typo-corrected query, when the typed one found nothing.",
            },
            pagination: { $ref: "#/components/schemas/PaginationMeta/properties/pagination" },
          },
        },
      },
      required: ["data"],
    }),
  }),
  route({
    method: "GET",
    path: "/search/suggest",
    summary: "Autocomplete prefix suggestions",
    tag,
    description:
      "Titles of the entities whose words start with the typed words (`trail bo` -> `Trail Boots`), one per entity, " +
      "titles starting with the prefix first. Anonymous callers get active entities only.",
    query: {
      prefix: {
        type: "string",
        required: true,
        maxLength: 100,
        description: "Prefix to match (required, at most 100 characters).",
        example: "blu",
      },
      type: { type: "string", maxLength: 40, description: "Filter by entity type." },
      locale: {
        type: "string",
        maxLength: 35,
        description: "Preferred locale of the titles (default: the store's default locale).",
      },
      limit: {
        type: "integer",
        minimum: 1,
        description: `Max suggestions (default ${SUGGEST_DEFAULT_LIMIT}, capped at ${SUGGEST_MAX_LIMIT}).`,
        example: SUGGEST_DEFAULT_LIMIT,
      },
    },
    operation: `query ($prefix: String!, $type: String, $locale: String, $limit: Int) {
      searchSuggestions(prefix: $prefix, type: $type, locale: $locale, limit: $limit) { text locale entityId slug type }
    }`,
    variables: ({ query }) => ({
      // Missing is empty: the service answers 422 naming `prefix`.
      prefix: query.prefix ?? "",
      type: query.type,
      locale: query.locale,
      limit: integerParam("limit", query.limit),
    }),
    result: ["searchSuggestions"],
  }),
];
