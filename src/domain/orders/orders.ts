import type { Prisma } from "../../generated/prisma/client.js";
import { type Change, recordChange } from "../audit/record.js";
import { InvalidTransitionError, NotFoundError } from "../errors.js";
import type { DomainEvent } from "../events.js";
import { consumeReservations, releaseReservations } from "../inventory/reservations.js";
import { CAPTURABLE_STATUSES, enqueuePaymentFollowUp } from "../payments/lifecycle.js";
import { isUuid } from "../validation.js";
import { checkGuard, type TransitionSource } from "./guards.js";
import { ORDER_TRANSITIONS, type OrderStatus, statusesAllowingMoveTo } from "./lifecycle.js";
import { ORDER_NUMBER_PATTERN } from "./numbers.js";

/** The `where` that finds one order of the store by UUID or by number (ORD-YYYY-NNNNNN). */
export function orderKeyWhere(storeId: string, idOrNumber: string): Prisma.OrderWhereInput | null {
  if (isUuid(idOrNumber)) return { storeId, id: idOrNumber };
  if (ORDER_NUMBER_PATTERN.test(idOrNumber)) return { storeId, number: idOrNumber };
  return null;
}

export interface OrderTransition {
  orderId: string;
  storeId: string;
  target: OrderStatus;
  reason?: string | null;
  /** Who moves it: a request's actor, or a system process (payment webhook, refunds, checkout). */
  actor: Change["actor"];
  requestId?: string | null;
  /** Narrows the allowed current statuses (a payment webhook only confirms pending orders). */
  expectedFrom?: readonly OrderStatus[];
  /** What makes the move (guards let only fulfillments fulfil and only settled refunds refund). */
  via?: TransitionSource;
}

/** Locks an order of the store: the first lock of every post-purchase change (order, then payments, lines, stock). */
export async function lockOrder(tx: Prisma.TransactionClient, storeId: string, orderId: string) {
  if (!isUuid(orderId)) throw new NotFoundError("Order", orderId);
  const [order] = await tx.$queryRaw<{ id: string; status: OrderStatus; paymentStatus: string }[]>`
    SELECT id, status, "paymentStatus" FROM "order" WHERE id = ${orderId}::uuid AND "storeId" = ${storeId}::uuid FOR UPDATE`;
  if (!order) throw new NotFoundError("Order", orderId);
  return order;
}

/**
 * Moves an order along the transition table inside the caller's transaction, under a row lock (so two
 * racing changes cannot both win): the table first, then the target's guard (guards.ts), then the move,
 * its history, its effects on stock and payments, and its audit entry. Returns the event to publish once
 * the transaction has committed.
 */
export async function transitionOrder(tx: Prisma.TransactionClient, change: OrderTransition) {
  const { orderId: id, storeId, target } = change;
  const current = await lockOrder(tx, storeId, id);
  const allowed = statusesAllowingMoveTo(target).filter((s) => !change.expectedFrom || change.expectedFrom.includes(s));
  const allowedNext = ORDER_TRANSITIONS[current.status] ?? [];
  if (!allowed.includes(current.status)) throw new InvalidTransitionError("order", current.status, target, allowedNext);
  const refusal = await checkGuard({ tx, orderId: id, from: current.status, to: target, via: change.via ?? "manual" });
  if (refusal)
    throw new InvalidTransitionError("order", current.status, target, allowedNext, refusal.guard, refusal.message);

  const order = await tx.order.update({ where: { id }, data: { status: target } });
  await tx.orderStatusChange.create({
    data: {
      orderId: id,
      fromStatus: current.status,
      toStatus: target,
      reason: change.reason ?? null,
      actor: actorLabel(change.actor),
    },
  });
  if (target === "cancelled") await cancelUnfulfilled(tx, id);
  // Fulfillments consume stock per shipped unit; whatever an order of an older version still holds ships now.
  if (target === "fulfilled") await consumeReservations(tx, { orderId: id });
  const event: DomainEvent = {
    type: "orders.statusChange",
    storeId,
    orderId: id,
    customerId: order.customerId,
    fromStatus: current.status,
    toStatus: target,
    reason: change.reason ?? null,
    at: order.updatedAt.toISOString(),
  };
  await recordChange(tx, {
    storeId,
    actor: change.actor,
    requestId: change.requestId,
    event: "orders.statusChange",
    entityType: "order",
    entityId: id,
    before: { status: current.status },
    after: { status: target },
    data: {
      orderId: id,
      number: order.number,
      fromStatus: current.status,
      toStatus: target,
      reason: change.reason ?? null,
      paymentStatus: order.paymentStatus,
    },
  });
  return { order, event };
}

/**
 * A cancelled order keeps what it shipped: only the unshipped units are cancelled and their stock is
 * released. Manual payments not yet taken are voided when nothing shipped; a provider's (Stripe) is
 * followed up at once: cancelled there, then voided here (payments/follow-up.ts).
 */
async function cancelUnfulfilled(tx: Prisma.TransactionClient, orderId: string) {
  await tx.$executeRaw`
    UPDATE order_line SET "cancelledQuantity" = quantity - "fulfilledQuantity" WHERE "orderId" = ${orderId}::uuid`;
  await releaseReservations(tx, { orderId });
  const shipped = await tx.orderLine.count({ where: { orderId, fulfilledQuantity: { gt: 0 } } });
  if (shipped === 0) {
    await tx.payment.updateMany({
      where: { orderId, provider: "manual", status: { in: [...CAPTURABLE_STATUSES] } },
      data: { status: "voided" },
    });
    // A provider's payment is given up there first (the follow-up cancels it, then voids it here), at once
    // rather than at its next scheduled look, so the shopper can no longer pay a cancelled order.
    const open = await tx.payment.findMany({
      where: { orderId, provider: { not: "manual" }, status: { in: [...CAPTURABLE_STATUSES] } },
      select: { id: true, storeId: true },
    });
    for (const payment of open) await enqueuePaymentFollowUp(tx, payment);
  }
}

/** How the status history names who made a change. */
function actorLabel(actor: Change["actor"]): string {
  return actor.kind === "anonymous" ? "anonymous" : `${actor.kind}:${actor.id}`;
}

export interface OrderFilter {
  status?: string | null;
  /** Any of these statuses (a dialect's coarser vocabulary, e.g. seed 001's pending). */
  statusIn?: readonly string[] | null;
  /** Whether the order has a return (not an exchange) whose items came back: received or refunded. */
  returned?: boolean | null;
  customerId?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

export function orderWhere(storeId: string, filter: OrderFilter): Prisma.OrderWhereInput {
  return {
    storeId,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.statusIn ? { AND: [{ status: { in: [...filter.statusIn] } }] } : {}),
    ...(filter.returned != null
      ? {
          returns: {
            [filter.returned ? "some" : "none"]: { kind: "return", status: { in: ["received", "refunded"] } },
          },
        }
      : {}),
    ...(filter.customerId ? { customerId: filter.customerId } : {}),
    ...(filter.createdAfter || filter.createdBefore
      ? {
          createdAt: {
            ...(filter.createdAfter ? { gte: filter.createdAfter } : {}),
            ...(filter.createdBefore ? { lt: filter.createdBefore } : {}),
          },
        }
      : {}),
  };
}
