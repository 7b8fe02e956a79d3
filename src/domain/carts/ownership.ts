import type { Prisma as P } from "../../generated/prisma/client.js";
import type { Actor } from "../auth/actor.js";

/**
 * Who may see and change a cart. A cart id is a capability (guests hold theirs in a cookie), but a
 * cart that belongs to a customer is theirs alone: other shoppers get a 404 as if it did not exist.
 * Merchants (API keys) see every cart of their store.
 */
export function cartVisibility(actor: Actor): P.CartWhereInput {
  if (actor.kind === "apiKey") return {};
  if (actor.kind === "customer") return { OR: [{ customerId: null }, { customerId: actor.id }] };
  return { customerId: null };
}

export function mayUseCart(actor: Actor, cart: { customerId: string | null }): boolean {
  if (actor.kind === "apiKey" || cart.customerId === null) return true;
  return actor.kind === "customer" && actor.id === cart.customerId;
}
