import {
  addClientCartItem,
  type ClientCart,
  checkoutClientCart,
  clearClientCart,
  findClientCart,
  removeClientCartItem,
  updateClientCartItem,
  validateClientCartCoupon,
} from "../../domain/carts/client-carts.js";
import { type CartAction, mayActOnCarts, mayCheckOut } from "../../domain/carts/ownership.js";
import type { PromotionValidation } from "../../domain/promotions/validate.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { CheckoutAddress, CheckoutResult } from "./checkout.js";
import { mutationResult } from "./errors.js";
import { PromotionValidationRef } from "./promotions.js";

// Carts by an id the client chose (seed 003's storefront carts): domain/carts/client-carts.ts.

const ClientCartRef = builder.objectRef<ClientCart>("ClientCart").implement({
  description:
    "A cart addressed by an id the client chose (8-128 URL-safe characters). Until its first item is added there is " +
    "no cart: `cart` is null and the currency is the store's default.",
  fields: (t) => ({
    id: t.exposeString("id", { description: "The client's id." }),
    currency: t.exposeString("currency"),
    cart: t.prismaField({
      type: "Cart",
      nullable: true,
      description: "The cart itself (items, server-computed totals, status), once it exists.",
      resolve: (query, clientCart, _args, ctx) =>
        clientCart.cart ? ctx.prisma.cart.findUnique({ ...query, where: { id: clientCart.cart.id } }) : null,
    }),
  }),
});

/** Shoppers (guests, customers, publishable keys) pass; API keys need the cart permission of the action. */
const cartScopes = (action: CartAction) => (_parent: unknown, _args: unknown, ctx: GraphQLContext) =>
  mayActOnCarts(ctx.actor, action);

const ClientCartCouponRef = builder
  .objectRef<{ currency: string; validation: PromotionValidation }>("ClientCartCoupon")
  .implement({
    fields: (t) => ({
      currency: t.exposeString("currency", { description: "The cart's currency: the discount's." }),
      validation: t.field({ type: PromotionValidationRef, resolve: (r) => r.validation }),
    }),
  });

const ClientCartCouponInput = builder.inputType("ClientCartCouponInput", {
  fields: (t) => ({
    cartId: t.string({ required: true, description: "The client's cart id." }),
    code: t.string({ required: true }),
  }),
});

builder.queryFields((t) => ({
  clientCart: t.field({
    type: ClientCartRef,
    description: "The cart of a client id; an id never used yet answers an empty cart (cart: null), never an error.",
    authScopes: cartScopes("read"),
    args: { id: t.arg.string({ required: true }) },
    resolve: (_root, { id }, ctx) => findClientCart(ctx.scope, id),
  }),
  validateClientCartCoupon: t.field({
    type: ClientCartCouponRef,
    description:
      "Whether a code applies to the client's cart as it is now, and what it would take off. Nothing is applied.",
    authScopes: cartScopes("read"),
    args: { input: t.arg({ type: ClientCartCouponInput, required: true }) },
    resolve: (_root, { input }, ctx) => validateClientCartCoupon(ctx.scope, input.cartId, input.code),
  }),
}));

const AddClientCartItemInput = builder.inputType("AddClientCartItemInput", {
  fields: (t) => ({
    cartId: t.string({ required: true, description: "The client's cart id; the cart is created on the first add." }),
    entityId: t.id({ required: true }),
    variantId: t.id({ description: "Required when the entity has variants." }),
    quantity: t.int({
      required: true,
      description: "Added to the line's quantity when the item is already in the cart.",
    }),
  }),
});

const UpdateClientCartItemInput = builder.inputType("UpdateClientCartItemInput", {
  fields: (t) => ({
    cartId: t.string({ required: true }),
    itemId: t.id({ required: true }),
    quantity: t.int({ required: true }),
  }),
});

const RemoveClientCartItemInput = builder.inputType("RemoveClientCartItemInput", {
  fields: (t) => ({ cartId: t.string({ required: true }), itemId: t.id({ required: true }) }),
});

