import {
  addCartItem,
  applyCartPromotion,
  createCart,
  removeCartItem,
  removeCartPromotion,
  updateCartItem,
} from "../../domain/carts/carts.js";
import { type CartAction, cartVisibility, mayActOnCarts } from "../../domain/carts/ownership.js";
import { cartTotals } from "../../domain/carts/totals.js";
import { titleFor } from "../../domain/catalog/titles.js";
import type { Totals } from "../../domain/checkout/totals.js";
import { isUuid } from "../../domain/validation.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { loaderFor } from "../loaders.js";
import { mutationResult } from "./errors.js";
import { Totals as TotalsObject } from "./pricing.js";

/** Totals of the carts a request looks at, computed once per request in one batch. */
function totalsOf(ctx: GraphQLContext, cartId: string) {
  return loaderFor<string, Totals>(ctx, "cartTotals", async (ids) => {
    const totals = await cartTotals(ctx.prisma, ctx.storeId, ids);
    return ids.map((id) => totals.get(id) ?? new Error(`cart ${id} not found`));
  }).load(cartId);
}

export const Cart = builder.prismaObject("Cart", {
  fields: (t) => ({
    id: t.exposeID("id"),
    currency: t.exposeString("currency"),
    customerId: t.exposeID("customerId", { nullable: true }),
    email: t.exposeString("email", { nullable: true }),
    status: t.exposeString("status", { description: "active or checked_out" }),
    promotionCodes: t.exposeStringList("promotionCodes"),
    items: t.relation("items", { query: { orderBy: { createdAt: "asc" } } }),
    totals: t.field({ type: TotalsObject, resolve: async (cart, _args, ctx) => totalsOf(ctx, cart.id) }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.prismaObject("CartItem", {
  fields: (t) => ({
    id: t.exposeID("id"),
    entityId: t.exposeID("entityId"),
    variantId: t.exposeID("variantId", { nullable: true }),
    quantity: t.exposeInt("quantity"),
    unitPrice: t.exposeInt("unitPrice", { description: "The server's price when the item was added or changed." }),
    sku: t.string({
      nullable: true,
      select: { variant: { select: { sku: true } } },
      resolve: (item) => item.variant?.sku ?? null,
    }),
    title: t.string({
      description: "The entity's title in the store's locale (else its language, else any title, else the slug).",
      select: {
        cart: { select: { store: { select: { defaultLocale: true } } } },
        entity: {
          select: { slug: true, attributes: { select: { locale: true, title: true }, orderBy: { locale: "asc" } } },
        },
      },
      resolve: (item) => titleFor(item.entity, item.cart.store.defaultLocale),
    }),
    subtotal: t.int({ resolve: (item) => item.unitPrice * item.quantity }),
    discount: t.int({
      resolve: async (item, _args, ctx) =>
        (await totalsOf(ctx, item.cartId)).lines.find((l) => l.key === item.id)?.discount ?? 0,
    }),
    total: t.int({
      resolve: async (item, _args, ctx) =>
        (await totalsOf(ctx, item.cartId)).lines.find((l) => l.key === item.id)?.total ??
        item.unitPrice * item.quantity,
    }),
  }),
});

builder.queryField("cart", (t) =>
  t.prismaField({
    type: Cart,
    nullable: true,
    description:
      "A cart by id (the id is the shopper's capability: guest carts need no key; API keys need carts:read).",
    authScopes: cartScopes("read"),
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      isUuid(id)
        ? ctx.prisma.cart.findFirst({ ...query, where: { id, storeId: ctx.storeId, ...cartVisibility(ctx.actor) } })
        : null,
  }),
);

const CreateCartInput = builder.inputType("CreateCartInput", {
  fields: (t) => ({
    currency: t.string({ required: true }),
    customerId: t.id(),
    email: t.string(),
    metadata: t.field({ type: "JSONObject" }),
  }),
});
const AddCartItemInput = builder.inputType("AddCartItemInput", {
  fields: (t) => ({
    cartId: t.id({ required: true }),
    entityId: t.id({ required: true }),
    variantId: t.id(),
    quantity: t.int({ required: true }),
    unitPriceSnapshot: t.int({ description: "The price the client shows; refused (PriceMismatchError) if stale." }),
  }),
});
const UpdateCartItemInput = builder.inputType("UpdateCartItemInput", {
  fields: (t) => ({
    cartId: t.id({ required: true }),
    itemId: t.id({ required: true }),
    quantity: t.int({ required: true }),
  }),
});
const RemoveCartItemInput = builder.inputType("RemoveCartItemInput", {
  fields: (t) => ({ cartId: t.id({ required: true }), itemId: t.id({ required: true }) }),
});
const CartPromotionInput = builder.inputType("CartPromotionInput", {
  fields: (t) => ({ cartId: t.id({ required: true }), code: t.string({ required: true }) }),
});

/**
 * Shoppers pass (which carts they may use is decided per cart: `carts/ownership.ts`); API keys need the
 * cart permission of the action (403 otherwise).
 */
export function cartScopes(action: CartAction) {
  return (_parent: unknown, _args: unknown, ctx: GraphQLContext) => mayActOnCarts(ctx.actor, action);
}

// Carts are guest-writable: knowing the cart id is the credential.
builder.mutationFields((t) => ({
  createCart: t.field({
    type: Cart,
    authScopes: cartScopes("create"),
    args: { input: t.arg({ type: CreateCartInput, required: true }) },
    errors: mutationResult("CreateCart", "cart"),
    resolve: (_root, { input }, ctx) => createCart(ctx.scope, input),
  }),
  addCartItem: t.field({
    type: Cart,
    authScopes: cartScopes("update"),
    args: { input: t.arg({ type: AddCartItemInput, required: true }) },
    errors: mutationResult("AddCartItem", "cart"),
    resolve: (_root, { input }, ctx) => addCartItem(ctx.scope, input),
  }),
  updateCartItem: t.field({
    type: Cart,
    authScopes: cartScopes("update"),
    args: { input: t.arg({ type: UpdateCartItemInput, required: true }) },
    errors: mutationResult("UpdateCartItem", "cart"),
    resolve: (_root, { input }, ctx) => updateCartItem(ctx.scope, input),
  }),
  removeCartItem: t.field({
    type: Cart,
    authScopes: cartScopes("update"),
    args: { input: t.arg({ type: RemoveCartItemInput, required: true }) },
    errors: mutationResult("RemoveCartItem", "cart"),
    resolve: (_root, { input }, ctx) => removeCartItem(ctx.scope, input),
  }),
  applyCartPromotion: t.field({
    type: Cart,
    authScopes: cartScopes("update"),
    args: { input: t.arg({ type: CartPromotionInput, required: true }) },
    errors: mutationResult("ApplyCartPromotion", "cart"),
    resolve: (_root, { input }, ctx) => applyCartPromotion(ctx.scope, input),
  }),
  removeCartPromotion: t.field({
    type: Cart,
    authScopes: cartScopes("update"),
    args: { input: t.arg({ type: CartPromotionInput, required: true }) },
    errors: mutationResult("RemoveCartPromotion", "cart"),
    resolve: (_root, { input }, ctx) => removeCartPromotion(ctx.scope, input),
  }),
}));
