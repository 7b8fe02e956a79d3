import { checkout } from "../../domain/checkout/checkout.js";
import { builder } from "../builder.js";
import { mutationResult } from "./errors.js";

const CheckoutPayment = builder
  .objectRef<{ id: string; provider: string; status: string; clientSecret: string | null }>("CheckoutPayment")
  .implement({
    description: "The payment created for the order; with Stripe, confirm it client-side with clientSecret.",
    fields: (t) => ({
      id: t.exposeID("id"),
      provider: t.exposeString("provider"),
      status: t.exposeString("status"),
      clientSecret: t.exposeString("clientSecret", { nullable: true }),
    }),
  });

const CheckoutResult = builder
  .objectRef<{ orderId: string; payment: { id: string; provider: string; status: string; clientSecret: string | null }; hookErrors: string[] }>(
    "CompletedCheckout",
  )
  .implement({
    fields: (t) => ({
      order: t.prismaField({
        type: "Order",
        resolve: (query, result, _args, ctx) => ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id: result.orderId } }),
      }),
      payment: t.field({ type: CheckoutPayment, resolve: (r) => r.payment }),
      hookErrors: t.exposeStringList("hookErrors", { description: "Non-fatal errors of after-order steps." }),
    }),
  });

const CheckoutAddress = builder.inputType("CheckoutAddress", {
  fields: (t) => ({
    line1: t.string({ required: true }),
    line2: t.string(),
    city: t.string({ required: true }),
    state: t.string(),
    postalCode: t.string(),
    country: t.string({ required: true, description: "ISO 3166-1 alpha-2, e.g. US." }),
    name: t.string(),
    phone: t.string(),
  }),
});

const CheckoutInput = builder.inputType("CheckoutInput", {
  fields: (t) => ({
    cartId: t.id({ required: true }),
    paymentMethodId: t.string({ description: "A Stripe PaymentMethod to confirm the PaymentIntent with." }),
    currency: t.string({ description: "Must be the cart's currency when given." }),
    customerId: t.id(),
    customerGroupIds: t.idList({ description: "Honoured for merchants (orders:update); shoppers get their own groups." }),
    promotionCodes: t.stringList(),
    email: t.string(),
    shippingAddress: t.field({ type: CheckoutAddress }),
    billingAddress: t.field({ type: CheckoutAddress }),
    metadata: t.field({ type: "JSONObject" }),
  }),
});

builder.mutationField("checkout", (t) =>
  t.field({
    type: CheckoutResult,
    description:
      "Creates an order from a cart: prices, promotions, tax and shipping computed by the server, stock reserved, " +
      "payment created. Fails as CheckoutFailedError with a reason. With an idempotencyKey, a retry returns the same " +
      "order; a concurrent duplicate is a ConflictError; the same key with another input a ValidationError.",
    authScopes: { public: true },
    args: {
      input: t.arg({ type: CheckoutInput, required: true }),
      idempotencyKey: t.arg.string(),
    },
    errors: mutationResult("Checkout", "checkout"),
    resolve: (_root, { input, idempotencyKey }, ctx) =>
      checkout({ scope: ctx.scope, payments: ctx.payments, paymentFollowUp: ctx.paymentFollowUp }, input, idempotencyKey),
  }),
);
