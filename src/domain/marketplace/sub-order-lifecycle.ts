import type { OrderStatus } from "../orders/lifecycle.js";

/**
 * A vendor's sub-order: pending -> confirmed -> shipped -> delivered; pending | confirmed -> cancelled.
 * (A shipped sub-order is not cancelled: what comes back is a return.)
 */
export const SUB_ORDER_STATUSES = ["pending", "confirmed", "shipped", "delivered", "cancelled"] as const;
export type SubOrderStatus = (typeof SUB_ORDER_STATUSES)[number];

export const SUB_ORDER_TRANSITIONS: Record<SubOrderStatus, readonly SubOrderStatus[]> = {
  pending: ["confirmed", "cancelled"],
  confirmed: ["shipped", "cancelled"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
};

export function isSubOrderStatus(value: string): value is SubOrderStatus {
  return (SUB_ORDER_STATUSES as readonly string[]).includes(value);
}

export function subOrderStatusesAllowingMoveTo(target: SubOrderStatus): SubOrderStatus[] {
  return SUB_ORDER_STATUSES.filter((s) => SUB_ORDER_TRANSITIONS[s].includes(target));
}

/**
 * The parent order's fulfilment status as its parts say (orders/lifecycle.ts names): every part
 * cancelled -> cancelled; every part not cancelled delivered -> fulfilled; some part shipped or delivered
 * -> partially_fulfilled; otherwise null (the parent keeps its payment-driven status). Platform-owned
 * lines of the parent count as one more part: `platformLines` says whether there are any and whether
 * they have all shipped.
 */
export function deriveParentStatus(
  parts: readonly SubOrderStatus[],
  platformLines: { present: boolean; allShipped: boolean } = { present: false, allShipped: true },
): Extract<OrderStatus, "cancelled" | "fulfilled" | "partially_fulfilled"> | null {
  if (parts.length === 0) return null;
  const live = parts.filter((s) => s !== "cancelled");
  if (live.length === 0 && !platformLines.present) return "cancelled";
  const platformDone = !platformLines.present || platformLines.allShipped;
  if (live.length > 0 && live.every((s) => s === "delivered") && platformDone) return "fulfilled";
  const anyProgress =
    live.some((s) => s === "shipped" || s === "delivered") || (platformLines.present && platformLines.allShipped);
  return anyProgress ? "partially_fulfilled" : null;
}

/**
 * The moves that take the parent from `current` toward `target` along the order table (a confirmed
 * order passes through processing first). Empty when it is already there or cannot get there.
 */
export function parentPath(
  current: OrderStatus,
  target: Extract<OrderStatus, "cancelled" | "fulfilled" | "partially_fulfilled">,
): OrderStatus[] {
  if (current === target) return [];
  if (target === "cancelled")
    return ["pending", "confirmed", "processing", "partially_fulfilled"].includes(current) ? ["cancelled"] : [];
  if (current === "confirmed") return ["processing", target];
  if (current === "processing") return [target];
  if (current === "partially_fulfilled" && target === "fulfilled") return ["fulfilled"];
  return [];
}
