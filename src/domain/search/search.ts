import { z } from "zod";
import { Prisma as Sql } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import { ENTITY_STATUSES, publicVendorSql } from "../catalog/entities.js";
import { isUuid, locale, parseInput } from "../validation.js";
import { alternativesQuery, compactCode, prefixQuery, searchTokens } from "./tsquery.js";

/**
 * Full-text search over the catalog (docs/ARCHITECTURE.md, "Search"). The `search_document` table holds
 * one weighted tsvector per entity, kept current by triggers in the transaction of every catalog change;
 * this module only reads it. A query is tried as typed (websearch syntax: words, "phrases", or, -not),
 * then with every word as a prefix, then, when the database has pg_trgm, with each word replaced by the
 * closest words of the catalog (`correctedQuery`).
 */

export const SEARCH_QUERY_MAX = 200;
export const FACET_FIELDS = ["type", "brand", "category", "status"] as const;
export type FacetField = (typeof FACET_FIELDS)[number];
/** Values listed per facet, most frequent first. */
export const FACET_VALUES_MAX = 100;
/** Weights of the D, C, B, A classes in ts_rank (descriptions ... titles). */
const RANK_WEIGHTS = "{0.1,0.2,0.4,1.0}";
/** pg_trgm similarity from which a catalog word counts as a correction of a typed one. */
const CORRECTION_SIMILARITY = 0.3;
const CORRECTIONS_PER_WORD = 3;

const SearchInput = z.object({
  query: z.string().max(SEARCH_QUERY_MAX, `query must be at most ${SEARCH_QUERY_MAX} characters.`).nullish(),
  type: z.string().max(40).nullish(),
  category: z.string().max(200).nullish(),
  brand: z.string().max(200).nullish(),
  status: z.enum(ENTITY_STATUSES).nullish(),
  locale: locale.nullish(),
});

export type SearchInput = z.input<typeof SearchInput>;

export type MatchMode = "all" | "exact" | "prefix" | "corrected" | "none";

export interface SearchPlan {
  /** Which entities the filters and the caller's visibility allow (over `e`, `d`). */
  where: Sql.Sql;
  /** The tsquery the documents must match; null lists every allowed entity (no query). */
  match: Sql.Sql | null;
  mode: MatchMode;
  /** The query that was searched instead of the typed one (typo tolerance), or null. */
  correctedQuery: string | null;
}

export interface SearchHitRow {
  id: string;
  score: number;
}

export interface FacetValue {
  value: string;
  label: string | null;
  count: number;
}

export interface Facet {
  field: FacetField;
  values: FacetValue[];
}

interface Visibility {
  storeId: string;
  /** Merchants with catalog access search every status; everyone else active entities only. */
  seeUnpublished: boolean;
  /** A vendor actor searches its own entities only (marketplace/vendor-scope.ts). */
  vendorId?: string | null;
}

/** Which entities a search may return, as SQL over catalog_entity `e`. */
function filterSql(visibility: Visibility, input: z.output<typeof SearchInput>): Sql.Sql {
  const { storeId, seeUnpublished } = visibility;
  const parts: Sql.Sql[] = [Sql.sql`e."storeId" = ${storeId}::uuid`];
  if (visibility.vendorId) parts.push(Sql.sql`e."vendorId" = ${visibility.vendorId}::uuid`);
  if (seeUnpublished) {
    if (input.status) parts.push(Sql.sql`e.status = ${input.status}`);
  } else {
    parts.push(Sql.sql`e.status = 'active'`, publicVendorSql());
    // The public asking for drafts finds nothing, rather than an error revealing that they exist.
    if (input.status && input.status !== "active") parts.push(Sql.sql`FALSE`);
  }
  if (input.type) parts.push(Sql.sql`e.type = ${input.type}`);
  // Categories and brands by id or by slug.
  if (input.category) {
    parts.push(
      isUuid(input.category)
        ? Sql.sql`EXISTS (SELECT 1 FROM entity_category ec WHERE ec."entityId" = e.id AND ec."categoryId" = ${input.category}::uuid)`
        : Sql.sql`EXISTS (SELECT 1 FROM entity_category ec JOIN category c ON c.id = ec."categoryId"
                   WHERE ec."entityId" = e.id AND c."storeId" = ${storeId}::uuid AND c.slug = ${input.category})`,
    );
  }
  if (input.brand) {
    parts.push(
      isUuid(input.brand)
        ? Sql.sql`EXISTS (SELECT 1 FROM entity_brand eb WHERE eb."entityId" = e.id AND eb."brandId" = ${input.brand}::uuid)`
        : Sql.sql`EXISTS (SELECT 1 FROM entity_brand eb JOIN brand b ON b.id = eb."brandId"
                   WHERE eb."entityId" = e.id AND b."storeId" = ${storeId}::uuid AND b.slug = ${input.brand})`,
    );
  }
  return Sql.join(parts, " AND ");
}

