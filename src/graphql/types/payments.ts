import { capturePayment } from "../../domain/payments/capture.js";
import { refundOrder } from "../../domain/payments/refunds.js";
import { handlePaymentWebhook } from "../../domain/payments/webhooks.js";
import { builder } from "../builder.js";
import { mutationResult } from "./errors.js";
import { Payment } from "./orders.js";

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
    // As long as the request body may be (1 MB), not the 20,000 characters of other text inputs.
    payload: t.string({
      required: true,
      description: "The request body exactly as received (signed bytes).",
      extensions: { maxLength: 1024 * 1024 },
    }),
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
    orderId: t.exposeID("orderId"),
    returnId: t.exposeID("returnId", {
      nullable: true,
      description: "The return it pays back, or the exchange whose price difference it returns.",
    }),
    amount: t.exposeInt("amount"),
    reason: t.exposeString("reason", { nullable: true }),
    status: t.exposeString("status", { description: "pending (the provider settles it later), succeeded or failed." }),
    providerRef: t.exposeString("providerRef", { nullable: true }),
    settledAt: t.expose("settledAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.prismaObjectFields("Payment", (t) => ({
  refunds: t.relation("refunds", { query: { orderBy: { createdAt: "asc" } } }),
  order: t.relation("order"),
}));

builder.prismaObjectFields("Order", (t) => ({
  refunds: t.relation("refunds", {
    description: "Every refund of the order, oldest first.",
    query: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
  }),
}));

const CapturePaymentInput = builder.inputType("CapturePaymentInput", {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    paymentId: t.id({ description: "Default: the order's oldest payment that can still be captured." }),
    amount: t.int({ description: "Minor units, at most the payment's amount; all of it when omitted." }),
    reference: t.string({ description: "Your reference (bank transfer id, receipt number)." }),
  }),
});

builder.mutationField("capturePayment", (t) =>
  t.field({
    type: Payment,
    description:
      "Marks a manual payment (cash on delivery, bank transfer, invoice) paid: pending or authorized -> captured. A pending " +
      "order is confirmed by it. Stripe payments move only through their verified webhooks (409). Emits payment.captured.",
    authScopes: { permission: "orders:update" },
    args: { input: t.arg({ type: CapturePaymentInput, required: true }) },
    errors: mutationResult("CapturePayment", "payment"),
    resolve: (_root, { input }, ctx) => capturePayment(ctx.scope, input),
  }),
);

const RefundOrderInput = builder.inputType("RefundOrderInput", {
  fields: (t) => ({
    orderId: t.id({ required: true }),
    amount: t.int({ description: "Minor units; everything still refundable (or the return's value) when omitted." }),
    reason: t.string(),
    returnId: t.id({
      description: "A received return this refund pays back; it becomes refunded when the refund settles.",
    }),
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
    resolve: (_root, { input, idempotencyKey }, ctx) =>
      refundOrder({ scope: ctx.scope, payments: ctx.paymentProviders }, input, idempotencyKey),
  }),
);
