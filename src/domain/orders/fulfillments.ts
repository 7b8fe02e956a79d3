import { z } from "zod";
import type { Fulfillment, Prisma } from "../../generated/prisma/client.js";
import { changedBy } from "../audit/record.js";
import { callerScope, type IdempotencyClaim, withIdempotencyKey } from "../checkout/idempotency.js";
import { InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import type { DomainEvent } from "../events.js";
import { consumeReserved, orderLineReservations } from "../inventory/order-stock.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput, uuid } from "../validation.js";
import { recordOrderActivity } from "./activity.js";
import { ORDER_TRANSITIONS, type OrderStatus } from "./lifecycle.js";
import { lockOrder, transitionOrder } from "./orders.js";

export const CreateFulfillmentInput = z.object({
  orderId: z.string(),
  carrier: z.string().trim().min(1).max(100).nullish(),
  trackingNumber: z.string().trim().min(1).max(100).nullish(),
  /** Omitted: everything not yet fulfilled. */
  items: z
    .array(z.object({ lineId: uuid, quantity: z.number().int().min(1) }))
    .min(1)
    .nullish(),
});
type FulfillmentRequest = z.output<typeof CreateFulfillmentInput>;

/** A paid (confirmed) order may ship at once: the first fulfillment moves it through processing. */
const FULFILLABLE: readonly OrderStatus[] = ["confirmed", "processing", "partially_fulfilled"];

/**
 * Ships some or all of an order's remaining quantities (never more than ordered and not cancelled):
 * records the fulfillment (carrier, tracking), counts the lines' fulfilled quantities, consumes the
 * stock of exactly the shipped units, and moves the order to partially_fulfilled or fulfilled, all in
 * one transaction under the order's row lock. Emits fulfillment.create, and order.fulfilled once every
 * line has shipped. With an idempotency key a retry returns the first fulfillment.
 */
export async function createFulfillment(
  scope: Scope,
  input: unknown,
  idempotencyKey?: string | null,
): Promise<Fulfillment> {
  const request = parseInput(CreateFulfillmentInput, input);
  if (!isUuid(request.orderId)) throw new NotFoundError("Order", request.orderId);
  if (!idempotencyKey) return fulfill(scope, request);
  return withIdempotencyKey(
    scope.prisma,
    {
      storeId: scope.storeId,
      scope: callerScope("fulfillment", scope.actor, request.orderId),
      key: idempotencyKey,
      request,
    },
    async (claim) => {
      const fulfillment = await fulfill(scope, request, claim);
      return { result: fulfillment, outcome: { fulfillmentId: fulfillment.id } };
    },
    async (outcome) => scope.prisma.fulfillment.findUniqueOrThrow({ where: { id: String(outcome.fulfillmentId) } }),
  );
}

async function fulfill(scope: Scope, data: FulfillmentRequest, claim?: IdempotencyClaim): Promise<Fulfillment> {
  const events: DomainEvent[] = [];
  const fulfillment = await scope.prisma.$transaction(async (tx) => {
    const locked = await lockOrder(tx, scope.storeId, data.orderId);
    if (!FULFILLABLE.includes(locked.status)) {
      throw new InvalidTransitionError("order", locked.status, "fulfilled", ORDER_TRANSITIONS[locked.status] ?? []);
    }
    const lines = await tx.orderLine.findMany({ where: { orderId: data.orderId }, orderBy: { id: "asc" } });
    const remaining = new Map(lines.map((l) => [l.id, l.quantity - l.fulfilledQuantity - l.cancelledQuantity]));
    const items =
      data.items ??
      lines.filter((l) => remaining.get(l.id)! > 0).map((l) => ({ lineId: l.id, quantity: remaining.get(l.id)! }));
    if (!items.length)
      throw ValidationError.field("items", "nothing_to_fulfill", "Every line of this order is already fulfilled.");
    const problems = items.flatMap((item, index) => {
      const left = remaining.get(item.lineId);
      if (left === undefined)
        return [{ path: `items.${index}.lineId`, code: "not_found", message: "No such line on this order." }];
      remaining.set(item.lineId, left - item.quantity);
      return left < item.quantity
        ? [
            {
              path: `items.${index}.quantity`,
              code: "too_big",
              message: `Only ${left} of this line are left to fulfill.`,
            },
          ]
        : [];
    });
    if (problems.length) throw new ValidationError(problems);

    const created = await tx.fulfillment.create({
      data: {
        orderId: data.orderId,
        carrier: data.carrier ?? null,
        trackingNumber: data.trackingNumber ?? null,
        items: items as Prisma.InputJsonValue,
      },
    });
    const byId = new Map(lines.map((l) => [l.id, l]));
    for (const item of items) {
      const line = byId.get(item.lineId)!;
      await tx.orderLine.update({
        where: { id: item.lineId },
        data: { fulfilledQuantity: { increment: item.quantity } },
      });
      // Exactly the shipped units leave the warehouse; the rest stays reserved for the next shipment.
      await consumeReserved(tx, orderLineReservations(data.orderId, line), item.quantity, `order:${data.orderId}`);
    }
    const allShipped = [...remaining.values()].every((left) => left === 0);
    const target: OrderStatus = allShipped ? "fulfilled" : "partially_fulfilled";
    const path: OrderStatus[] =
      locked.status === "confirmed" ? ["processing", target] : target !== locked.status ? [target] : [];
    for (const next of path) {
      const { event } = await transitionOrder(tx, {
        orderId: data.orderId,
        storeId: scope.storeId,
        target: next,
        reason: `fulfillment ${created.id}`,
        actor: scope.actor,
        requestId: scope.requestId,
        via: "fulfillment",
      });
      events.push(event);
    }
    const who = { ...changedBy(scope), orderId: data.orderId };
    const shipment = {
      fulfillmentId: created.id,
      carrier: created.carrier,
      trackingNumber: created.trackingNumber,
      items,
    };
    events.push(
      await recordOrderActivity(tx, {
        ...who,
        type: "fulfillment.create",
        entityType: "fulfillment",
        entityId: created.id,
        after: created,
        data: shipment,
      }),
    );
    if (target === "fulfilled") {
      events.push(
        await recordOrderActivity(tx, {
          ...who,
          type: "order.fulfilled",
          entityType: "order",
          entityId: data.orderId,
          after: { status: "fulfilled" },
          data: shipment,
        }),
      );
    }
    await claim?.complete(tx, { fulfillmentId: created.id });
    return created;
  });
  for (const event of events) scope.events.publish(event);
  return fulfillment;
}