const FROM = Sql.sql`catalog_entity e JOIN search_document d ON d."entityId" = e.id`;

/**
 * Decides how the query matches: as typed, else as prefixes, else corrected. Costs one statement (two
 * more for a correction).
 */
export async function planSearch(prisma: Db, visibility: Visibility, raw: SearchInput): Promise<SearchPlan> {
  const input = parseInput(SearchInput, raw);
  const where = filterSql(visibility, input);
  const query = input.query?.trim() ?? "";
  if (!query) return { where, match: null, mode: "all", correctedQuery: null };

  // The words as typed, unstemmed and stemmed in the language asked for (else the store's).
  const language = Sql.sql`search_language(coalesce(${input.locale ?? null}::text,
    (SELECT s."defaultLocale" FROM store s WHERE s.id = ${visibility.storeId}::uuid)))`;
  const code = compactCode(query);
  const exact = Sql.sql`(websearch_to_tsquery('simple', ${query}) || websearch_to_tsquery(${language}, ${query})${
    code ? Sql.sql` || ${code}::tsquery` : Sql.empty
  })`;
  const tokens = searchTokens(query);
  const prefixText = prefixQuery(tokens);
  const prefix = prefixText ? Sql.sql`${prefixText}::tsquery` : null;

  const [decided] = await prisma.$queryRaw<{ mode: "exact" | "prefix" | "none" }[]>`
    SELECT CASE
      WHEN EXISTS (SELECT 1 FROM ${FROM} WHERE ${where} AND d.document @@ ${exact}) THEN 'exact'
      ${prefix ? Sql.sql`WHEN EXISTS (SELECT 1 FROM ${FROM} WHERE ${where} AND d.document @@ ${prefix}) THEN 'prefix'` : Sql.empty}
      ELSE 'none' END AS mode`;
  const mode = decided?.mode ?? "none";
  if (mode === "exact") return { where, match: exact, mode, correctedQuery: null };
  if (mode === "prefix") return { where, match: prefix, mode, correctedQuery: null };

  const corrected = tokens.length ? await correct(prisma, where, tokens) : null;
  if (corrected)
    return { where, match: Sql.sql`${corrected.query}::tsquery`, mode: "corrected", correctedQuery: corrected.text };
  return { where, match: exact, mode: "none", correctedQuery: null };
}

const trigramSchemas = new WeakMap<Db, Promise<string | null>>();

/**
 * The schema pg_trgm is installed in, or null when the database does not have it. Extensions come
 * with migrations, so it is looked up once per database client, not on every corrected search.
 */
function trigramSchema(prisma: Db): Promise<string | null> {
  let schema = trigramSchemas.get(prisma);
  if (!schema) {
    schema = prisma.$queryRaw<{ schema: string }[]>`
      SELECT n.nspname::text AS schema FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname = 'pg_trgm'`.then(
      ([row]) => row?.schema ?? null,
    );
    // A failed lookup is not remembered.
    schema.catch(() => trigramSchemas.delete(prisma));
    trigramSchemas.set(prisma, schema);
  }
  return schema;
}

/**
 * Typo tolerance: each typed word is replaced by the (up to three) most similar words of the documents
 * the filters allow, by trigram similarity; a word with nothing similar is left out. Null when nothing
 * could be corrected or pg_trgm is not installed.
 */
