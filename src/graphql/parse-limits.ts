import { GraphQLError, Lexer, type ParseOptions, Source, TokenKind } from "graphql";

/**
 * Limits on a GraphQL document, checked before it is parsed: graphql-js parses recursively, so a
 * selection or a literal nested 10,000 deep would overflow the stack (a 500) before any validation
 * rule (depth, complexity) could refuse it.
 */
export const PARSE_LIMITS = {
  /** Lexical tokens in one document; the largest operation we ship has a few hundred. */
  tokens: 10_000,
  /** Open `{`, `[` and `(` at once: selections are refused past depth 12 anyway (complexity.ts). */
  nesting: 64,
};

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Refuses a document over PARSE_LIMITS with a BAD_REQUEST GraphQL error, in one iterative pass of the
 * lexer (a syntax error found on the way is thrown as parse would throw it).
 */
export function assertWithinParseLimits(source: string | Source): void {
  const lexer = new Lexer(typeof source === "string" ? new Source(source) : source);
  let tokens = 0;
  let depth = 0;
  for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
    if (++tokens > PARSE_LIMITS.tokens) throw limitError(`The document has more than ${PARSE_LIMITS.tokens} tokens.`);
    if (OPENING.has(token.kind) && ++depth > PARSE_LIMITS.nesting) {
      throw limitError(`The document is nested deeper than ${PARSE_LIMITS.nesting} levels.`);
    }
    if (CLOSING.has(token.kind)) depth--;
  }
}

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } });
}

/** Wraps a parse function so that every document is checked against PARSE_LIMITS first. */
export function withParseLimits<T>(parse: (source: string | Source, options?: ParseOptions) => T) {
  return (source: string | Source, options?: ParseOptions): T => {
    assertWithinParseLimits(source);
    return parse(source, { ...options, maxTokens: PARSE_LIMITS.tokens });
  };
}
