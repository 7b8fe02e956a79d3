import { createHash } from "node:crypto";
import type { Prisma } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { customerIdOf } from "../auth/actor.js";
import { type CheckoutDeps, type CheckoutResult, checkout } from "../checkout/checkout.js";
import { ForbiddenError, ValidationError } from "../errors.js";
import { type PromotionValidation, validatePromotionCode } from "../promotions/validate.js";
import type { Scope } from "../scope.js";
import { addCartItem, clearCart, removeCartItem, updateCartItem } from "./carts.js";
import { cartVisibility, mayActOnCarts } from "./ownership.js";

/**
 * Carts by a client-chosen id (seed 003): the storefront generates an id (a UUID, say), keeps it in
 * localStorage and addresses its cart by it; the first item added creates the cart.
 *
 * The cart's own id is derived from the store and the client's id (a name-based UUID, RFC 9562 v5,
 * in the store's namespace): the same client id names another cart in every store, so a client id of
 * store A never reaches a cart of store B, and concurrent first adds create one cart (its primary key).
 * A cart that was checked out keeps its id: adding to it is a 409, never a fresh cart under the same id.
 */
export const CLIENT_CART_ID = /^[A-Za-z0-9._~-]{8,128}$/;

/** The cart id (a UUID) a client id stands for in a store; a malformed client id is a 422 on `cartId`. */
export function clientCartUuid(storeId: string, clientId: string): string {
  if (!CLIENT_CART_ID.test(clientId)) {
    throw ValidationError.field(
      "cartId",
      "invalid_cart_id",
      "A cart id is 8 to 128 URL-safe characters (letters, digits, - . _ ~).",
    );
  }
  const namespace = Buffer.from(storeId.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(namespace).update(clientId, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A client's cart as the storefront sees it: its id, its currency, and the cart once it exists. */
export interface ClientCart<C = Prisma.CartGetPayload<object>> {
  id: string;
  currency: string;
  cart: C | null;
}

/** The cart of a client id, or an empty one (no cart yet) in the store's default currency. */
export async function findClientCart(scope: Scope, clientId: string): Promise<ClientCart> {
  const id = clientCartUuid(scope.storeId, clientId);
  if (!mayActOnCarts(scope.actor, "read")) throw new ForbiddenError("Reading carts needs the carts:read permission.");
  const cart = await scope.prisma.cart.findFirst({
    where: { id, storeId: scope.storeId, ...cartVisibility(scope.actor) },
  });
  return { id: clientId, currency: cart?.currency ?? (await defaultCurrency(scope)), cart };
}

async function defaultCurrency(scope: Scope): Promise<string> {
  const store = await scope.prisma.store.findUniqueOrThrow({
    where: { id: scope.storeId },
    select: { defaultCurrency: true },
  });
  return store.defaultCurrency;
}

/** Creates the client's cart unless it exists (in any state); its id is derived, so racing creators make one. */
async function ensureClientCart(scope: Scope, clientId: string): Promise<string> {
  const id = clientCartUuid(scope.storeId, clientId);
  if (!mayActOnCarts(scope.actor, "create"))
    throw new ForbiddenError("Creating carts needs the carts:create permission.");
  await scope.prisma.$transaction(async (tx) => {
    const currency = (
      await tx.store.findUniqueOrThrow({ where: { id: scope.storeId }, select: { defaultCurrency: true } })
    ).defaultCurrency;
    const { count } = await tx.cart.createMany({
      data: [
        {
          id,
          storeId: scope.storeId,
          currency,
          customerId: customerIdOf(scope.actor),
          metadata: { clientCartId: clientId },
        },
      ],
      skipDuplicates: true,
    });
    if (count === 0) return;
    const cart = await tx.cart.findUniqueOrThrow({ where: { id } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "carts.create",
      entityType: "cart",
      entityId: id,
      after: cart,
    });
  });
  return id;
}

interface ItemInput {
  cartId: string;
  entityId: string;
  variantId?: string | null;
  quantity: number;
}

/** Adds an item (or more of one already there), creating the cart on the first add. */
export async function addClientCartItem(scope: Scope, input: ItemInput): Promise<ClientCart> {
  const id = await ensureClientCart(scope, input.cartId);
  const cart = await addCartItem(scope, { ...input, cartId: id });
  return { id: input.cartId, currency: cart.currency, cart };
}

export async function updateClientCartItem(
  scope: Scope,
  input: { cartId: string; itemId: string; quantity: number },
): Promise<ClientCart> {
  const cart = await updateCartItem(scope, { ...input, cartId: clientCartUuid(scope.storeId, input.cartId) });
  return { id: input.cartId, currency: cart.currency, cart };
}

export async function removeClientCartItem(
  scope: Scope,
  input: { cartId: string; itemId: string },
): Promise<ClientCart> {
  const cart = await removeCartItem(scope, { ...input, cartId: clientCartUuid(scope.storeId, input.cartId) });
  return { id: input.cartId, currency: cart.currency, cart };
}

/** Empties the client's cart (items and codes); a cart that does not exist yet is already empty. */
export async function clearClientCart(scope: Scope, clientId: string): Promise<ClientCart> {
  const existing = await findClientCart(scope, clientId);
  if (!existing.cart) return existing;
  const cart = await clearCart(scope, existing.cart.id);
  return { id: clientId, currency: cart.currency, cart };
}

/**
 * Whether a code applies to the client's cart as it is now, and what it would take off: a what-if with
 * the cart's server prices; nothing is applied or reserved (checkout decides again).
 */
export async function validateClientCartCoupon(
  scope: Scope,
  clientId: string,
  code: string,
): Promise<{ currency: string; validation: PromotionValidation }> {
  const { cart, currency } = await findClientCart(scope, clientId);
  const items = cart
    ? await scope.prisma.cartItem.findMany({ where: { cartId: cart.id }, orderBy: { createdAt: "asc" } })
    : [];
  const validation = await validatePromotionCode(scope, {
    code,
    currency,
    lineItems: items.map((item) => ({ entityId: item.entityId, quantity: item.quantity, unitPrice: item.unitPrice })),
    customerId: cart?.customerId ?? null,
  });
  return { currency, validation };
}

type Address = Record<string, unknown> & { name?: string | null; phone?: string | null };

export interface ClientCartCheckoutInput {
  cartId: string;
  email?: string | null;
  couponCode?: string | null;
  customerName?: string | null;
  customerPhone?: string | null;
  shippingAddress?: Address | null;
  billingAddress?: Address | null;
  successUrl?: string | null;
  cancelUrl?: string | null;
  metadata?: Record<string, unknown> | null;
}

/**
 * Checks out the client's cart (seed 003's POST /checkout): the checkout workflow with the cart its id
 * stands for, the coupon as a promotion code, and the customer's name and phone on the addresses (where
 * they do not carry their own) and in the order's metadata.
 */
export async function checkoutClientCart(deps: CheckoutDeps, input: ClientCartCheckoutInput): Promise<CheckoutResult> {
  const { customerName, customerPhone } = input;
  const withContact = (address: Address | null | undefined) =>
    address && {
      ...address,
      name: address.name ?? customerName ?? null,
      phone: address.phone ?? customerPhone ?? null,
    };
  const contact = Object.fromEntries(
    Object.entries({ customerName, customerPhone }).filter(([, value]) => value != null),
  );
  return checkout(deps, {
    cartId: clientCartUuid(deps.scope.storeId, input.cartId),
    email: input.email,
    promotionCodes: input.couponCode ? [input.couponCode] : null,
    shippingAddress: withContact(input.shippingAddress),
    billingAddress: withContact(input.billingAddress),
    successUrl: input.successUrl,
    cancelUrl: input.cancelUrl,
    metadata: { ...input.metadata, ...contact },
  });
}
