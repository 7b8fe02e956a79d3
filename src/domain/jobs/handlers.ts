import { releaseExpiredReservation } from "../inventory/reservations.js";
import { followUpPayment, PAYMENT_FOLLOW_UP_JOB, type PaymentFollowUpSettings } from "../payments/follow-up.js";
import type { PaymentProvider } from "../payments/provider.js";
import { DELIVER_JOB } from "../webhooks/dispatch.js";
import { deliverWebhook } from "../webhooks/deliver.js";
import type { JobHandler } from "./queue.js";

export interface JobSettings {
  webhookAllowPrivateTargets: boolean;
  payments: PaymentProvider;
  paymentFollowUp: PaymentFollowUpSettings;
}

/** Every job the platform knows how to run, by name. */
export function jobHandlers(settings: JobSettings): ReadonlyMap<string, JobHandler> {
  return new Map<string, JobHandler>([
    ["inventory.releaseExpiredReservation", (payload, { prisma }) => releaseExpiredReservation(prisma, String(payload.reservationId))],
    [
      PAYMENT_FOLLOW_UP_JOB,
      (payload, { prisma, events }) =>
        followUpPayment({ prisma, events, provider: settings.payments, settings: settings.paymentFollowUp }, String(payload.paymentId)),
    ],
    [DELIVER_JOB, (payload, { prisma }) => deliverWebhook(prisma, String(payload.deliveryId), { allowPrivateTargets: settings.webhookAllowPrivateTargets })],
  ]);
}
