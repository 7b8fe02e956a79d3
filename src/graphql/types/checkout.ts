import { mayCheckOut } from "../../domain/carts/ownership.js";
import {
  type CheckoutPayment,
  type CheckoutResult as CheckoutResultValue,
  checkout,
} from "../../domain/checkout/checkout.js";
import { builder } from "../builder.js";
import { mutationResult } from "./errors.js";

const CheckoutPaymentRef = builder.objectRef<CheckoutPayment>("CheckoutPayment").implement({
  description:
    "The payment created for the order: with Stripe, confirm it client-side with clientSecret, or send the shopper " +
    "to url (a Stripe Checkout Session, when checkout was given a successUrl). Manual payments wait for a merchant.",
  fields: (t) => ({
    id: t.exposeID("id"),
    provider: t.exposeString("provider", {
      description: "The store's payment provider (manual when it is not configured here).",
    }),
    providerRef: t.exposeString("providerRef", {
      nullable: true,
      description: "The provider's id: pi_... (PaymentIntent), cs_... (Checkout Session).",
    }),
    status: t.exposeString("status"),
    clientSecret: t.exposeString("clientSecret", { nullable: true }),
    url: t.exposeString("url", {
      nullable: true,
      description: "The hosted payment page; only in the answer that created it.",
    }),
  }),
});

export const CheckoutResult = builder.objectRef<CheckoutResultValue>("CompletedCheckout").implement({
  fields: (t) => ({
    order: t.prismaField({
      type: "Order",
      resolve: (query, result, _args, ctx) =>
        ctx.prisma.order.findUniqueOrThrow({ ...query, where: { id: result.orderId } }),
    }),
    payment: t.field({ type: CheckoutPaymentRef, resolve: (r) => r.payment }),
  }),
});

export const CheckoutAddress = builder.inputType("CheckoutAddress", {
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
    customerGroupIds: t.idList({
      description: "Honoured for merchants (orders:update); shoppers get their own groups.",
    }),
    promotionCodes: t.stringList(),
    email: t.string(),
    shippingAddress: t.field({ type: CheckoutAddress }),
    billingAddress: t.field({ type: CheckoutAddress }),
    metadata: t.field({ type: "JSONObject" }),
    successUrl: t.string({
      description: "Asks for a hosted payment page (Stripe Checkout) that returns the shopper here after paying.",
    }),
    cancelUrl: t.string({
      description: "Where the hosted payment page sends a shopper who gives up (default: successUrl).",
    }),
    clientReference: t.string({
      description:
        "A client-generated reference (seed 004), kept on the order. Retrying with the same reference (and the same body) " +
        "answers the first order and payment: it is the idempotency key when no idempotencyKey is given.",
    }),
    placedAt: t.field({
      type: "DateTime",
      description:
        "When the order was placed, for orders recorded after the fact (imported from another system): the order's " +
        "createdAt, which analytics group by, and the year of its number. Not in the future, not before 2000-01-01. " +
        "Needs orders:update.",
    }),
  }),
});

builder.mutationField("checkout", (t) =>
  t.field({
    type: CheckoutResult,
    description:
      "Creates an order from a cart: prices, promotions, tax and shipping computed by the server, stock reserved, " +
      "payment created. Fails as CheckoutFailedError with a reason. With an idempotencyKey (scoped to the caller), a " +
      "retry returns the same order, as does a new key of the same caller for a cart that already became an order; a " +
      "concurrent duplicate is a ConflictError; the same key with another input a ValidationError. Guests and " +
      "customers check out their own carts; API keys need orders:create.",
    // Shoppers pass (the cart decides: carts/ownership.ts); API keys need orders:create (403 otherwise).
    authScopes: (_root, _args, ctx) => mayCheckOut(ctx.actor),
    args: {
      input: t.arg({ type: CheckoutInput, required: true }),
      idempotencyKey: t.arg.string(),
    },
    errors: mutationResult("Checkout", "checkout"),
    resolve: async (_root, { input, idempotencyKey }, ctx) =>
      checkout(
        {
          scope: ctx.scope,
          payments: await ctx.paymentProviders.forStore(ctx.prisma, ctx.storeId),
          paymentFollowUp: ctx.paymentFollowUp,
        },
        input,
        idempotencyKey,
      ),
  }),
);