const ClearClientCartInput = builder.inputType("ClearClientCartInput", {
  fields: (t) => ({ cartId: t.string({ required: true }) }),
});

const ClientCartCheckoutInput = builder.inputType("ClientCartCheckoutInput", {
  fields: (t) => ({
    cartId: t.string({ required: true, description: "The client's cart id." }),
    email: t.string({ required: true, description: "Where the order confirmation goes; orders are looked up by it." }),
    couponCode: t.string(),
    customerName: t.string({ description: "Also the addresses' name where they carry none." }),
    customerPhone: t.string({ description: "Also the addresses' phone where they carry none." }),
    shippingAddress: t.field({ type: CheckoutAddress }),
    billingAddress: t.field({ type: CheckoutAddress, description: "Default: the shipping address." }),
    successUrl: t.string({ description: "With Stripe: the Checkout Session returns the shopper here after paying." }),
    cancelUrl: t.string({
      description: "With Stripe: where the Checkout Session sends a shopper who gives up (default successUrl).",
    }),
    metadata: t.field({ type: "JSONObject" }),
  }),
});

builder.mutationFields((t) => ({
  addClientCartItem: t.field({
    type: ClientCartRef,
    authScopes: cartScopes("update"),
    args: { input: t.arg({ type: AddClientCartItemInput, required: true }) },
    errors: mutationResult("AddClientCartItem", "clientCart"),
    resolve: (_root, { input }, ctx) => addClientCartItem(ctx.scope, input),
  }),
  updateClientCartItem: t.field({
    type: ClientCartRef,
    authScopes: cartScopes("update"),
    args: { input: t.arg({ type: UpdateClientCartItemInput, required: true }) },
    errors: mutationResult("UpdateClientCartItem", "clientCart"),
    resolve: (_root, { input }, ctx) => updateClientCartItem(ctx.scope, input),
  }),
  removeClientCartItem: t.field({
    type: ClientCartRef,
    authScopes: cartScopes("update"),
    args: { input: t.arg({ type: RemoveClientCartItemInput, required: true }) },
    errors: mutationResult("RemoveClientCartItem", "clientCart"),
    resolve: (_root, { input }, ctx) => removeClientCartItem(ctx.scope, input),
  }),
  clearClientCart: t.field({
    type: ClientCartRef,
    description: "Removes every item and code; a cart that does not exist yet is already empty.",
    authScopes: cartScopes("update"),
    args: { input: t.arg({ type: ClearClientCartInput, required: true }) },
    errors: mutationResult("ClearClientCart", "clientCart"),
    resolve: (_root, { input }, ctx) => clearClientCart(ctx.scope, input.cartId),
  }),
  checkoutClientCart: t.field({
    type: CheckoutResult,
    description:
      "Checks out the client's cart with the store's payment provider: with Stripe and a successUrl a Checkout Session " +
      "(payment.url), else a PaymentIntent (payment.clientSecret); manual payments wait for a merchant. As checkout otherwise.",
    authScopes: (_root, _args, ctx) => mayCheckOut(ctx.actor),
    args: {
      input: t.arg({ type: ClientCartCheckoutInput, required: true }),
      returnUrl: t.arg.string({
        description:
          "Where a hosted payment page returns the shopper when the input names no successUrl (REST: the page's Origin).",
      }),
    },
    errors: mutationResult("CheckoutClientCart", "checkout"),
    resolve: async (_root, { input, returnUrl }, ctx) =>
      checkoutClientCart(
        {
          scope: ctx.scope,
          payments: await ctx.paymentProviders.forStore(ctx.prisma, ctx.storeId),
          paymentFollowUp: ctx.paymentFollowUp,
        },
        { ...input, successUrl: input.successUrl ?? returnUrl, cancelUrl: input.cancelUrl ?? returnUrl },
      ),
  }),
}));
