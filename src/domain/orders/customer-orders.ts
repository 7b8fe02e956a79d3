import type { Prisma } from "../../generated/prisma/client.js";
import { type Actor, can } from "../auth/actor.js";
import { requireCustomer } from "../customers/customers.js";
import type { Scope } from "../scope.js";
import { orderKeyWhere } from "./orders.js";

/** One order of a customer by id or number; another customer's order is not found. */
export function customerOrderWhere(
  storeId: string,
  customerId: string,
  idOrNumber: string,
): Prisma.OrderWhereInput | null {
  const key = orderKeyWhere(storeId, idOrNumber);
  return key ? { ...key, customerId } : null;
}

/** One of the signed-in customer's orders by id or number. */
export function myOrderWhere(scope: Scope, idOrNumber: string): Prisma.OrderWhereInput | null {
  return customerOrderWhere(scope.storeId, requireCustomer(scope), idOrNumber);
}

/** Who may read a customer's orders: that customer, or a merchant who may read orders. */
export function mayReadOrdersOf(actor: Actor, customerId: string | null): boolean {
  return (actor.kind === "customer" && actor.id === customerId) || can(actor, "orders:read");
}
