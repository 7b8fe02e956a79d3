import type { Prisma } from "../../infra/db.js";
import { isUuid } from "../validation.js";
import { deliveryHeaders } from "./signing.js";
import { assertDeliverableUrl } from "./targets.js";

export const DELIVERY_TIMEOUT_MS = 10_000;

export class WebhookDeliveryError extends Error {}

/**
 * One attempt at a delivery (the job layer retries with backoff on a throw). 2xx delivers; 410 Gone
 * disables the endpoint for good; anything else, or no answer, is retried. Each attempt is signed
 * afresh with the same webhook-id.
 */
export async function deliverWebhook(
  prisma: Prisma,
  deliveryId: string,
  options: { allowPrivateTargets: boolean; fetch?: typeof fetch },
): Promise<void> {
  if (!isUuid(deliveryId)) return;
  const delivery = await prisma.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
  if (!delivery || delivery.status !== "pending") return;
  if (!delivery.endpoint.active) {
    await prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: "cancelled" } });
    return;
  }
  const body = JSON.stringify(delivery.payload);
  const attempt = delivery.attempts + 1;
  let status: number | null = null;
  let error: string | null = null;
  try {
    const url = await assertDeliverableUrl(delivery.endpoint.url, options.allowPrivateTargets);
    const response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers: deliveryHeaders(delivery.endpoint.secret, delivery.eventId, delivery.event, body),
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    status = response.status;
    await response.body?.cancel().catch(() => {});
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  }
  if (status !== null && status >= 200 && status < 300) {
    await prisma.webhookDelivery.update({
      where: { id: delivery.id },
      data: { status: "delivered", attempts: attempt, lastStatus: status, lastError: null, deliveredAt: new Date() },
    });
    return;
  }
  if (status === 410) {
    await prisma.$transaction([
      prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { status: "failed", attempts: attempt, lastStatus: 410 } }),
      prisma.webhookEndpoint.update({
        where: { id: delivery.endpointId },
        data: { active: false, disabledReason: "The endpoint answered 410 Gone." },
      }),
    ]);
    return;
  }
  await prisma.webhookDelivery.update({
    where: { id: delivery.id },
    data: { attempts: attempt, lastStatus: status, lastError: error ?? `HTTP ${status}` },
  });
  throw new WebhookDeliveryError(error ?? `The endpoint answered HTTP ${status}.`);
}
