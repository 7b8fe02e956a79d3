/**
 * Permissions are `resource:action` strings, as in seed 002's permission table (`catalog:create`,
 * `orders:update`, `webhooks:manage`, ...). `resource:*` grants every action on a resource and `*:*`
 * grants everything. Holding any action on a resource implies `resource:read` (merchant reads such as
 * draft products).
 */
export const PERMISSION_PATTERN = /^(\*|[a-z][a-zA-Z]*):(\*|[a-z][a-zA-Z]*)$/;

export const KNOWN_PERMISSIONS = [
  "catalog:read",
  "catalog:create",
  "catalog:update",
  "catalog:delete",
  "inventory:read",
  "inventory:update",
  "pricing:create",
  "pricing:update",
  "promotions:create",
  "promotions:update",
  "settings:update",
  "orders:read",
  "orders:create",
  "orders:update",
  "carts:read",
  "carts:create",
  "carts:update",
  "customers:read",
  "customers:create",
  "customers:update",
  "webhooks:manage",
  "audit:read",
  "analytics:read",
  "jobs:admin",
  "marketplace:admin",
  "apiKeys:manage",
  "stores:manage",
  "metrics:read",
  "reviews:read",
  "reviews:moderate",
] as const;

export function grants(held: readonly string[], required: string): boolean {
  const [resource, action] = required.split(":");
  for (const permission of held) {
    if (permission === "*:*" || permission === required) return true;
    const [r, a] = permission.split(":");
    if (r === resource && (a === "*" || action === "read")) return true;
  }
  return false;
}
