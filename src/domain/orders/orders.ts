import { z } from "zod";
import type { Prisma as P } from "../../generated/prisma/client.js";
import { InvalidTransitionError, NotFoundError } from "../errors.js";
import type { DomainEvent } from "../events.js";
import { consumeReservations, releaseReservations } from "../inventory/reservations.js";
import { type Change, recordChange } from "../audit/record.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import { ORDER_STATUSES, type OrderStatus, statusesAllowingMoveTo } from "./lifecycle.js";
import { ORDER_NUMBER_PATTERN } from "./numbers.js";

/** The `where` that finds one order of the store by UUID or by number (ORD-YYYY-NNNNNN). */
export function orderKeyWhere(storeId: string, idOrNumber: string): P.OrderWhereInput | null {
  if (isUuid(idOrNumber)) return { storeId, id: idOrNumber };
  if (ORDER_NUMBER_PATTERN.test(idOrNumber)) return { storeId, number: idOrNumber };
  return null;
}

const ChangeStatusInput = z.object({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  reason: z.string().trim().max(500).nullish(),
});

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
}

/**
 * Moves an order along the transition table inside the caller's transaction, under a row lock (so two
 * racing changes cannot both win), records the change and moves the order's stock with it. Returns the
 * event to publish once the transaction has committed.
 */
export async function transitionOrder(tx: P.TransactionClient, change: OrderTransition) {
  const { orderId: id, storeId, target } = change;
  const allowed = statusesAllowingMoveTo(target).filter((s) => !change.expectedFrom || change.expectedFrom.includes(s));
  const [current] = await tx.$queryRaw<{ status: OrderStatus }[]>`
    SELECT status FROM "order" WHERE id = ${id}::uuid AND "storeId" = ${storeId}::uuid FOR UPDATE`;
  if (!current) throw new NotFoundError("Order", id);
  if (!allowed.includes(current.status)) throw new InvalidTransitionError("order", current.status, target);
  const order = await tx.order.update({ where: { id }, data: { status: target } });
  await tx.orderStatusChange.create({
    data: { orderId: id, fromStatus: current.status, toStatus: target, reason: change.reason ?? null, actor: actorLabel(change.actor) },
  });
  // Stock follows the order: a cancelled order gives its reservations back, a fulfilled one ships them.
  if (target === "cancelled") await releaseReservations(tx, { orderId: id });
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
    data: { orderId: id, number: order.number, fromStatus: current.status, toStatus: target, reason: change.reason ?? null },
  });
  return { order, event };
}

/** `PATCH /orders/:id/status` and `updateOrderStatus`: one transition in its own transaction. */
export async function changeOrderStatus(scope: Scope, input: unknown) {
  const { id, status, reason } = parseInput(ChangeStatusInput, input);
  if (!isUuid(id)) throw new NotFoundError("Order", id);
  const { order, event } = await scope.prisma.$transaction((tx) =>
    transitionOrder(tx, { orderId: id, storeId: scope.storeId, target: status, reason, actor: scope.actor, requestId: scope.requestId }),
  );
  scope.events.publish(event);
  return order;
}

/** How the status history names who made a change. */
function actorLabel(actor: Change["actor"]): string {
  return actor.kind === "anonymous" ? "anonymous" : `${actor.kind}:${actor.id}`;
}

export interface OrderFilter {
  status?: string | null;
  customerId?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

export function orderWhere(storeId: string, filter: OrderFilter): P.OrderWhereInput {
  return {
    storeId,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.customerId ? { customerId: filter.customerId } : {}),
    ...(filter.createdAfter || filter.createdBefore
      ? { createdAt: { ...(filter.createdAfter ? { gte: filter.createdAfter } : {}), ...(filter.createdBefore ? { lt: filter.createdBefore } : {}) } }
      : {}),
  };
}
