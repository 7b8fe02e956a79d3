import type { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import type { DomainEvent, EventBus } from "../events.js";
import { enqueuePaymentFollowUp, PAYMENT_FOLLOW_UP_JOB } from "./lifecycle.js";
import type { PaymentProvider } from "./provider.js";
import { abandonUnpaidOrder, confirmPaidOrder, noLongerHeld } from "./settle.js";

export { PAYMENT_FOLLOW_UP_JOB };

export interface PaymentFollowUpSettings {
  /** How long after checkout an unpaid order is given up (its stock released). */
  timeoutMs: number;
  /** How often a pending payment is asked about until then. */
  intervalMs: number;
}

/**
 * Schedules the next look at a payment: after the interval, or at its timeout if that comes first.
 * Checkout calls it in its transaction, so the follow-up exists exactly when the order does.
 */
export function schedulePaymentFollowUp(
  db: Pick<Prisma.TransactionClient, "job">,
  payment: { id: string; storeId: string; createdAt: Date },
  settings: PaymentFollowUpSettings,
  now: Date = new Date(),
) {
  const untilTimeout = payment.createdAt.getTime() + settings.timeoutMs - now.getTime();
  // A delay from now on the queue's clock (the job runner's, which `now` comes from).
  return enqueuePaymentFollowUp(
    db,
    payment,
    new Date(now.getTime() + Math.max(0, Math.min(settings.intervalMs, untilTimeout))),
  );
}

const SYSTEM = { kind: "system", id: `job:${PAYMENT_FOLLOW_UP_JOB}` } as const;

/**
 * Makes sure no order waits for a payment forever, even when the provider's webhook never arrives or
 * the process died between committing the order and calling the provider:
 * - a payment the provider reports succeeded confirms the order (as the webhook would);
 * - failed or cancelled at the provider, or never created there, cancels the order and releases its stock;
 * - still pending: asked again later, and past the timeout cancelled at the provider and here.
 * Manual payments are settled by a merchant, so only a never-created one is acted on.
 */
export async function followUpPayment(
  deps: {
    prisma: Db;
    events: EventBus;
    provider: PaymentProvider;
    settings: PaymentFollowUpSettings;
    /** What time it is for the age of a payment (default: the system clock; tests move it forward). */
    now?: () => Date;
  },
  paymentId: string,
): Promise<void> {
  const { prisma, provider, settings } = deps;
  const payment = await prisma.payment.findUnique({ where: { id: paymentId } });
  if (payment?.status !== "pending" || payment.provider !== provider.name) return;
  const now = deps.now?.() ?? new Date();
  const overdue = now.getTime() - payment.createdAt.getTime() >= settings.timeoutMs;

  let outcome: "succeeded" | "failed" | "cancelled" | "wait" | "give up";
  if (!payment.providerRef) {
    // The provider was never reached (a crash after commit): give the stock back once the timeout passed.
    outcome = overdue ? "failed" : "wait";
  } else {
    const status = await provider.retrievePayment(payment.providerRef);
    if (status === null) return; // settled by a merchant
    // An order cancelled before it was paid (nothing shipped) stops being payable at once.
    const order = await prisma.order.findUnique({ where: { id: payment.orderId }, select: { status: true } });
    const cancelled = await noLongerHeld(prisma, payment, order?.status ?? null);
    outcome = status === "pending" ? (overdue || cancelled ? "give up" : "wait") : status;
  }
  if (outcome === "wait") {
    await schedulePaymentFollowUp(prisma, payment, settings, now);
    return;
  }
  if (outcome === "give up") await provider.cancelPayment(payment.providerRef!);
  const events: DomainEvent[] = await prisma.$transaction(async (tx) => {
    if (outcome === "succeeded")
      return confirmPaidOrder(tx, payment, `payment ${payment.providerRef} succeeded (follow-up)`, SYSTEM);
    const cancelled = await abandonUnpaidOrder(
      tx,
      payment,
      outcome === "failed" ? "failed" : "voided",
      outcome === "give up" ? "not paid in time" : `payment ${outcome} at the provider`,
      SYSTEM,
    );
    return cancelled ? [cancelled] : [];
  });
  for (const event of events) deps.events.publish(event);
}
