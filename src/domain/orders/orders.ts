import { z } from "zod";
import type { Prisma as P } from "../../generated/prisma/client.js";
import { InvalidTransitionError, NotFoundError } from "../errors.js";
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

/** Hooks that run inside the status-change transaction for particular targets (cancel releases stock). */
export type StatusSideEffect = (tx: P.TransactionClient, order: { id: string; storeId: string }) => Promise<void>;

const sideEffects = new Map<OrderStatus, StatusSideEffect[]>();

/** Lets other modules (inventory, payments) act inside the transaction that moves an order to `status`. */
export function onOrderStatus(status: OrderStatus, effect: StatusSideEffect): void {
  sideEffects.set(status, [...(sideEffects.get(status) ?? []), effect]);
}

/**
 * Moves an order along the transition table under a row lock (so two racing changes cannot both win),
 * records the change, runs the target's side effects in the same transaction, and publishes
 * `orders.statusChange` after commit. `expectedFrom` narrows the allowed current statuses (webhooks:
 * only pending -> confirmed).
 */
export async function changeOrderStatus(
  scope: Scope,
  input: unknown,
  options: { expectedFrom?: readonly OrderStatus[]; actorLabel?: string } = {},
) {
  const { id, status: target, reason } = parseInput(ChangeStatusInput, input);
  if (!isUuid(id)) throw new NotFoundError("Order", id);
  const allowed = statusesAllowingMoveTo(target).filter((s) => !options.expectedFrom || options.expectedFrom.includes(s));
  const { order, from } = await scope.prisma.$transaction(async (tx) => {
    // Lock the row: the status read here is the one the change is recorded from.
    const [current] = await tx.$queryRaw<{ status: OrderStatus }[]>`
      SELECT status FROM "order" WHERE id = ${id}::uuid AND "storeId" = ${scope.storeId}::uuid FOR UPDATE`;
    if (!current) throw new NotFoundError("Order", id);
    if (!allowed.includes(current.status)) throw new InvalidTransitionError("order", current.status, target);
    await tx.order.update({ where: { id }, data: { status: target } });
    await tx.orderStatusChange.create({
      data: {
        orderId: id,
        fromStatus: current.status,
        toStatus: target,
        reason: reason ?? null,
        actor: options.actorLabel ?? actorLabel(scope),
      },
    });
    for (const effect of sideEffects.get(target) ?? []) await effect(tx, { id, storeId: scope.storeId });
    return { order: await tx.order.findUniqueOrThrow({ where: { id } }), from: current.status };
  });
  scope.events.publish({
    type: "orders.statusChange",
    storeId: scope.storeId,
    orderId: id,
    fromStatus: from,
    toStatus: target,
    reason: reason ?? null,
    at: order.updatedAt.toISOString(),
  });
  return order;
}

function actorLabel(scope: Scope): string {
  return scope.actor.kind === "apiKey" ? `apiKey:${scope.actor.id}` : "anonymous";
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
