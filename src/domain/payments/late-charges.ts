import type { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import { recordChange } from "../audit/record.js";
import { enqueueJob } from "../jobs/queue.js";
import { isUuid } from "../validation.js";
import { CAPTURABLE_STATUSES } from "./lifecycle.js";
import type { PaymentProvider } from "./provider.js";

/**
 * Money that arrives after we gave its payment up: the shopper paid (or the bank authorized) at the
 * provider just as the order was cancelled, or after a checkout gave up on a provider error. The order
 * stays cancelled and its stock released; the money goes back. A webhook's transaction schedules the
 * return (no network call inside it); the job makes it at the provider under one idempotency key per
 * payment, so a second event, a retry or a second worker never returns it twice.
 */
export const RETURN_LATE_CHARGE_JOB = "payments.returnLateCharge";

/** Payment statuses we gave up on: money arriving for them is returned. */
const GIVEN_UP = new Set(["failed", "voided"]);

export type LateCharge = "captured" | "authorized";

/**
 * In the transaction of the event that reported it (its order locked, `settle.ts` `noLongerHeld` said
 * so): the payment is voided if it was still open, and the charge's return is scheduled.
 */
export async function giveBackLateCharge(
  tx: Prisma.TransactionClient,
  payment: { id: string; storeId: string },
  providerRef: string,
  charge: LateCharge,
): Promise<void> {
  await tx.payment.updateMany({
    where: { id: payment.id, status: { in: [...CAPTURABLE_STATUSES] } },
    data: { status: "voided" },
  });
  await enqueueJob(tx, {
    name: RETURN_LATE_CHARGE_JOB,
    storeId: payment.storeId,
    payload: { paymentId: payment.id, providerRef, charge },
    maxAttempts: 8,
  });
}

const SYSTEM = { kind: "system", id: `job:${RETURN_LATE_CHARGE_JOB}` } as const;
/** The audit event of a returned late charge (payments.* changes never touch public answers). */
const RETURNED = "payments.lateChargeReturned";

/** The job: a captured charge is refunded in full, an authorization is cancelled; then audited. */
export async function returnLateCharge(
  deps: { prisma: Db; provider: PaymentProvider },
  payload: Record<string, unknown>,
): Promise<void> {
  const paymentId = String(payload.paymentId);
  const providerRef = String(payload.providerRef);
  if (!isUuid(paymentId)) return;
  const payment = await deps.prisma.payment.findUnique({ where: { id: paymentId } });
  if (!payment || !GIVEN_UP.has(payment.status) || payment.provider !== deps.provider.name) return;
  // Two events can report one late charge (a hosted checkout's session and its intent): returned once.
  const alreadyReturned = await deps.prisma.auditEntry.findFirst({
    where: { storeId: payment.storeId, entityType: "payment", entityId: payment.id, event: RETURNED },
    select: { id: true },
  });
  if (alreadyReturned) return;
  let returned: Record<string, unknown>;
  if (payload.charge === "authorized") {
    await deps.provider.cancelPayment(providerRef);
    returned = { cancelled: providerRef };
  } else {
    const refund = await deps.provider.refund({
      providerRef,
      amount: payment.amount,
      reason: "The order was cancelled before its payment succeeded.",
      idempotencyKey: `late-charge:${payment.id}`,
    });
    returned = { refund: refund.providerRef, refundStatus: refund.status };
  }
  await deps.prisma.$transaction((tx) =>
    recordChange(tx, {
      storeId: payment.storeId,
      actor: SYSTEM,
      event: RETURNED,
      entityType: "payment",
      entityId: payment.id,
      before: { status: payment.status },
      after: {
        status: payment.status,
        orderId: payment.orderId,
        providerRef,
        charge: payload.charge,
        amount: payment.amount,
        currency: payment.currency,
        ...returned,
      },
    }),
  );
}
