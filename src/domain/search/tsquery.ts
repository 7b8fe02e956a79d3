/**
 * Pure helpers that turn what a user typed into tsquery text. Everything here ends up as a bound
 * parameter cast to `tsquery`, never spliced into SQL; lexemes are quoted with the tsquery rules as well,
 * so any input (quotes, backslashes, operators) is only ever a search term.
 */

/** Words as the search sees them: runs of letters and digits, lower-cased, at most `max` of them. */
export function searchTokens(text: string, max = 8): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, max);
}

/** A lexeme in tsquery syntax: quoted, with embedded quotes and backslashes doubled. */
export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** Every token as a prefix, all required: `'wan':* & 'sch':*` (optionally only in one weight class). */
export function prefixQuery(tokens: readonly string[], weight = ""): string | null {
  if (!tokens.length) return null;
  return tokens.map((token) => `${quoteLexeme(token)}:*${weight}`).join(" & ");
}

/**
 * A query that is one code-like word (TSH-RED-M, sku_42) also matches the SKU written without its
 * separators, as the search document indexes it (`tshredm`).
 */
export function compactCode(query: string): string | null {
  const trimmed = query.trim();
  if (!trimmed || /\s/.test(trimmed) || !/[^\p{L}\p{N}]/u.test(trimmed)) return null;
  const compact = trimmed.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  return compact ? quoteLexeme(compact) : null;
}

/** Each token's alternatives (the token itself or its corrections), all tokens required. */
export function alternativesQuery(groups: readonly (readonly string[])[]): string | null {
  const parts = groups
    .filter((g) => g.length)
    .map((g) => (g.length === 1 ? quoteLexeme(g[0]!) : `(${g.map(quoteLexeme).join(" | ")})`));
  return parts.length ? parts.join(" & ") : null;
}
