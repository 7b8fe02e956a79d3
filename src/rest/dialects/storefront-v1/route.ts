import type { RouteResults } from "../../generated/storefront-v1.js";
import type { HttpMethod, PresentedPayload, RouteSpec } from "../../route.js";
import { SCOPES, type StorefrontScope } from "./scopes.js";

/** A route of the storefront v1 dialect: our RouteSpec, plus how its payload looks in seed 000's shapes. */
export interface StorefrontRoute extends RouteSpec {
  /** The scope a merchant token needs (docs and 403 details; the GraphQL field enforces its permission). */
  scope?: StorefrontScope;
  /** The payload (a list's every node) in the seed's shape; without it the selection is the shape. */
  present?(value: unknown): unknown;
  /** The operation takes `$idempotencyKey`, from the `Idempotency-Key` header. */
  idempotent?: boolean;
}

/** What `present` gets (src/rest/generated/storefront-v1.ts). */
type Presented<Key, Result extends readonly unknown[], Nullable, Paginated> = PresentedPayload<
  RouteResults,
  Key,
  Result,
  Nullable,
  Paginated
>;

export function storefrontRoute<
  const Method extends HttpMethod,
  const Path extends string,
  const Result extends readonly (string | number)[],
  Nullable extends boolean = false,
  Paginated extends boolean = false,
>(
  spec: Omit<StorefrontRoute, "permission" | "present"> & {
    method: Method;
    path: Path;
    result: Result;
    nullable?: Nullable;
    paginated?: Paginated;
    present?: (value: Presented<`${Method} ${Path}`, Result, Nullable, Paginated>) => unknown;
  },
): StorefrontRoute {
  const { variables } = spec;
  return {
    ...spec,
    ...(spec.scope ? { permission: SCOPES[spec.scope] } : {}),
    ...(spec.idempotent
      ? {
          variables: (request) => ({ ...variables?.(request), idempotencyKey: request.headers.get("idempotency-key") }),
        }
      : {}),
  };
}
