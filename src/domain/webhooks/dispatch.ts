import { randomUUID } from "node:crypto";
import type { Prisma } from "../../generated/prisma/client.js";
/**
 * What goes out: an event name, its store and time, and the event's data. The data is kept apart, so a
 * changed row's own fields (a catalog entity's `type`, say) can never overwrite the event's.
 */
export interface OutboxEvent {
  type: string;
  storeId: string;
  at: string;
  data: Record<string, unknown>;
}

import { enqueueJob } from "../jobs/queue.js";

export const DELIVER_JOB = "webhooks.deliver";

/** The JSON body receivers get: `{ id, type, createdAt, data }`. */
export function webhookBody(eventId: string, event: OutboxEvent) {
  return { id: eventId, type: event.type, createdAt: event.at, data: event.data };
}

/**
 * The outbox: inside the transaction that made the change, one delivery row and one delivery job per
 * active endpoint of the store subscribed to the event. Commit writes both or neither, so a change is
 * never announced without having happened, nor lost after it happened.
 */
export async function queueWebhooks(tx: Prisma.TransactionClient, event: OutboxEvent): Promise<number> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { storeId: event.storeId, active: true, events: { has: event.type } },
    select: { id: true },
  });
  if (endpoints.length === 0) return 0;
  const eventId = `evt_${randomUUID().replace(/-/g, "")}`;
  const payload = webhookBody(eventId, event) as Prisma.InputJsonValue;
  for (const endpoint of endpoints) {
    const delivery = await tx.webhookDelivery.create({
      data: { endpointId: endpoint.id, eventId, event: event.type, payload },
    });
    await enqueueJob(tx, {
      name: DELIVER_JOB,
      queue: "default",
      storeId: event.storeId,
      payload: { deliveryId: delivery.id },
      maxAttempts: 8,
    });
  }
  return endpoints.length;
}
