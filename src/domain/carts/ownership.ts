import type { Prisma } from "../../generated/prisma/client.js";
import { type Actor, can } from "../auth/actor.js";

/**
 * Who may see and change carts, and check them out.
 *
 * Shoppers need no permission: a guest cart's id is a capability (guests hold theirs in a cookie), and a
 * cart that belongs to a customer is theirs alone — to other shoppers it does not exist (404).
 * API keys are merchants, not shoppers: a key may act on the carts of its store only with a cart
 * permission for the action, and place orders only with `orders:create`. A key without them gets 403,
 * for guest carts too.
 */
export type CartAction = "read" | "create" | "update";

/** The permission an API key needs for a cart action (`carts:read`, `carts:create`, `carts:update`). */
export const cartPermission = (action: CartAction) => `carts:${action}`;

/** The permission an API key needs to check a cart out. */
export const CHECKOUT_PERMISSION = "orders:create";

/** May this caller perform the action on carts at all? (Which carts: see `cartVisibility` / `mayUseCart`.) */
export function mayActOnCarts(actor: Actor, action: CartAction): boolean {
  return actor.kind !== "apiKey" || can(actor, cartPermission(action));
}

/** May this caller check carts out at all? */
export function mayCheckOut(actor: Actor): boolean {
  return actor.kind !== "apiKey" || can(actor, CHECKOUT_PERMISSION);
}

/** The carts of the store this caller may read. */
export function cartVisibility(actor: Actor): Prisma.CartWhereInput {
  if (actor.kind === "apiKey") return can(actor, cartPermission("read")) ? {} : { id: { in: [] } };
  if (actor.kind === "customer") return { OR: [{ customerId: null }, { customerId: actor.id }] };
  return { customerId: null };
}

/** May this caller use this cart (a key: for the action)? */
export function mayUseCart(actor: Actor, cart: { customerId: string | null }, action: CartAction): boolean {
  if (actor.kind === "apiKey") return can(actor, cartPermission(action));
  if (cart.customerId === null) return true;
  return actor.kind === "customer" && actor.id === cart.customerId;
}

/** May this caller check this cart out? */
export function mayCheckOutCart(actor: Actor, cart: { customerId: string | null }): boolean {
  return actor.kind === "apiKey" ? can(actor, CHECKOUT_PERMISSION) : mayUseCart(actor, cart, "update");
}

/**
 * May this caller be answered with the order a cart became (an idempotent retry of a checkout that
 * already committed)? Only whoever could have placed it: a key that may read orders, the customer it
 * belongs to, or the holder of a guest cart whose order is a guest order.
 */
export function mayReadOrderOfCart(
  actor: Actor,
  cart: { customerId: string | null },
  order: { customerId: string | null },
): boolean {
  if (actor.kind === "apiKey") return can(actor, "orders:read");
  return mayUseCart(actor, cart, "read") && order.customerId === (actor.kind === "customer" ? actor.id : null);
}
