import { DomainError, NotFoundError } from "../errors.js";
import { myOrderWhere } from "../orders/customer-orders.js";
import type { Scope } from "../scope.js";
import { addCartItem, createCart, MAX_LINE_QUANTITY } from "./carts.js";

/** A line of the past order that could not go into the new cart, and why. */
export interface SkippedLine {
  lineId: string;
  entityId: string;
  variantId: string | null;
  reason: string;
}

/**
 * "Buy again": a new cart of the signed-in customer with the lines of one of their past orders, at
 * today's prices. Lines that can no longer be bought (discontinued, deleted) are skipped and reported,
 * as storefronts do, rather than failing the whole reorder.
 */
export async function reorder(scope: Scope, orderId: string) {
  const where = myOrderWhere(scope, orderId);
  const order = where
    ? await scope.prisma.order.findFirst({ where, include: { lines: { orderBy: { id: "asc" } } } })
    : null;
  if (!order) throw new NotFoundError("Order", orderId);
  const cart = await createCart(scope, { currency: order.currency, email: order.email });
  const skipped: SkippedLine[] = [];
  for (const line of order.lines) {
    try {
      await addCartItem(scope, {
        cartId: cart.id,
        entityId: line.entityId,
        variantId: line.variantId,
        quantity: Math.min(line.quantity, MAX_LINE_QUANTITY),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      skipped.push({ lineId: line.id, entityId: line.entityId, variantId: line.variantId, reason: error.message });
    }
  }
  return { cart: await scope.prisma.cart.findUniqueOrThrow({ where: { id: cart.id } }), skipped };
}
