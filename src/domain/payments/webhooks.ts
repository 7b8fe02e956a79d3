import { DomainError } from "../errors.js";
import type { DomainEvent, EventBus } from "../events.js";
import { confirmPaidOrder } from "./settle.js";
import type { Prisma } from "../../infra/db.js";
import { type PaymentProvider, WebhookSignatureError } from "./provider.js";
import { settleRefunds } from "./refunds.js";

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
  deps: { prisma: Prisma; events: EventBus; provider: PaymentProvider },
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
    const payment = await tx.payment.findFirst({ where: { provider: deps.provider.name, providerRef: event.paymentRef } });
    if (!payment) return false; // not ours (or not yet recorded): acknowledged, nothing to change
    switch (event.type) {
      case "payment_intent.succeeded": {
        const confirmed = await confirmPaidOrder(tx, payment, `payment ${event.paymentRef} succeeded`, {
          kind: "system",
          id: `webhook:${deps.provider.name}`,
        });
        if (confirmed) published.push(confirmed);
        break;
      }
      case "payment_intent.payment_failed":
        await tx.payment.updateMany({ where: { id: payment.id, status: "pending" }, data: { status: "failed" } });
        break;
      case "charge.refunded":
        // The provider completed the refunds we asked for: settle them (and the order, if fully refunded).
        published.push(...(await settleRefunds(tx, payment.id)));
        break;
      case "payment_intent.canceled":
        await tx.payment.updateMany({ where: { id: payment.id, status: "pending" }, data: { status: "cancelled" } });
        break;
    }
    return false;
  });
  for (const e of published) deps.events.publish(e);
  return { eventId: event.id, eventType: event.type, duplicate };
}
