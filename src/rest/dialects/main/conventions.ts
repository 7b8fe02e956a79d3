import { pageCursor } from "../../../graphql/pagination.js";
import { errorBody } from "../../../http/errors.js";
import type { DialectConventions } from "../../dialect.js";
import { parsePagination } from "../../executor.js";
import { betterAuthError } from "./auth-errors.js";

/**
 * Seed 002's conventions: bodies as our input types name them, `page`/`limit` over offset cursors with
 * `meta.pagination` from `totalCount`, `{ data, meta? }` envelopes and `{ error: { code, message,
 * details? } }` with statusForCode's statuses.
 */
export const mainConventions: DialectConventions = {
  readBody: (body) => body,

  readPage({ query }, spec) {
    const { page, limit } = parsePagination(query, spec.pageSize);
    const offset = (page - 1) * limit;
    return { arguments: { first: limit, ...(offset > 0 ? { after: pageCursor(offset) } : {}) }, page, limit };
  },

  listBody(connection, request, spec) {
    const page = { page: request.page as number, limit: request.limit as number };
    const total = connection.totalCount ?? 0;
    const meta = { pagination: { ...page, total, totalPages: Math.ceil(total / page.limit) } };
    // A paginated route's own `respond` shapes data and adds meta; meta.pagination is always ours.
    const shaped = spec.respond?.(connection, page);
    return shaped
      ? { data: shaped.data, meta: { ...shaped.meta, ...meta } }
      : { data: connection.edges.map((edge) => edge.node), meta };
  },

  singleBody: (payload, spec) => (spec.respond ? spec.respond(payload) : { data: payload }),

  // Better Auth's routes (`/auth/*`) answer errors as Better Auth does (auth-errors.ts).
  errorResponse: (failure, spec) =>
    spec?.path.startsWith("/auth/")
      ? betterAuthError(failure, spec)
      : { status: failure.status, body: errorBody(failure.error) },
};
