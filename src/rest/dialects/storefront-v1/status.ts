import { ValidationError } from "../../../domain/errors.js";
import { ORDER_STATUSES, type OrderStatus } from "../../../domain/orders/lifecycle.js";

/** Seed 001's order statuses: pending -> fulfilled -> (optionally) returned or refunded; or cancelled. */
export const STOREFRONT_ORDER_STATUSES = ["pending", "fulfilled", "cancelled", "refunded", "returned"] as const;
export type StorefrontOrderStatus = (typeof STOREFRONT_ORDER_STATUSES)[number];

/**
 * The one table from our order statuses to seed 001's. Exhaustive: a new status of ours fails to
 * compile until it is placed here. `returned` is not a status of ours (returns have their own state
 * machine): an order that is neither refunded nor cancelled reads `returned` once one of its returns
 * has its items back (received or refunded).
 */
const FROM_OURS: Record<OrderStatus, Exclude<StorefrontOrderStatus, "returned">> = {
  pending: "pending",
  confirmed: "pending",
  processing: "pending",
  partially_fulfilled: "pending",
  fulfilled: "fulfilled",
  refunded: "refunded",
  cancelled: "cancelled",
};

/** Whether a status can read `returned` (a refunded or cancelled order says so whatever its returns). */
const mayReadReturned = (status: OrderStatus) => FROM_OURS[status] === "pending" || FROM_OURS[status] === "fulfilled";

export function storefrontOrderStatus(status: OrderStatus, returned: boolean): StorefrontOrderStatus {
  return returned && mayReadReturned(status) ? "returned" : FROM_OURS[status];
}

/** The `orders(filter:)` that lists exactly the orders `storefrontOrderStatus` shows as `status`. */
export function orderFilterFor(status: string): { statusIn: OrderStatus[]; returned?: boolean } {
  if (!(STOREFRONT_ORDER_STATUSES as readonly string[]).includes(status)) {
    throw new ValidationError([
      {
        path: "status",
        code: "invalid_value",
        message: `status must be one of ${STOREFRONT_ORDER_STATUSES.join(", ")}.`,
      },
    ]);
  }
  if (status === "returned") return { statusIn: ORDER_STATUSES.filter(mayReadReturned), returned: true };
  const statusIn = ORDER_STATUSES.filter((ours) => FROM_OURS[ours] === status);
  return statusIn.some(mayReadReturned) ? { statusIn, returned: false } : { statusIn };
}

/** The table for the docs: seed 001's status <- ours. */
export function statusTable(): Record<StorefrontOrderStatus, string> {
  const table = Object.fromEntries(STOREFRONT_ORDER_STATUSES.map((s) => [s, [] as string[]])) as Record<
    StorefrontOrderStatus,
    string[]
  >;
  for (const ours of ORDER_STATUSES) table[FROM_OURS[ours]].push(ours);
  table.returned.push("any of the pending or fulfilled ones with a return received or refunded");
  return Object.fromEntries(Object.entries(table).map(([s, list]) => [s, list.join(", ")])) as Record<
    StorefrontOrderStatus,
    string
  >;
}
