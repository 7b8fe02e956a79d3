import { z } from "zod";
import type { Prisma as P } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import type { DomainEvent } from "../events.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput, uuid } from "../validation.js";
import type { OrderStatus } from "./lifecycle.js";
import { transitionOrder } from "./orders.js";

const CreateFulfillmentInput = z.object({
  orderId: z.string(),
  carrier: z.string().trim().min(1).max(100).nullish(),
  trackingNumber: z.string().trim().min(1).max(100).nullish(),
  /** Omitted: everything not yet fulfilled. */
  items: z
    .array(z.object({ lineId: uuid, quantity: z.number().int().min(1) }))
    .min(1)
    .nullish(),
});

const FULFILLABLE: readonly OrderStatus[] = ["processing", "partially_fulfilled"];

/**
 * Ships some or all of an order's remaining quantities: records the fulfillment (carrier, tracking),
 * counts the lines' fulfilled quantities, and moves the order to partially_fulfilled or fulfilled (which
 * ships its reserved stock), all in one transaction under the order's row lock.
 */
export async function createFulfillment(scope: Scope, input: unknown) {
  const data = parseInput(CreateFulfillmentInput, input);
  if (!isUuid(data.orderId)) throw new NotFoundError("Order", data.orderId);
  const events: DomainEvent[] = [];
  const fulfillment = await scope.prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ status: OrderStatus }[]>`
      SELECT status FROM "order" WHERE id = ${data.orderId}::uuid AND "storeId" = ${scope.storeId}::uuid FOR UPDATE`;
    if (!locked) throw new NotFoundError("Order", data.orderId);
    if (!FULFILLABLE.includes(locked.status)) throw new InvalidTransitionError("order", locked.status, "fulfilled");
    const lines = await tx.orderLine.findMany({ where: { orderId: data.orderId }, orderBy: { id: "asc" } });
    const remaining = new Map(lines.map((l) => [l.id, l.quantity - l.fulfilledQuantity]));
    const items = data.items ?? lines.filter((l) => remaining.get(l.id)! > 0).map((l) => ({ lineId: l.id, quantity: remaining.get(l.id)! }));
    if (!items.length) throw ValidationError.field("items", "nothing_to_fulfill", "Every line of this order is already fulfilled.");
    const problems = items.flatMap((item, index) => {
      const left = remaining.get(item.lineId);
      if (left === undefined) return [{ path: `items.${index}.lineId`, code: "not_found", message: "No such line on this order." }];
      remaining.set(item.lineId, left - item.quantity);
      return left < item.quantity
        ? [{ path: `items.${index}.quantity`, code: "too_big", message: `Only ${left} of this line are left to fulfill.` }]
        : [];
    });
    if (problems.length) throw new ValidationError(problems);

    const created = await tx.fulfillment.create({
      data: { orderId: data.orderId, carrier: data.carrier ?? null, trackingNumber: data.trackingNumber ?? null, items: items as P.InputJsonValue },
    });
    for (const item of items) {
      await tx.orderLine.update({ where: { id: item.lineId }, data: { fulfilledQuantity: { increment: item.quantity } } });
    }
    await recordChange(tx, {
      ...changedBy(scope),
      event: "fulfillment.create",
      entityType: "fulfillment",
      entityId: created.id,
      after: created,
    });
    const allShipped = [...remaining.values()].every((left) => left === 0);
    const target: OrderStatus = allShipped ? "fulfilled" : "partially_fulfilled";
    if (target !== locked.status) {
      const { event } = await transitionOrder(tx, {
        orderId: data.orderId,
        storeId: scope.storeId,
        target,
        reason: `fulfillment ${created.id}`,
        actor: scope.actor,
        requestId: scope.requestId,
      });
      events.push(event);
    }
    return created;
  });
  for (const event of events) scope.events.publish(event);
  return fulfillment;
}
