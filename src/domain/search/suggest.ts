import { z } from "zod";
import { Prisma as Sql } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import { publicVendorSql } from "../catalog/entities.js";
import { locale, parseInput } from "../validation.js";
import { prefixQuery, searchTokens } from "./tsquery.js";

export const SUGGEST_DEFAULT_LIMIT = 10;
export const SUGGEST_MAX_LIMIT = 50;

const SuggestInput = z.object({
  prefix: z.string().trim().min(1, "prefix must not be empty.").max(100, "prefix must be at most 100 characters."),
  type: z.string().max(40).nullish(),
  locale: locale.nullish(),
  limit: z.number().int().min(1, "limit must be at least 1.").nullish(),
});

export interface Suggestion {
  /** The title that matched, in `locale`. */
  text: string;
  locale: string;
  entityId: string;
  slug: string;
  type: string;
}

/**
 * Autocomplete: titles of the entities the caller may see in which every typed word starts a word
 * ("trail bo" -> "Trail Boots"). One suggestion per entity, from its title in the locale asked for (else
 * the store's default) when that one matches, else from another matching locale; titles that start with
 * the prefix first, then shorter ones. The prefix search
 * runs on the A (title) class of the GIN-indexed search document.
 */
export async function suggest(
  prisma: Db,
  visibility: { storeId: string; seeUnpublished: boolean; vendorId?: string | null },
  raw: z.input<typeof SuggestInput>,
): Promise<Suggestion[]> {
  const input = parseInput(SuggestInput, raw);
  const tokens = searchTokens(input.prefix);
  const inTitles = prefixQuery(tokens, "A");
  const inTitle = prefixQuery(tokens);
  if (!inTitles || !inTitle) return [];
  const limit = Math.min(input.limit ?? SUGGEST_DEFAULT_LIMIT, SUGGEST_MAX_LIMIT);
  const lowered = input.prefix.toLowerCase();
  const preferred = Sql.sql`coalesce(${input.locale ?? null}::text,
    (SELECT s."defaultLocale" FROM store s WHERE s.id = ${visibility.storeId}::uuid))`;
  return prisma.$queryRaw<Suggestion[]>`
    SELECT text, locale, "entityId", slug, type FROM (
      SELECT DISTINCT ON (e.id) a.title AS text, a.locale, e.id AS "entityId", e.slug, e.type, e."createdAt",
             starts_with(lower(a.title), ${lowered}) AS is_leading
        FROM catalog_entity e
        JOIN search_document d ON d."entityId" = e.id
        JOIN catalog_attribute a ON a."entityId" = e.id
       WHERE e."storeId" = ${visibility.storeId}::uuid
         ${visibility.seeUnpublished ? Sql.empty : Sql.sql`AND e.status = 'active' AND ${publicVendorSql()}`}
         ${visibility.vendorId ? Sql.sql`AND e."vendorId" = ${visibility.vendorId}::uuid` : Sql.empty}
         ${input.type ? Sql.sql`AND e.type = ${input.type}` : Sql.empty}
         AND d.document @@ ${inTitles}::tsquery
         AND to_tsvector('simple', a.title) @@ ${inTitle}::tsquery
       ORDER BY e.id, (a.locale = ${preferred}) DESC, starts_with(lower(a.title), ${lowered}) DESC, a.locale
    ) s
    ORDER BY is_leading DESC, length(text), text, "createdAt" DESC, "entityId"
    LIMIT ${limit}`;
}
