import { z } from "zod";
import { changedBy } from "../audit/record.js";
import { InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import type { DomainEvent } from "../events.js";
import { recordOrderActivity } from "../orders/activity.js";
import { lockOrder, transitionOrder } from "../orders/orders.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput, uuid } from "../validation.js";
import {
  CAPTURABLE_STATUSES,
  PAYMENT_TRANSITIONS,
  type PaymentStatus,
  paymentTransitionError,
  refreshOrderPaymentStatus,
  transitionPayment,
} from "./lifecycle.js";

export const CapturePaymentInput = z.object({
  orderId: z.string(),
  /** Which payment; by default the order's oldest one that can still be captured. */
  paymentId: uuid.nullish(),
  /** Minor units, at most the payment's amount; the whole amount when omitted. */
  amount: z.number().int().positive().nullish(),
  /** The merchant's reference (bank transfer id, receipt number). */
  reference: z.string().trim().min(1).max(200).nullish(),
});

/**
 * A merchant marks a manual payment (cash on delivery, bank transfer, invoice) as paid: pending or
 * authorized -> captured, for its amount or less, with an optional reference. A pending order is
 * confirmed by it, as a Stripe payment's webhook would. Stripe payments move only through their
 * verified webhooks, so capturing one here is refused. Audited and announced as `payment.captured`.
 */
export async function capturePayment(scope: Scope, input: unknown) {
  const data = parseInput(CapturePaymentInput, input);
  if (!isUuid(data.orderId)) throw new NotFoundError("Order", data.orderId);
  const events: DomainEvent[] = [];
  const payment = await scope.prisma.$transaction(async (tx) => {
    const order = await lockOrder(tx, scope.storeId, data.orderId);
    const payments = await tx.payment.findMany({
      where: { orderId: order.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    const chosen = data.paymentId
      ? payments.find((p) => p.id === data.paymentId)
      : (payments.find((p) => (CAPTURABLE_STATUSES as readonly string[]).includes(p.status)) ?? payments.at(-1));
    if (!chosen) throw new NotFoundError("Payment", data.paymentId ?? undefined);
    if (!(CAPTURABLE_STATUSES as readonly string[]).includes(chosen.status))
      throw paymentTransitionError(chosen.status, "captured");
    if (chosen.provider !== "manual") {
      // The table allows the move; this guard keeps it to the provider's verified webhook.
      throw new InvalidTransitionError(
        "payment",
        chosen.status,
        "captured",
        PAYMENT_TRANSITIONS[chosen.status as PaymentStatus] ?? [],
        "provider_webhooks_only",
        `A ${chosen.provider} payment is captured by the provider's verified webhook, not by hand.`,
      );
    }
    const amount = data.amount ?? chosen.amount;
    if (amount > chosen.amount)
      throw ValidationError.field("amount", "too_big", `At most ${chosen.amount} can be captured.`);
    const captured = await transitionPayment(tx, chosen.id, "captured", {
      capturedAmount: amount,
      capturedAt: new Date(),
      reference: data.reference ?? null,
    });
    await refreshOrderPaymentStatus(tx, order.id);
    events.push(
      await recordOrderActivity(tx, {
        ...changedBy(scope),
        type: "payment.captured",
        orderId: order.id,
        entityType: "payment",
        entityId: captured.id,
        before: { status: chosen.status, capturedAmount: chosen.capturedAmount },
        after: { status: captured.status, capturedAmount: amount, reference: captured.reference },
        data: {
          paymentId: captured.id,
          provider: captured.provider,
          amount,
          currency: captured.currency,
          reference: captured.reference,
        },
      }),
    );
    if (order.status === "pending") {
      const { event } = await transitionOrder(tx, {
        orderId: order.id,
        storeId: scope.storeId,
        target: "confirmed",
        reason: "payment captured",
        actor: scope.actor,
        requestId: scope.requestId,
        via: "payment",
      });
      events.push(event);
    }
    return captured;
  });
  for (const event of events) scope.events.publish(event);
  return payment;
}
