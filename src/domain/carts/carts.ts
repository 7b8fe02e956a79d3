import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { can, customerIdOf } from "../auth/actor.js";
import { PUBLIC_VENDOR_WHERE } from "../catalog/entities.js";
import { ConflictError, ForbiddenError, NotFoundError, PriceMismatchError, ValidationError } from "../errors.js";
import { currency } from "../pricing/prices.js";
import { resolvePrices } from "../pricing/resolve.js";
import { loadPromotionRules, normalizeCode, redemptionsByCustomer } from "../promotions/load.js";
import { rejectionFor } from "../promotions/rules.js";
import type { Scope } from "../scope.js";
import { isUuid, metadata, parseInput, uuid } from "../validation.js";
import { mayActOnCarts, mayUseCart } from "./ownership.js";

export const MAX_LINE_QUANTITY = 999;
const quantity = z.number().int().min(1).max(MAX_LINE_QUANTITY);

export const CreateCartInput = z.object({
  currency,
  customerId: uuid.nullish(),
  email: z.email().max(254).nullish(),
  metadata: metadata.nullish(),
});
export const AddItemInput = z.object({
  cartId: z.string(),
  entityId: uuid,
  variantId: uuid.nullish(),
  quantity,
  unitPriceSnapshot: z.number().int().min(0).nullish(),
});
export const UpdateItemInput = z.object({ cartId: z.string(), itemId: z.string(), quantity });
export const CodeInput = z.object({ cartId: z.string(), code: z.string().trim().min(1).max(64) });

type Tx = Prisma.TransactionClient;

export async function createCart(scope: Scope, input: unknown) {
  if (!mayActOnCarts(scope.actor, "create"))
    throw new ForbiddenError("Creating carts needs the carts:create permission.");
  const data = parseInput(CreateCartInput, input);
  // A signed-in customer's carts are theirs; naming another customer (and so getting their group
  // prices) is for merchants.
  const own = customerIdOf(scope.actor);
  if (own && data.customerId && data.customerId !== own) {
    throw new ForbiddenError("A customer can only create carts of their own.");
  }
  if (data.customerId && !own) {
    if (!can(scope.actor, "customers:update")) {
      throw new ForbiddenError("Attaching a customer to a cart needs the customers:update permission.");
    }
    const customer = await scope.prisma.customer.findFirst({ where: { id: data.customerId, storeId: scope.storeId } });
    if (!customer) throw ValidationError.field("customerId", "not_found", "Customer not found.");
  }
  const customerId = own ?? data.customerId ?? null;
  return scope.prisma.$transaction(async (tx) => {
    const cart = await tx.cart.create({
      data: {
        storeId: scope.storeId,
        currency: data.currency,
        customerId,
        email: data.email?.toLowerCase() ?? null,
        metadata: (data.metadata ?? {}) as Prisma.InputJsonValue,
      },
    });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "carts.create",
      entityType: "cart",
      entityId: cart.id,
      after: cart,
    });
    return cart;
  });
}

