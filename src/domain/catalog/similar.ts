import type { Db } from "../../infra/db.js";
import { publicVendorSql } from "./entities.js";

/** Weights of what two products share: a category says most, then a brand, then each title word. */
export const SIMILARITY_WEIGHTS = { category: 3, brand: 2, term: 1 } as const;

export interface SimilarMatch {
  sourceId: string;
  entityId: string;
  score: number;
}

/**
 * Products like each of `sourceIds`, best first, at most `limit` each, in ONE statement however many
 * sources: other active entities of the same store scored by shared categories (x3), shared brands (x2)
 * and shared title words (x1 each: distinct words of three letters or more of their titles in any locale,
 * unstemmed). Candidates come from the category and brand link indexes and the search document's GIN
 * index (which holds every title word unstemmed too), so an unrelated catalog is never scanned. Ties:
 * newest first, then id.
 */
export async function similarEntities(
  db: Pick<Db, "$queryRaw">,
  storeId: string,
  sourceIds: readonly string[],
  limit: number,
): Promise<SimilarMatch[]> {
  if (sourceIds.length === 0 || limit <= 0) return [];
  const { category, brand, term } = SIMILARITY_WEIGHTS;
  const rows = await db.$queryRaw<{ sourceId: string; entityId: string; score: number }[]>`
    WITH src AS (
      SELECT e.id,
        ARRAY(SELECT ec."categoryId" FROM entity_category ec WHERE ec."entityId" = e.id) AS cats,
        ARRAY(SELECT eb."brandId" FROM entity_brand eb WHERE eb."entityId" = e.id) AS brands,
        ARRAY(
          SELECT DISTINCT w FROM catalog_attribute a, unnest(tsvector_to_array(to_tsvector('simple', a.title))) w
          WHERE a."entityId" = e.id AND length(w) > 2
        ) AS terms
      FROM catalog_entity e
      WHERE e.id = ANY(${[...sourceIds]}::uuid[]) AND e."storeId" = ${storeId}::uuid
    ), q AS (
      SELECT src.*,
        (SELECT string_agg(quote_literal(t), ' | ')::tsquery FROM unnest(src.terms) t) AS query
      FROM src
    )
    SELECT q.id::text AS "sourceId", pick.id::text AS "entityId", pick.score::int AS score
    FROM q
    CROSS JOIN LATERAL (
      SELECT c.id, c."createdAt",
        ${category}::int * (SELECT count(*) FROM entity_category ec WHERE ec."entityId" = c.id AND ec."categoryId" = ANY(q.cats))
        + ${brand}::int * (SELECT count(*) FROM entity_brand eb WHERE eb."entityId" = c.id AND eb."brandId" = ANY(q.brands))
        + ${term}::int * (
            SELECT count(DISTINCT w) FROM catalog_attribute ca, unnest(tsvector_to_array(to_tsvector('simple', ca.title))) w
            WHERE ca."entityId" = c.id AND w = ANY(q.terms)
          ) AS score
      FROM catalog_entity c
      WHERE c."storeId" = ${storeId}::uuid AND c.status = 'active' AND ${publicVendorSql("c")} AND c.id <> q.id
        AND c.id IN (
          SELECT ec."entityId" FROM entity_category ec WHERE ec."categoryId" = ANY(q.cats)
          UNION SELECT eb."entityId" FROM entity_brand eb WHERE eb."brandId" = ANY(q.brands)
          UNION SELECT cd."entityId" FROM search_document cd WHERE q.query IS NOT NULL AND cd.document @@ q.query
        )
      ORDER BY score DESC, c."createdAt" DESC, c.id
      LIMIT ${limit}::int
    ) pick
    WHERE pick.score > 0
    ORDER BY q.id, pick.score DESC, pick."createdAt" DESC, pick.id`;
  return rows.map((r) => ({ sourceId: r.sourceId, entityId: r.entityId, score: Number(r.score) }));
}
