/**
 * Seed 000's merchant token scopes, as our permissions. A merchant token is one of our API keys (minted
 * with the `aly_` prefix: `POST /api/api-keys { name, permissions: ["orders:update"], prefix: "aly_" }`);
 * a scope is granted when the key holds its permission. Holding any action on a resource implies reading
 * it, so `write:orders` implies `read:orders`. Enforcement is the permission on the GraphQL field each
 * route runs; this table only names it.
 */
export const SCOPES = {
  "read:orders": "orders:read",
  "write:orders": "orders:update",
} as const;

export type StorefrontScope = keyof typeof SCOPES;
