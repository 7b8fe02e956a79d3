import { releaseExpiredReservation } from "../inventory/reservations.js";
import { DELIVER_JOB } from "../webhooks/dispatch.js";
import { deliverWebhook } from "../webhooks/deliver.js";
import type { JobHandler } from "./queue.js";

export interface JobSettings {
  webhookAllowPrivateTargets: boolean;
}

/** Every job the platform knows how to run, by name. */
export function jobHandlers(settings: JobSettings): ReadonlyMap<string, JobHandler> {
  return new Map<string, JobHandler>([
    ["inventory.releaseExpiredReservation", (payload, { prisma }) => releaseExpiredReservation(prisma, String(payload.reservationId))],
    [DELIVER_JOB, (payload, { prisma }) => deliverWebhook(prisma, String(payload.deliveryId), { allowPrivateTargets: settings.webhookAllowPrivateTargets })],
  ]);
}
