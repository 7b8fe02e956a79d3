import type { Prisma } from "../../generated/prisma/client.js";
import { type Change, recordChange } from "../audit/record.js";
import type { OrderActivityEvent, OrderActivityType } from "../events.js";

/**
 * Records a post-purchase change of an order (audit entry + webhook outbox, in the caller's
 * transaction) and returns the event to publish to subscriptions after commit. The webhook `data`
 * always carries the order's id, number, status and payment status as they are after the change.
 */
export async function recordOrderActivity(
  tx: Prisma.TransactionClient,
  change: Pick<Change, "storeId" | "actor" | "requestId" | "before" | "after"> & {
    type: OrderActivityType;
    orderId: string;
    entityType: string;
    entityId: string;
    data?: Record<string, unknown>;
  },
): Promise<OrderActivityEvent> {
  const order = await tx.order.findUniqueOrThrow({
    where: { id: change.orderId },
    select: { number: true, status: true, paymentStatus: true, customerId: true },
  });
  await recordChange(tx, {
    storeId: change.storeId,
    actor: change.actor,
    requestId: change.requestId,
    event: change.type,
    entityType: change.entityType,
    entityId: change.entityId,
    before: change.before,
    after: change.after,
    data: {
      id: change.entityId,
      orderId: change.orderId,
      number: order.number,
      status: order.status,
      paymentStatus: order.paymentStatus,
      ...change.data,
    },
  });
  return {
    type: change.type,
    storeId: change.storeId,
    orderId: change.orderId,
    customerId: order.customerId,
    status: order.status,
    paymentStatus: order.paymentStatus,
    subjectId: change.entityId,
    at: new Date().toISOString(),
  };
}
