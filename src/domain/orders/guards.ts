import type { Prisma } from "../../generated/prisma/client.js";
import type { OrderStatus } from "./lifecycle.js";

/** What moves an order: a merchant's status change, or the fact that made it true. */
export type TransitionSource = "manual" | "payment" | "fulfillment" | "refund" | "system";

export interface GuardContext {
  tx: Prisma.TransactionClient;
  orderId: string;
  from: OrderStatus;
  to: OrderStatus;
  via: TransitionSource;
}

/** Why a guard refused a move the table allows (`guard` is the machine-readable name). */
export interface GuardRefusal {
  guard: string;
  message: string;
}

type Guard = (ctx: GuardContext) => Promise<GuardRefusal | null>;

/**
 * Guards run after the table allowed a move and before it is made (Vendure's onTransitionStart), under
 * the order's row lock. Keyed by the target status; a target without a guard (processing) needs none.
 * - confirmed: the order must still be payable (not every payment failed or voided);
 * - partially_fulfilled / fulfilled: only from fulfillments (which count the lines);
 * - refunded: only from settled refunds (once the captured money is all refunded);
 * - cancelled: not while a return or exchange is open (requested or approved).
 */
export const ORDER_GUARDS: Partial<Record<OrderStatus, Guard>> = {
  confirmed: payable,
  partially_fulfilled: fulfillmentsOnly,
  fulfilled: fulfillmentsOnly,
  refunded: settledRefundsOnly,
  cancelled: noOpenReturns,
};

export async function checkGuard(ctx: GuardContext): Promise<GuardRefusal | null> {
  return (await ORDER_GUARDS[ctx.to]?.(ctx)) ?? null;
}

async function payable({ tx, orderId }: GuardContext): Promise<GuardRefusal | null> {
  const payments = await tx.payment.findMany({ where: { orderId, returnId: null }, select: { status: true } });
  if (payments.length > 0 && payments.every((p) => p.status === "failed" || p.status === "voided")) {
    return { guard: "payment_failed", message: "The order's payment failed or was voided; it cannot be confirmed." };
  }
  return null;
}

// The fulfillment service picks partially_fulfilled or fulfilled from the lines it just counted, and
// refunds move an order only once its payment status is refunded: the source is the guard.
async function fulfillmentsOnly({ to, via }: GuardContext): Promise<GuardRefusal | null> {
  if (via === "fulfillment") return null;
  return {
    guard: "fulfillments_only",
    message: `An order becomes ${to} only by shipping items: createFulfillment (POST /api/orders/:id/fulfillments).`,
  };
}

async function settledRefundsOnly({ via }: GuardContext): Promise<GuardRefusal | null> {
  if (via === "refund") return null;
  return {
    guard: "refunds_only",
    message: "An order becomes refunded only when its refunds settle: refundOrder (POST /api/orders/:id/refunds).",
  };
}

async function noOpenReturns({ tx, orderId }: GuardContext): Promise<GuardRefusal | null> {
  const open = await tx.orderReturn.count({ where: { orderId, status: { in: ["requested", "approved"] } } });
  return open > 0
    ? {
        guard: "open_returns",
        message: "The order has open returns or exchanges: approve, receive or reject them first.",
      }
    : null;
}
