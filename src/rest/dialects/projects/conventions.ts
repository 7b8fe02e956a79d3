import { type Actor, ANONYMOUS, storeOf } from "../../../domain/auth/actor.js";
import type { FieldError } from "../../../domain/errors.js";
import { storeIdBySlug } from "../../../domain/stores/by-slug.js";
import { pageCursor } from "../../../graphql/pagination.js";
import { RestFailure } from "../../../http/errors.js";
import type { Db } from "../../../infra/db.js";
import type { DialectConventions } from "../../dialect.js";
import { parsePagination } from "../../executor.js";
import type { ProjectsRoute } from "./route.js";

/**
 * Field names of seed 003 that ours call otherwise; everything else the seed writes in camelCase
 * (cartId, variantId, successUrl) as our input does, except the address's snake_case `postal_code`.
 */
const RENAMED: Record<string, string> = { productId: "entityId", postal_code: "postalCode" };
const RENAMED_BACK = Object.fromEntries(Object.entries(RENAMED).map(([seed, ours]) => [ours, seed]));

function renameKeys(value: unknown, names: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, names));
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      names[key] ?? key,
      key === "metadata" ? child : renameKeys(child, names),
    ]),
  );
}

/** A field error's path in the names the client sent (`shippingAddress.postal_code`, `productId`). */
const seedPath = (path: string) =>
  path
    .split(".")
    .map((segment) => RENAMED_BACK[segment] ?? segment)
    .join(".");

/** Verifies an API key given as `?token=` (browsers that cannot set a header). */
export type TokenVerifier = (token: string) => Promise<Actor | null>;

const isKey = (actor: Actor) => actor.kind === "apiKey" || actor.kind === "publishableKey";

/**
 * Seed 003's conventions. The store is the project named by the path; any key of that store works
 * (publishable `pk_` or secret), as `Authorization: Bearer <key>` or `?token=<key>`, and every route but
 * `/config` needs one (401). A key of another store is 403; a platform-wide key may use any project.
 * Session cookies do not act here (no ambient credential, so no CSRF). Bodies are the seed's camelCase
 * (`productId` is our entityId, an address's `postal_code` our postalCode); answers are the routes' own
 * shapes (present.ts); lists are `{ <key>: [...], total, page, limit }` paged by `?page=&limit=`; errors
 * are `{ success: false, error: { code, message, details? } }` with our statuses.
 */
export function projectsConventions(deps: { prisma: Db; verifyToken: TokenVerifier }): DialectConventions {
  const present = (spec: ProjectsRoute, value: unknown) => (spec.present ? spec.present(value) : value);
  return {
    readBody: (body) => renameKeys(body, RENAMED) as Record<string, unknown>,

    readPage({ query }, spec) {
      const { page, limit } = parsePagination(query, spec.pageSize);
      const offset = (page - 1) * limit;
      return { arguments: { first: limit, ...(offset > 0 ? { after: pageCursor(offset) } : {}) }, page, limit };
    },

    listBody(connection, page, spec) {
      const route = spec as ProjectsRoute;
      return {
        [route.listKey ?? "items"]: connection.edges.map((edge) => present(route, edge.node)),
        total: connection.totalCount ?? 0,
        page: page.page,
        limit: page.limit,
      };
    },

    singleBody: (payload, spec) => present(spec as ProjectsRoute, payload),

    errorResponse(failure) {
      const { code, message, details } = failure.error;
      const named = Array.isArray(details)
        ? details.map((d: FieldError) => ({ ...d, path: seedPath(d.path) }))
        : details;
      return {
        status: failure.status,
        body: { success: false, error: { code, message, ...(named ? { details: named } : {}) } },
      };
    },

    async serverContext(request, server, spec) {
      let actor = isKey(server.actor) ? server.actor : ANONYMOUS;
      const token = request.query.token;
      if (actor === ANONYMOUS && token) {
        const verified = await deps.verifyToken(token);
        if (!verified) throw RestFailure.of("UNAUTHORIZED", "Invalid, expired or revoked key.");
        if (!isKey(verified)) throw RestFailure.of("UNAUTHORIZED", "token must be an API key of the project.");
        actor = verified;
      }
      if (actor === ANONYMOUS && !(spec as ProjectsRoute).keyless) {
        throw RestFailure.of(
          "UNAUTHORIZED",
          "Send the project's API key: Authorization: Bearer <key> or ?token=<key>.",
        );
      }
      const storeId = await storeIdBySlug(deps.prisma, request.params.projectSlug ?? "");
      if (!storeId) throw RestFailure.of("NOT_FOUND", "Project not found.");
      const own = storeOf(actor);
      if (own !== null && own !== storeId) throw RestFailure.of("FORBIDDEN", "This key belongs to another project.");
      return { ...server, actor, storeId };
    },
  };
}
