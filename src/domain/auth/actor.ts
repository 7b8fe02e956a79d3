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
    };

export const ANONYMOUS: Actor = { kind: "anonymous" };

export function can(actor: Actor, permission: string): boolean {
  return actor.kind === "apiKey" && grants(actor.permissions, permission);
}

/** The signed-in customer's id, or null for merchants and anonymous callers. */
export function customerIdOf(actor: Actor): string | null {
  return actor.kind === "customer" ? actor.id : null;
}

/** The store an actor is bound to, if any (a platform-wide key is bound to none). */
export function storeOf(actor: Actor): string | null {
  return actor.kind === "anonymous" ? null : actor.storeId;
}
