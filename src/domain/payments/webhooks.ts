import type { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import { DomainError } from "../errors.js";
import type { DomainEvent, EventBus } from "../events.js";
import { isUuid } from "../validation.js";
import { giveBackLateCharge } from "./late-charges.js";
import { CAPTURABLE_STATUSES } from "./lifecycle.js";
import { type PaymentProvider, WebhookSignatureError } from "./provider.js";
import { settleRefunds } from "./refunds.js";
import { confirmPaidOrder, lockPaymentOrder, noLongerHeld } from "./settle.js";

export interface WebhookReceipt {
  eventId: string;
  eventType: string;
  /** True when this event was processed before: redeliveries change nothing. */
  duplicate: boolean;
}

/**
 * An inbound payment webhook: the signature is verified over the raw body before anything else (a bad
 * or stale signature changes nothing), the event is recorded and acted on in one transaction, so a
 * duplicated or concurrent delivery causes exactly one state change.
 */
export async function handlePaymentWebhook(
  deps: { prisma: Db; events: EventBus; provider: PaymentProvider },
  input: { payload: string; signature: string | null },
): Promise<WebhookReceipt> {
  let event;
  try {
    event = deps.provider.verifyWebhook(input.payload, input.signature);
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      throw new DomainError("BAD_REQUEST", `Webhook signature verification failed: ${error.message}`);
    }
    throw error;
  }
  const published: DomainEvent[] = [];
  const duplicate = await deps.prisma.$transaction(async (tx) => {
    const { count } = await tx.processedWebhookEvent.createMany({
      data: [{ id: `${deps.provider.name}:${event.id}`, provider: deps.provider.name, type: event.type }],
      skipDuplicates: true,
    });
    if (count === 0) return true;
    if (!event.paymentRef) return false;
    // A hosted checkout's payment is known by its session until it completes, then by its PaymentIntent.
    const refs = [event.paymentRef, ...(event.intentRef ? [event.intentRef] : [])];
    const payment =
      (await tx.payment.findFirst({ where: { provider: deps.provider.name, providerRef: { in: refs } } })) ??
      (await adoptUnrecordedPayment(tx, deps.provider.name, event.orderId, event.paymentRef));
    if (!payment) return false; // not ours: acknowledged, nothing to change
    const actor = { kind: "system", id: `webhook:${deps.provider.name}` } as const;
    switch (event.type) {
      case "payment_intent.succeeded":
        published.push(...(await confirmPaidOrder(tx, payment, `payment ${event.paymentRef} succeeded`, actor)));
        break;
      case "payment_intent.amount_capturable_updated": {
        // Authorized (manual capture at Stripe): the money is held, not yet taken; released again when its
        // order is no longer held (cancelled with nothing shipped, or the payment given up).
        const { payment: row, orderStatus } = await lockPaymentOrder(tx, payment.id);
        if (await noLongerHeld(tx, row, orderStatus)) {
          await giveBackLateCharge(tx, row, event.paymentRef, "authorized");
          break;
        }
        await tx.payment.updateMany({ where: { id: payment.id, status: "pending" }, data: { status: "authorized" } });
        break;
      }
      case "payment_intent.payment_failed":
        await tx.payment.updateMany({
          where: { id: payment.id, status: { in: [...CAPTURABLE_STATUSES] } },
          data: { status: "failed" },
        });
        break;
      case "charge.refunded":
        // The provider completed the refunds we asked for: settle them (and the order, if fully refunded).
        published.push(...(await settleRefunds(tx, payment.id, undefined, actor)));
        break;
      case "checkout.session.completed":
      case "checkout.session.async_payment_succeeded":
        // Refunds and the PaymentIntent's own events name the intent from now on.
        if (event.intentRef && payment.providerRef !== event.intentRef) {
          await tx.payment.update({ where: { id: payment.id }, data: { providerRef: event.intentRef } });
        }
        // Completed with a delayed method (a bank debit): paid only at async_payment_succeeded.
        if (event.paid !== false) {
          published.push(...(await confirmPaidOrder(tx, payment, `checkout session ${event.paymentRef} paid`, actor)));
        }
        break;
      case "checkout.session.async_payment_failed":
        await tx.payment.updateMany({
          where: { id: payment.id, status: { in: [...CAPTURABLE_STATUSES] } },
          data: { status: "failed" },
        });
        break;
      case "checkout.session.expired":
      case "payment_intent.canceled":
        await tx.payment.updateMany({
          where: { id: payment.id, status: { in: [...CAPTURABLE_STATUSES] } },
          data: { status: "voided" },
        });
        break;
    }
    return false;
  });
  for (const e of published) deps.events.publish(e);
  return { eventId: event.id, eventType: event.type, duplicate };
}

/**
 * The order's payment whose provider-side payment was made but never recorded here: the process died
 * after the provider acted, or the provider's answer was lost. The provider's events name the order
 * (metadata.orderId, which only we set, on a signed event), so the first one records the reference, and
 * the payment is followed (webhooks, the follow-up job, cancellation at timeout) like any other. Only a
 * payment still without a reference is adopted, and only once (two events racing: one wins, the other
 * finds it by reference next time).
 */
async function adoptUnrecordedPayment(
  tx: Prisma.TransactionClient,
  provider: string,
  orderId: string | null,
  ref: string,
) {
  if (!orderId || !isUuid(orderId)) return null;
  const unrecorded = await tx.payment.findFirst({
    where: { provider, orderId, providerRef: null },
    orderBy: { createdAt: "asc" },
  });
  if (!unrecorded) return null;
  const { count } = await tx.payment.updateMany({
    where: { id: unrecorded.id, providerRef: null },
    data: { providerRef: ref },
  });
  return count ? { ...unrecorded, providerRef: ref } : null;
}
