/**
 * The order lifecycle of seed 002: pending -> confirmed -> processing -> partially_fulfilled | fulfilled
 * -> refunded; cancel from pending, confirmed, processing, partially_fulfilled.
 */
export const ORDER_STATUSES = [
  "pending",
  "confirmed",
  "processing",
  "partially_fulfilled",
  "fulfilled",
  "refunded",
  "cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["confirmed", "cancelled"],
  confirmed: ["processing", "cancelled"],
  processing: ["partially_fulfilled", "fulfilled", "cancelled"],
  partially_fulfilled: ["fulfilled", "refunded", "cancelled"],
  fulfilled: ["refunded"],
  refunded: [],
  cancelled: [],
};

/** The statuses an order may be in for a move to `target` to be allowed. */
export function statusesAllowingMoveTo(target: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((status) => ORDER_TRANSITIONS[status].includes(target));
}

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}
