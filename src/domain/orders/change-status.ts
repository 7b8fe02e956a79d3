import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { NotFoundError } from "../errors.js";
import { CAPTURED_STATUSES } from "../payments/lifecycle.js";
import { issueRefund, type RefundDeps } from "../payments/refunds.js";
import { isUuid, parseInput } from "../validation.js";
import { ORDER_STATUSES } from "./lifecycle.js";
import { transitionOrder } from "./orders.js";
import { valueOfUnits } from "./valuation.js";

export const ChangeStatusInput = z.object({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  reason: z.string().trim().max(500).nullish(),
});

/**
 * `PATCH /orders/:id/status` and `updateOrderStatus`: one transition of the table, by hand, in its own
 * transaction. Its guards keep the facts first: fulfilled only from fulfillments, refunded only from
 * settled refunds. Cancelling refunds what was captured for the unshipped part (everything, when
 * nothing shipped); the refund is asked for after the cancellation committed, and a provider that
 * refuses it leaves a failed refund on the order rather than an uncancelled order.
 */
export async function changeOrderStatus(deps: RefundDeps, input: unknown) {
  const { scope } = deps;
  const { id, status, reason } = parseInput(ChangeStatusInput, input);
  if (!isUuid(id)) throw new NotFoundError("Order", id);
  const { order, event, refundDue } = await scope.prisma.$transaction(async (tx) => {
    const moved = await transitionOrder(tx, {
      orderId: id,
      storeId: scope.storeId,
      target: status,
      reason,
      actor: scope.actor,
      requestId: scope.requestId,
      via: "manual",
    });
    return { ...moved, refundDue: status === "cancelled" ? await refundDueOnCancel(tx, id) : 0 };
  });
  scope.events.publish(event);
  if (refundDue > 0) {
    await issueRefund(deps, { orderId: id, amount: refundDue, reason: reason ?? "order cancelled" }).catch(() => {
      // recorded as a failed refund; the cancellation stands
    });
  }
  return order;
}

/** What a cancellation gives back: the captured remainder, or only the cancelled units' value if some shipped. */
async function refundDueOnCancel(tx: Prisma.TransactionClient, orderId: string): Promise<number> {
  // Refunds come out of one payment at a time (issueRefund takes the oldest with money left).
  const payments = await tx.payment.findMany({
    where: { orderId, status: { in: [...CAPTURED_STATUSES] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const payment = payments.find((p) => p.capturedAmount > p.refundedAmount);
  if (!payment) return 0;
  const refundable = payment.capturedAmount - payment.refundedAmount;
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: true } });
  if (order.lines.every((l) => l.fulfilledQuantity === 0)) return refundable;
  const cancelled = order.lines.map((l) => ({ lineId: l.id, quantity: l.cancelledQuantity }));
  return Math.min(refundable, valueOfUnits(order, order.lines, cancelled));
}
