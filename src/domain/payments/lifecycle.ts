import type { Prisma } from "../../generated/prisma/client.js";
import { InvalidTransitionError, NotFoundError } from "../errors.js";
import { enqueueJob } from "../jobs/queue.js";

/** The job that follows a provider payment up until it is settled (payments/follow-up.ts). */
export const PAYMENT_FOLLOW_UP_JOB = "payments.followUp";

/**
 * Queues a look at a provider payment (payments/follow-up.ts) at `runAt`, by default at once. Here rather
 * than in follow-up.ts so that cancelling an order (orders/orders.ts) can ask for one without an import cycle.
 */
export function enqueuePaymentFollowUp(
  db: Pick<Prisma.TransactionClient, "job">,
  payment: { id: string; storeId: string },
  runAt = new Date(),
) {
  return enqueueJob(db, {
    name: PAYMENT_FOLLOW_UP_JOB,
    storeId: payment.storeId,
    payload: { paymentId: payment.id },
    runAt,
    maxAttempts: 8,
  });
}

/**
 * The payment lifecycle: pending -> authorized -> captured -> partially_refunded -> refunded;
 * pending may be captured at once (Stripe's automatic capture); pending and authorized may end voided
 * or failed. Stored values of older versions (`succeeded`, `cancelled`) were migrated to captured and
 * voided.
 */
export const PAYMENT_STATUSES = [
  "pending",
  "authorized",
  "captured",
  "partially_refunded",
  "refunded",
  "voided",
  "failed",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  pending: ["authorized", "captured", "voided", "failed"],
  authorized: ["captured", "voided", "failed"],
  captured: ["partially_refunded", "refunded"],
  partially_refunded: ["refunded"],
  refunded: [],
  voided: [],
  failed: [],
};

/** Statuses whose payment holds captured money (what refunds are taken from). */
export const CAPTURED_STATUSES: readonly PaymentStatus[] = ["captured", "partially_refunded", "refunded"];
/** Statuses a payment can still be captured from. */
export const CAPTURABLE_STATUSES: readonly PaymentStatus[] = ["pending", "authorized"];

/** The order's view of its payments: unpaid | paid | partially_refunded | refunded. */
export const ORDER_PAYMENT_STATUSES = ["unpaid", "paid", "partially_refunded", "refunded"] as const;
export type OrderPaymentStatus = (typeof ORDER_PAYMENT_STATUSES)[number];

export function paymentTransitionAllowed(from: string, to: PaymentStatus): boolean {
  return (PAYMENT_TRANSITIONS[from as PaymentStatus] ?? []).includes(to);
}

/**
 * Moves a payment along the table with one conditional UPDATE (two racing moves cannot both win);
 * a move the table does not allow is 409 with the allowed ones. `data` is written with the move.
 */
export async function transitionPayment(
  tx: Prisma.TransactionClient,
  paymentId: string,
  target: PaymentStatus,
  data: Prisma.PaymentUncheckedUpdateManyInput = {},
) {
  const from = (Object.keys(PAYMENT_TRANSITIONS) as PaymentStatus[]).filter((s) =>
    PAYMENT_TRANSITIONS[s].includes(target),
  );
  const { count } = await tx.payment.updateMany({
    where: { id: paymentId, status: { in: from } },
    data: { ...data, status: target },
  });
  if (count === 0) {
    const current = await tx.payment.findUnique({ where: { id: paymentId }, select: { status: true } });
    if (!current) throw new NotFoundError("Payment", paymentId);
    throw paymentTransitionError(current.status, target);
  }
  return tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
}

export function paymentTransitionError(current: string, target: string): InvalidTransitionError {
  return new InvalidTransitionError("payment", current, target, PAYMENT_TRANSITIONS[current as PaymentStatus] ?? []);
}

/**
 * Recomputes the order's payment status from its payments (captured amounts) and their settled
 * refunds, stores it, and returns it with the previous one. Inside the caller's transaction.
 */
export async function refreshOrderPaymentStatus(
  tx: Prisma.TransactionClient,
  orderId: string,
): Promise<{ before: OrderPaymentStatus; after: OrderPaymentStatus }> {
  const [row] = await tx.$queryRaw<{ before: OrderPaymentStatus; captured: number; settled: number }[]>`
    SELECT o."paymentStatus" AS before,
           coalesce((SELECT sum(p."capturedAmount") FROM payment p WHERE p."orderId" = o.id), 0)::int AS captured,
           coalesce((SELECT sum(r.amount) FROM refund r WHERE r."orderId" = o.id AND r.status = 'succeeded'), 0)::int AS settled
    FROM "order" o WHERE o.id = ${orderId}::uuid`;
  if (!row) throw new NotFoundError("Order", orderId);
  const after: OrderPaymentStatus =
    row.captured === 0
      ? "unpaid"
      : row.settled >= row.captured
        ? "refunded"
        : row.settled > 0
          ? "partially_refunded"
          : "paid";
  if (after !== row.before) await tx.order.update({ where: { id: orderId }, data: { paymentStatus: after } });
  return { before: row.before, after };
}