/** Locks an open cart of the store for the rest of the transaction: concurrent changes queue here. */
async function lockOpenCart(tx: Tx, scope: Scope, cartId: string) {
  if (!mayActOnCarts(scope.actor, "update"))
    throw new ForbiddenError("Changing carts needs the carts:update permission.");
  if (!isUuid(cartId)) throw new NotFoundError("Cart", cartId);
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM cart WHERE id = ${cartId}::uuid AND "storeId" = ${scope.storeId}::uuid FOR UPDATE`;
  if (!row) throw new NotFoundError("Cart", cartId);
  const cart = await tx.cart.findUniqueOrThrow({
    where: { id: cartId },
    include: { items: true, customer: { include: { groups: true } } },
  });
  if (!mayUseCart(scope.actor, cart, "update")) throw new NotFoundError("Cart", cartId);
  if (cart.status !== "active") throw new ConflictError("The cart is checked out and can no longer change.", "cart");
  return cart;
}

/** The server's unit price of an item for this cart (currency, customer groups, quantity). */
async function priceFor(
  tx: Tx,
  scope: Scope,
  cart: Awaited<ReturnType<typeof lockOpenCart>>,
  item: { entityId: string; variantId: string | null; quantity: number },
) {
  const [price] = await resolvePrices(tx, scope.storeId, [item], {
    currency: cart.currency,
    customerGroupIds: cart.customer?.groups.map((g) => g.groupId) ?? [],
    now: new Date(),
  });
  if (!price) throw ValidationError.field("entityId", "no_price", `This item has no ${cart.currency} price.`);
  return price.amount;
}

/**
 * Adds an item (or more of one already in the cart) at the server's price. A client's
 * `unitPriceSnapshot` that differs from that price is refused: the client never sets a price.
 */
export async function addCartItem(scope: Scope, input: unknown) {
  const data = parseInput(AddItemInput, input);
  return scope.prisma.$transaction(async (tx) => {
    const cart = await lockOpenCart(tx, scope, data.cartId);
    const entity = await tx.catalogEntity.findFirst({
      // What the public catalog shows: active, and no product of a suspended/rejected/pending vendor.
      where: { id: data.entityId, storeId: scope.storeId, status: "active", OR: PUBLIC_VENDOR_WHERE },
      select: { id: true, _count: { select: { variants: true } } },
    });
    if (!entity) throw ValidationError.field("entityId", "not_found", "No active catalog entity with this id.");
    const variantId = data.variantId ?? null;
    if (variantId) {
      const variant = await tx.variant.findFirst({ where: { id: variantId, entityId: entity.id, status: "active" } });
      if (!variant) throw ValidationError.field("variantId", "not_found", "Variant not found on this entity.");
    } else if (entity._count.variants > 0) {
      throw ValidationError.field("variantId", "required", "This entity has variants: choose one.");
    }
    const existing = cart.items.find((i) => i.entityId === entity.id && i.variantId === variantId);
    const newQuantity = (existing?.quantity ?? 0) + data.quantity;
    if (newQuantity > MAX_LINE_QUANTITY) {
      throw ValidationError.field("quantity", "too_big", `At most ${MAX_LINE_QUANTITY} of one item per cart.`);
    }
    const unitPrice = await priceFor(tx, scope, cart, { entityId: entity.id, variantId, quantity: newQuantity });
    if (data.unitPriceSnapshot != null && data.unitPriceSnapshot !== unitPrice) {
      throw new PriceMismatchError(unitPrice, data.unitPriceSnapshot, cart.currency);
    }
    const item = existing
      ? await tx.cartItem.update({ where: { id: existing.id }, data: { quantity: newQuantity, unitPrice } })
      : await tx.cartItem.create({
          data: { cartId: cart.id, entityId: entity.id, variantId, quantity: newQuantity, unitPrice },
        });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "cart.afterAddItem",
      entityType: "cart",
      entityId: cart.id,
      before: existing ? { itemId: existing.id, quantity: existing.quantity } : undefined,
      after: {
        itemId: item.id,
        entityId: item.entityId,
        variantId: item.variantId,
        quantity: item.quantity,
        unitPrice,
      },
      data: {
        cartId: cart.id,
        itemId: item.id,
        entityId: item.entityId,
        variantId: item.variantId,
        quantity: item.quantity,
        added: data.quantity,
        unitPrice,
      },
    });
    return tx.cart.update({ where: { id: cart.id }, data: { updatedAt: new Date() } });
  });
}

export async function updateCartItem(scope: Scope, input: unknown) {
  const data = parseInput(UpdateItemInput, input);
  return scope.prisma.$transaction(async (tx) => {
    const cart = await lockOpenCart(tx, scope, data.cartId);
    const item = cart.items.find((i) => i.id === data.itemId);
    if (!item) throw new NotFoundError("Cart item", data.itemId);
    const unitPrice = await priceFor(tx, scope, cart, { ...item, quantity: data.quantity });
    await tx.cartItem.update({ where: { id: item.id }, data: { quantity: data.quantity, unitPrice } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "carts.updateItem",
      entityType: "cart",
      entityId: cart.id,
      before: { itemId: item.id, quantity: item.quantity },
      after: { itemId: item.id, quantity: data.quantity, unitPrice },
    });
    return tx.cart.update({ where: { id: cart.id }, data: { updatedAt: new Date() } });
  });
}

export async function removeCartItem(scope: Scope, input: { cartId: string; itemId: string }) {
  return scope.prisma.$transaction(async (tx) => {
    const cart = await lockOpenCart(tx, scope, input.cartId);
    if (!cart.items.some((i) => i.id === input.itemId)) throw new NotFoundError("Cart item", input.itemId);
    await tx.cartItem.delete({ where: { id: input.itemId } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "carts.removeItem",
      entityType: "cart",
      entityId: cart.id,
      before: { itemId: input.itemId },
    });
    return tx.cart.update({ where: { id: cart.id }, data: { updatedAt: new Date() } });
  });
}

/** Empties an open cart: every item and promotion code goes (seed 003's DELETE /cart/:cartId). */
export async function clearCart(scope: Scope, cartId: string) {
  return scope.prisma.$transaction(async (tx) => {
    const cart = await lockOpenCart(tx, scope, cartId);
    await tx.cartItem.deleteMany({ where: { cartId: cart.id } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "carts.clear",
      entityType: "cart",
      entityId: cart.id,
      before: { itemIds: cart.items.map((i) => i.id), promotionCodes: cart.promotionCodes },
    });
    return tx.cart.update({ where: { id: cart.id }, data: { promotionCodes: [], updatedAt: new Date() } });
  });
}

/** Applies a promotion code to the cart if it applies to the cart as it is now (else 422 with the reason). */
export async function applyCartPromotion(scope: Scope, input: unknown) {
  const data = parseInput(CodeInput, input);
  const code = normalizeCode(data.code);
  return scope.prisma.$transaction(async (tx) => {
    const cart = await lockOpenCart(tx, scope, data.cartId);
    const rule = (await loadPromotionRules(tx, scope.storeId, [code])).get(code);
    // The per-customer limit counts as checkout counts it (customer id, else email), so a code the cart
    // accepts is one checkout accepts too.
    const used =
      rule?.perCustomerLimit != null
        ? ((await redemptionsByCustomer(tx, [rule.id], { customerId: cart.customerId, email: cart.email })).get(
            rule.id,
          ) ?? 0)
        : 0;
    const reason = rule
      ? rejectionFor(rule, {
          currency: cart.currency,
          now: new Date(),
          customerRedemptions: used,
          lines: cart.items.map((i) => ({
            key: i.id,
            entityId: i.entityId,
            variantId: i.variantId,
            quantity: i.quantity,
            unitPrice: i.unitPrice,
          })),
        })
      : "NOT_FOUND";
    if (reason) {
      const message = `Promotion ${code} does not apply: ${reason}.`;
      throw new ValidationError([{ path: "code", code: reason, message }], message);
    }
    return setPromotionCodes(tx, scope, cart, [...new Set([...cart.promotionCodes, code])], "carts.applyPromotion");
  });
}

export async function removeCartPromotion(scope: Scope, input: { cartId: string; code: string }) {
  const code = normalizeCode(input.code);
  return scope.prisma.$transaction(async (tx) => {
    const cart = await lockOpenCart(tx, scope, input.cartId);
    if (!cart.promotionCodes.includes(code)) throw new NotFoundError("Promotion code on this cart", code);
    return setPromotionCodes(
      tx,
      scope,
      cart,
      cart.promotionCodes.filter((c) => c !== code),
      "carts.removePromotion",
    );
  });
}

/** Replaces a locked cart's promotion codes and records the change. */
async function setPromotionCodes(
  tx: Tx,
  scope: Scope,
  cart: { id: string; promotionCodes: string[] },
  codes: string[],
  event: string,
) {
  const updated = await tx.cart.update({ where: { id: cart.id }, data: { promotionCodes: codes } });
  await recordChange(tx, {
    ...changedBy(scope),
    event,
    entityType: "cart",
    entityId: cart.id,
    before: { promotionCodes: cart.promotionCodes },
    after: { promotionCodes: updated.promotionCodes },
  });
  return updated;
}
