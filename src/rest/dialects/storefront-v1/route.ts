import type { RouteSpec } from "../../route.js";
import { SCOPES, type StorefrontScope } from "./scopes.js";

/** A route of the storefront v1 dialect: our RouteSpec, plus how its payload looks in seed 000's shapes. */
export interface StorefrontRoute extends RouteSpec {
  /** The scope a merchant token needs (docs and 403 details; the GraphQL field enforces its permission). */
  scope?: StorefrontScope;
  /** The payload (a list's every node) in the seed's shape; without it the selection is the shape. */
  present?: (value: any) => unknown;
  /** The operation takes `$idempotencyKey`, from the `Idempotency-Key` header. */
  idempotent?: boolean;
}

export function storefrontRoute(spec: Omit<StorefrontRoute, "permission">): StorefrontRoute {
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
