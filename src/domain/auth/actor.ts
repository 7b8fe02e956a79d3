import { grants } from "./permissions.js";

/** Who is calling. Every request has one; anonymous callers may only read public data. */
export type Actor =
  | { kind: "anonymous" }
  | {
      kind: "apiKey";
      id: string;
      name: string;
      /** null: a platform-wide key (the bootstrap key) that works on any store. */
      storeId: string | null;
      permissions: readonly string[];
      /** A vendor key (marketplace): acts as this vendor only, whatever its permissions name. */
      vendorId?: string | null;
    }
  | {
      /**
       * A publishable key (`pk_`), meant to be embedded in a storefront page: it acts as an anonymous
       * shopper of its store (active catalog, guest carts, checkout) and holds no merchant permission.
       */
      kind: "publishableKey";
      id: string;
      name: string;
      storeId: string;
    }
  | {
      /** A signed-in shopper: no permissions, only their own profile, addresses, carts and orders. */
      kind: "customer";
      id: string;
      sessionId: string;
      storeId: string;
      /** Vendor staff: a customer account linked to a marketplace vendor acts as that vendor too. */
      vendorId?: string | null;
    };

export const ANONYMOUS: Actor = { kind: "anonymous" };

/**
 * What a vendor actor (a vendor key, or vendor staff signed in) may ever do through permissions: its own
 * catalog, prices and stock, which the services scope to its vendorId (domain/marketplace/vendor-scope.ts).
 * Nothing else, whatever permissions a vendor key names: no orders, customers, settings, webhooks, keys.
 */
export const VENDOR_PERMISSIONS: readonly string[] = [
  "catalog:read",
  "catalog:create",
  "catalog:update",
  "catalog:delete",
  "pricing:read",
  "pricing:create",
  "pricing:update",
  "inventory:read",
  "inventory:update",
];

export function can(actor: Actor, permission: string): boolean {
  if (vendorOf(actor)) {
    if (!VENDOR_PERMISSIONS.includes(permission)) return false;
    // Vendor staff hold the vendor permissions; a vendor key those it names (within them).
    return actor.kind === "customer" || (actor.kind === "apiKey" && grants(actor.permissions, permission));
  }
  return actor.kind === "apiKey" && grants(actor.permissions, permission);
}

/** The marketplace vendor an actor acts as (a vendor key, vendor staff), or null. */
export function vendorOf(actor: Actor): string | null {
  return (actor.kind === "apiKey" || actor.kind === "customer") && actor.vendorId ? actor.vendorId : null;
}

/** The signed-in customer's id, or null for merchants and anonymous callers. */
export function customerIdOf(actor: Actor): string | null {
  return actor.kind === "customer" ? actor.id : null;
}

/** The store an actor is bound to, if any (a platform-wide key is bound to none). */
export function storeOf(actor: Actor): string | null {
  return actor.kind === "anonymous" ? null : actor.storeId;
}
