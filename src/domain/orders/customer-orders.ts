import type { Prisma as P } from "../../generated/prisma/client.js";
import { requireCustomer } from "../customers/customers.js";
import type { Scope } from "../scope.js";
import { orderKeyWhere } from "./orders.js";

/** One of the signed-in customer's orders by id or number; another customer's order is not found. */
export function myOrderWhere(scope: Scope, idOrNumber: string): P.OrderWhereInput | null {
  const customerId = requireCustomer(scope);
  const key = orderKeyWhere(scope.storeId, idOrNumber);
  return key ? { ...key, customerId } : null;
}
