import { releaseExpiredReservation } from "../inventory/reservations.js";
import { type AuthMailSettings, sendAuthLinkMail } from "../mail/auth-mails.js";
import { SEND_AUTH_MAIL_JOB } from "../mail/mail.js";
import { followUpPayment, PAYMENT_FOLLOW_UP_JOB, type PaymentFollowUpSettings } from "../payments/follow-up.js";
import { RETURN_LATE_CHARGE_JOB, returnLateCharge } from "../payments/late-charges.js";
import type { PaymentProvider } from "../payments/provider.js";
import { deliverWebhook } from "../webhooks/deliver.js";
import { DELIVER_JOB } from "../webhooks/dispatch.js";
import type { JobHandler, JobRunner } from "./queue.js";

export interface JobSettings {
  webhookAllowPrivateTargets: boolean;
  payments: PaymentProvider;
  paymentFollowUp: PaymentFollowUpSettings;
  /** The time the queue and its jobs tell time by (due jobs, expired reservations, payment ages); default: the system clock. */
  clock?: () => Date;
  /** Account mails (password reset, verification); without it their jobs fail and stay visible. */
  mail?: AuthMailSettings;
}

/** Every job the platform knows how to run, by name, on one clock. */
export function jobRunner(settings: JobSettings): JobRunner {
  const clock = settings.clock ?? (() => new Date());
  return { handlers: jobHandlers(settings, clock), clock };
}

function jobHandlers(settings: JobSettings, clock: () => Date): ReadonlyMap<string, JobHandler> {
  return new Map<string, JobHandler>([
    [
      "inventory.releaseExpiredReservation",
      (payload, { prisma }) => releaseExpiredReservation(prisma, String(payload.reservationId), clock()),
    ],
    [
      PAYMENT_FOLLOW_UP_JOB,
      (payload, { prisma, events }) =>
        followUpPayment(
          { prisma, events, provider: settings.payments, settings: settings.paymentFollowUp, now: clock },
          String(payload.paymentId),
        ),
    ],
    [
      RETURN_LATE_CHARGE_JOB,
      (payload, { prisma }) => returnLateCharge({ prisma, provider: settings.payments }, payload),
    ],
    [
      DELIVER_JOB,
      (payload, { prisma }) =>
        deliverWebhook(prisma, String(payload.deliveryId), {
          allowPrivateTargets: settings.webhookAllowPrivateTargets,
        }),
    ],
    [
      SEND_AUTH_MAIL_JOB,
      async (payload, { prisma }) => {
        if (!settings.mail) throw new Error("No mail transport is configured.");
        await sendAuthLinkMail(prisma, settings.mail, String(payload.linkId));
      },
    ],
  ]);
}
