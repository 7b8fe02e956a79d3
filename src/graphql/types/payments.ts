import { handlePaymentWebhook } from "../../domain/payments/webhooks.js";
import { builder } from "../builder.js";
import { mutationResult } from "./errors.js";

const WebhookReceipt = builder
  .objectRef<{ eventId: string; eventType: string; duplicate: boolean }>("PaymentWebhookReceipt")
  .implement({
    fields: (t) => ({
      received: t.boolean({ resolve: () => true }),
      eventId: t.exposeString("eventId"),
      eventType: t.exposeString("eventType"),
      duplicate: t.exposeBoolean("duplicate", { description: "Seen before: nothing changed this time." }),
    }),
  });

const PaymentWebhookInput = builder.inputType("PaymentWebhookInput", {
  fields: (t) => ({
    payload: t.string({ required: true, description: "The request body exactly as received (signed bytes)." }),
    signature: t.string({ description: "The provider's signature header (Stripe-Signature)." }),
  }),
});

builder.mutationField("handlePaymentWebhook", (t) =>
  t.field({
    type: WebhookReceipt,
    description:
      "Receives a payment provider webhook. Needs no API key: the provider's signature over the payload is the " +
      "credential. payment_intent.succeeded confirms the pending order of the payment, exactly once.",
    authScopes: { public: true },
    args: { input: t.arg({ type: PaymentWebhookInput, required: true }) },
    errors: mutationResult("HandlePaymentWebhook", "receipt"),
    resolve: (_root, { input }, ctx) =>
      handlePaymentWebhook(
        { prisma: ctx.prisma, events: ctx.scope.events, provider: ctx.payments },
        { payload: input.payload, signature: input.signature ?? null },
      ),
  }),
);
