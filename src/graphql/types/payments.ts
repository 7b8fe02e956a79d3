import { refundOrder } from "../../domain/payments/refunds.js";
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

const Refund = builder.prismaObject("Refund", {
  fields: (t) => ({
    id: t.exposeID("id"),
    paymentId: t.exposeID("paymentId"),
    amount: t.exposeInt("amount"),
    reason: t.exposeString("reason", { nullable: true }),
    status: t.exposeString("status", { description: "pending (the provider settles it later), succeeded or failed." }),
    providerRef: t.exposeString("providerRef", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.prismaObjectFields("Payment", (t) => ({
  refunds: t.relation("refunds", { query: { orderBy: { createdAt: "asc" } } }),
}));

const RefundOrderInput = builder.inputType("RefundOrderInput", {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    amount: t.int({ description: "Minor units; everything still refundable when omitted." }),
    reason: t.string(),
  }),
});

builder.mutationField("refundOrder", (t) =>
  t.field({
    type: Refund,
    description:
      "Refunds (part of) the order's captured payment through its provider. Never more than was paid, even under " +
      "concurrent requests; with an idempotencyKey a retry returns the same refund.",
    authScopes: { permission: "orders:update" },
    args: { input: t.arg({ type: RefundOrderInput, required: true }), idempotencyKey: t.arg.string() },
    errors: mutationResult("RefundOrder", "refund"),
    resolve: (_root, { input, idempotencyKey }, ctx) => refundOrder({ scope: ctx.scope, payments: ctx.payments }, input, idempotencyKey),
  }),
);