async function correct(prisma: Db, where: Sql.Sql, tokens: string[]): Promise<{ query: string; text: string } | null> {
  const schema = await trigramSchema(prisma);
  if (!schema) return null;
  const similarity = Sql.raw(`"${schema.replace(/"/g, '""')}".similarity`);
  const rows = await prisma.$queryRaw<{ n: number; lexeme: string }[]>`
    WITH lexicon AS (
      SELECT DISTINCT w.lexeme FROM ${FROM} CROSS JOIN LATERAL unnest(d.document) AS w WHERE ${where}
    )
    SELECT t.n::int AS n, c.lexeme
      FROM unnest(${tokens}::text[]) WITH ORDINALITY AS t(token, n)
      CROSS JOIN LATERAL (
        SELECT l.lexeme, ${similarity}(t.token, l.lexeme) AS score FROM lexicon l
         WHERE ${similarity}(t.token, l.lexeme) >= ${CORRECTION_SIMILARITY}
         ORDER BY score DESC, length(l.lexeme), l.lexeme
         LIMIT ${CORRECTIONS_PER_WORD}
      ) c
     ORDER BY t.n, c.score DESC, length(c.lexeme), c.lexeme`;
  const groups = tokens.map((_, i) => rows.filter((r) => r.n === i + 1).map((r) => r.lexeme));
  const query = alternativesQuery(groups);
  if (!query) return null;
  return {
    query,
    text: groups
      .filter((g) => g.length)
      .map((g) => g[0])
      .join(" "),
  };
}

function matchSql(plan: SearchPlan): Sql.Sql {
  return plan.match ? Sql.sql`AND d.document @@ ${plan.match}` : Sql.empty;
}

/** One page of hits, best first (newest first without a query). */
export async function searchPage(
  prisma: Db,
  plan: SearchPlan,
  page: { skip: number; take: number },
): Promise<SearchHitRow[]> {
  const score = plan.match
    ? Sql.sql`ts_rank(${RANK_WEIGHTS}::float4[], d.document, ${plan.match})`
    : Sql.sql`0::float4`;
  return prisma.$queryRaw<SearchHitRow[]>`
    SELECT e.id, ${score}::float8 AS score FROM ${FROM}
     WHERE ${plan.where} ${matchSql(plan)}
     ORDER BY score DESC, e."createdAt" DESC, e.id
     LIMIT ${page.take} OFFSET ${page.skip}`;
}

export async function searchCount(prisma: Db, plan: SearchPlan): Promise<number> {
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM ${FROM} WHERE ${plan.where} ${matchSql(plan)}`;
  return row?.count ?? 0;
}

/**
 * Counts per value of each facet over every hit of the search (not one page), in one statement.
 * Brands and categories are counted by id, labelled with their names.
 */
export async function searchFacets(prisma: Db, plan: SearchPlan, fields: readonly FacetField[]): Promise<Facet[]> {
  const wanted = FACET_FIELDS.filter((f) => fields.includes(f));
  if (!wanted.length) return [];
  const parts: Record<FacetField, Sql.Sql> = {
    type: Sql.sql`SELECT 'type' AS field, h.type AS value, NULL::text AS label, count(*)::int AS count FROM hits h GROUP BY h.type`,
    status: Sql.sql`SELECT 'status' AS field, h.status AS value, NULL::text AS label, count(*)::int AS count FROM hits h GROUP BY h.status`,
    brand: Sql.sql`SELECT 'brand' AS field, b.id::text AS value, b.name AS label, count(*)::int AS count
                     FROM hits h JOIN entity_brand eb ON eb."entityId" = h.id JOIN brand b ON b.id = eb."brandId"
                    GROUP BY b.id, b.name`,
    category: Sql.sql`SELECT 'category' AS field, c.id::text AS value, c.name AS label, count(*)::int AS count
                        FROM hits h JOIN entity_category ec ON ec."entityId" = h.id JOIN category c ON c.id = ec."categoryId"
                       GROUP BY c.id, c.name`,
  };
  const rows = await prisma.$queryRaw<{ field: FacetField; value: string; label: string | null; count: number }[]>`
    WITH hits AS (SELECT e.id, e.type, e.status FROM ${FROM} WHERE ${plan.where} ${matchSql(plan)})
    SELECT field, value, label, count FROM (${Sql.join(
      wanted.map((f) => parts[f]),
      " UNION ALL ",
    )}) f
     ORDER BY field, count DESC, coalesce(label, value), value`;
  return wanted.map((field) => ({
    field,
    values: rows
      .filter((r) => r.field === field)
      .slice(0, FACET_VALUES_MAX)
      .map(({ value, label, count }) => ({ value, label, count })),
  }));
}
