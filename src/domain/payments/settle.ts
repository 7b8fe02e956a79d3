import type { Prisma as P } from "../../generated/prisma/client.js";
import type { Change } from "../audit/record.js";
import type { DomainEvent } from "../events.js";
import { transitionOrder } from "../orders/orders.js";

type Tx = P.TransactionClient;

/**
 * A pending payment succeeded (webhook or follow-up): the payment is marked, and the order confirmed
 * if it is still pending. A late or repeated success after any other change is a no-op.
 */
export async function confirmPaidOrder(
  tx: Tx,
  payment: { id: string; orderId: string },
  reason: string,
  actor: Change["actor"],
): Promise<DomainEvent | null> {
  await tx.payment.updateMany({ where: { id: payment.id, status: "pending" }, data: { status: "succeeded" } });
  const order = await tx.order.findUnique({ where: { id: payment.orderId }, select: { status: true, storeId: true } });
  if (order?.status !== "pending") return null;
  const { event } = await transitionOrder(tx, {
    orderId: payment.orderId,
    storeId: order.storeId,
    target: "confirmed",
    reason,
    actor,
    expectedFrom: ["pending"],
  });
  return event;
}

/**
 * An order whose payment will not come (creation failed, the customer never paid, the provider
 * cancelled it): the payment is marked, the promotions it used are given back, and the order is
 * cancelled if still pending, which releases its reserved stock.
 */
export async function abandonUnpaidOrder(
  tx: Tx,
  payment: { id: string; orderId: string },
  paymentStatus: "failed" | "cancelled",
  reason: string,
  actor: Change["actor"],
): Promise<DomainEvent | null> {
  await tx.payment.updateMany({ where: { id: payment.id, status: "pending" }, data: { status: paymentStatus } });
  const order = await tx.order.findUnique({ where: { id: payment.orderId }, select: { status: true, storeId: true } });
  if (order?.status !== "pending") return null;
  const redemptions = await tx.promotionRedemption.findMany({ where: { orderId: payment.orderId } });
  for (const r of redemptions) {
    await tx.promotion.update({ where: { id: r.promotionId }, data: { usageCount: { decrement: 1 } } });
  }
  await tx.promotionRedemption.deleteMany({ where: { orderId: payment.orderId } });
  const { event } = await transitionOrder(tx, {
    orderId: payment.orderId,
    storeId: order.storeId,
    target: "cancelled",
    reason,
    actor,
    expectedFrom: ["pending"],
  });
  return event;
}
