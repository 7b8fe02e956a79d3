import type { Prisma } from "../../generated/prisma/client.js";
import type { Change } from "../audit/record.js";
import type { DomainEvent } from "../events.js";
import { recordOrderActivity } from "../orders/activity.js";
import { transitionOrder } from "../orders/orders.js";
import { giveBackLateCharge } from "./late-charges.js";
import { CAPTURABLE_STATUSES, refreshOrderPaymentStatus } from "./lifecycle.js";

type Tx = Prisma.TransactionClient;

/**
 * Whether money arriving for this payment has nothing to pay for: its payment was voided (given up), or
 * failed while its order moved on without it, or it is still open but its order was cancelled before
 * anything shipped. A failed payment of a still pending order is not returned: Stripe lets the shopper
 * try again on the same PaymentIntent, so its success may be the order's payment after all.
 */
export async function noLongerHeld(
  tx: Pick<Tx, "orderLine">,
  row: { status: string; orderId: string },
  orderStatus: string | null,
) {
  if (row.status === "voided") return true;
  if (row.status === "failed") return orderStatus !== "pending";
  if (!CAPTURABLE_STATUSES.includes(row.status as never) || orderStatus !== "cancelled") return false;
  return (await tx.orderLine.count({ where: { orderId: row.orderId, fulfilledQuantity: { gt: 0 } } })) === 0;
}

/** Locks the payment's order first (the lock order of every post-purchase change) and reads both. */
export async function lockPaymentOrder(tx: Tx, paymentId: string) {
  const { orderId } = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { orderId: true } });
  const [order] = await tx.$queryRaw<
    { status: string }[]
  >`SELECT status FROM "order" WHERE id = ${orderId}::uuid FOR UPDATE`;
  // Read under the lock: a concurrent change of the order's payments may just have committed.
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
  return { payment, orderStatus: order?.status ?? null };
}

/**
 * The provider says a payment succeeded (webhook or follow-up): the payment is captured for its amount
 * (`payment.captured`), and its order confirmed if it is still pending. A repeated success is a no-op.
 * Money for an order we no longer hold (cancelled with nothing shipped, or its payment given up) is not
 * kept: the payment is voided and the charge returned (late-charges.ts).
 */
export async function confirmPaidOrder(
  tx: Tx,
  payment: { id: string; orderId: string },
  reason: string,
  actor: Change["actor"],
): Promise<DomainEvent[]> {
  const { payment: row, orderStatus } = await lockPaymentOrder(tx, payment.id);
  if (row.providerRef && (await noLongerHeld(tx, row, orderStatus))) {
    await giveBackLateCharge(tx, row, row.providerRef, "captured");
    return [];
  }
  const capturedAt = new Date();
  const { count } = await tx.payment.updateMany({
    where: { id: row.id, status: { in: [...CAPTURABLE_STATUSES] } },
    data: { status: "captured", capturedAmount: row.amount, capturedAt },
  });
  if (count === 0) return [];
  await refreshOrderPaymentStatus(tx, row.orderId);
  const events: DomainEvent[] = [
    await recordOrderActivity(tx, {
      storeId: row.storeId,
      actor,
      type: "payment.captured",
      orderId: row.orderId,
      entityType: "payment",
      entityId: row.id,
      before: { status: row.status },
      after: { status: "captured", capturedAmount: row.amount, capturedAt },
      data: { paymentId: row.id, provider: row.provider, amount: row.amount, currency: row.currency, reason },
    }),
  ];
  if (orderStatus === "pending") {
    const { event } = await transitionOrder(tx, {
      orderId: row.orderId,
      storeId: row.storeId,
      target: "confirmed",
      reason,
      actor,
      expectedFrom: ["pending"],
      via: "payment",
    });
    events.push(event);
  }
  return events;
}

/**
 * An order whose payment will not come (creation failed, the customer never paid, the provider
 * cancelled it): the payment is marked, the promotions it used are given back, and the order is
 * cancelled if still pending, which releases its reserved stock. A payment for an exchange's price
 * difference is only marked: the order it belongs to stands.
 */
export async function abandonUnpaidOrder(
  tx: Tx,
  payment: { id: string; orderId: string },
  paymentStatus: "failed" | "voided",
  reason: string,
  actor: Change["actor"],
): Promise<DomainEvent | null> {
  const { payment: row, orderStatus } = await lockPaymentOrder(tx, payment.id);
  await tx.payment.updateMany({
    where: { id: row.id, status: { in: [...CAPTURABLE_STATUSES] } },
    data: { status: paymentStatus },
  });
  if (orderStatus !== "pending" || row.returnId) return null;
  const redemptions = await tx.promotionRedemption.findMany({ where: { orderId: payment.orderId } });
  for (const r of redemptions) {
    await tx.promotion.update({ where: { id: r.promotionId }, data: { usageCount: { decrement: 1 } } });
  }
  await tx.promotionRedemption.deleteMany({ where: { orderId: payment.orderId } });
  const { event } = await transitionOrder(tx, {
    orderId: payment.orderId,
    storeId: row.storeId,
    target: "cancelled",
    reason,
    actor,
    expectedFrom: ["pending"],
    via: "payment",
  });
  return event;
}
