import { storeOf } from "../../../domain/auth/actor.js";
import { ValidationError } from "../../../domain/errors.js";
import { storeIdBySlug } from "../../../domain/stores/by-slug.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../../graphql/pagination.js";
import { RestFailure } from "../../../http/errors.js";
import type { Db } from "../../../infra/db.js";
import type { DialectConventions } from "../../dialect.js";
import type { RouteSpec } from "../../route.js";
import type { CursorSigner } from "./cursors.js";
import { StoreMismatch, storefrontError } from "./errors.js";
import { toOurInput } from "./naming.js";
import type { StorefrontRoute } from "./route.js";

/** `limit`: 1 to 100 (more is capped, as in seed 002), default 20. */
function readLimit(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_PAGE_SIZE;
  if (!/^\d{1,9}$/.test(value)) throw ValidationError.field("limit", "invalid_type", "limit must be an integer.");
  const limit = Number(value);
  if (limit < 1)
    throw new ValidationError([{ path: "limit", code: "too_small", message: "limit must be at least 1.", min: 1 }]);
  return Math.min(limit, MAX_PAGE_SIZE);
}

/** A cursor is valid for one list only. */
const listOf = (spec: RouteSpec) => `${spec.method} ${spec.path}`;

const present = (spec: RouteSpec, value: unknown) => {
  const shape = (spec as StorefrontRoute).present;
  return shape ? shape(value) : value;
};

/**
 * Seed 000's conventions: snake_case bodies (naming.ts), `?limit=&cursor=` with `next_cursor` only when
 * another page exists (cursors signed, cursors.ts), a bare object for one resource and `{ data: [...],
 * next_cursor? }` for a list, errors with seed 000's statuses (errors.ts), and the store named by the
 * path (`/stores/{slug}/...`) or by `site_slug`, which a key of another store may not use (403).
 */
export function storefrontConventions(deps: { prisma: Db; cursors: CursorSigner }): DialectConventions {
  return {
    readBody: (body) => toOurInput(body),

    readPage({ query }, spec) {
      const first = readLimit(query.limit);
      const after = query.cursor ? deps.cursors.verify(listOf(spec), query.cursor) : undefined;
      return { arguments: { first, ...(after ? { after } : {}) } };
    },

    listBody(connection, _page, spec) {
      const { hasNextPage = false, endCursor = null } = connection.pageInfo ?? {};
      return {
        data: connection.edges.map((edge) => present(spec, edge.node)),
        ...(hasNextPage && endCursor ? { next_cursor: deps.cursors.sign(listOf(spec), endCursor) } : {}),
      };
    },

    singleBody: (payload, spec) => present(spec, payload),

    errorResponse: (failure, spec) => storefrontError(failure, spec as StorefrontRoute | undefined),

    async serverContext(request, server) {
      const slug = request.params.slug ?? request.query.site_slug;
      if (slug === undefined) return server;
      const storeId = await storeIdBySlug(deps.prisma, slug);
      if (!storeId) throw RestFailure.of("NOT_FOUND", "Store not found.");
      const own = storeOf(server.actor);
      if (own !== null && own !== storeId) throw new StoreMismatch();
      return { ...server, storeId };
    },
  };
}
