import type { Db } from "../../infra/db.js";
import { ValidationError } from "../errors.js";
import { isUuid } from "../validation.js";
import { postToPinnedTarget } from "./pinned-request.js";
import { deliveryHeaders } from "./signing.js";
import { resolveTarget, type TargetPolicy } from "./targets.js";

export const DELIVERY_TIMEOUT_MS = 10_000;

export class WebhookDeliveryError extends Error {}

export type DeliveryOutcome = "delivered" | "failed" | "gone" | "cancelled";
const outcomeListeners: Array<(outcome: DeliveryOutcome) => void> = [];

/** Hears the outcome of every delivery attempt (the metrics count them; the domain knows no metrics library). */
export function onDeliveryOutcome(listener: (outcome: DeliveryOutcome) => void) {
  outcomeListeners.push(listener);
}

const reportOutcome = (outcome: DeliveryOutcome) => {
  for (const listener of outcomeListeners) listener(outcome);
};

/**
 * One attempt at a delivery (the job layer retries with backoff on a throw). 2xx delivers; 410 Gone
 * disables the endpoint for good; anything else, or no answer, is retried. Each attempt is signed
 * afresh with the same webhook-id. The URL is resolved once per attempt, every address checked (DNS may
 * have changed since registration), and the request connects to those addresses only.
 */
export async function deliverWebhook(prisma: Db, deliveryId: string, policy: TargetPolicy): Promise<void> {
  if (!isUuid(deliveryId)) return;
  const delivery = await prisma.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
  if (delivery?.status !== "pending") return;
  if (!delivery.endpoint.active) {
    await prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: "cancelled" } });
    reportOutcome("cancelled");
    return;
  }
  const body = JSON.stringify(delivery.payload);
  const attempt = delivery.attempts + 1;
  let status: number | null = null;
  let error: string | null = null;
  try {
    const target = await resolveTarget(delivery.endpoint.url, policy);
    const headers = deliveryHeaders(delivery.endpoint.secret, delivery.eventId, delivery.event, body);
    status = await postToPinnedTarget(target, headers, body, DELIVERY_TIMEOUT_MS);
  } catch (cause) {
    // A refused target keeps its reason code (private_target, unresolvable) in front of the message.
    error =
      cause instanceof ValidationError
        ? `${cause.fieldErrors[0]?.code}: ${cause.message}`
        : cause instanceof Error
          ? cause.message
          : String(cause);
  }
  if (status !== null && status >= 200 && status < 300) {
    await prisma.webhookDelivery.update({
      where: { id: delivery.id },
      data: { status: "delivered", attempts: attempt, lastStatus: status, lastError: null, deliveredAt: new Date() },
    });
    reportOutcome("delivered");
    return;
  }
  if (status === 410) {
    await prisma.$transaction([
      prisma.webhookDelivery.update({
        where: { id: delivery.id },
        data: { status: "failed", attempts: attempt, lastStatus: 410 },
      }),
      prisma.webhookEndpoint.update({
        where: { id: delivery.endpointId },
        data: { active: false, disabledReason: "The endpoint answered 410 Gone." },
      }),
    ]);
    reportOutcome("gone");
    return;
  }
  await prisma.webhookDelivery.update({
    where: { id: delivery.id },
    data: { attempts: attempt, lastStatus: status, lastError: error ?? `HTTP ${status}` },
  });
  reportOutcome("failed");
  throw new WebhookDeliveryError(error ?? `The endpoint answered HTTP ${status}.`);
}
