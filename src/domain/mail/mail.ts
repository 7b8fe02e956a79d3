import type { Prisma } from "../../generated/prisma/client.js";
import { enqueueJob } from "../jobs/queue.js";

/** One message, as every transport sends it. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The one link the message is about (the development transport logs it). */
  link?: string;
}

/** The mail port: SMTP in production, files under DATA_DIR/mail in development (infra/mail.ts). */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close?(): Promise<void>;
}

/** The queue of mail jobs (the worker runs it beside `default`; `GET /api/jobs/run?queue=mail` runs it by hand). */
export const MAIL_QUEUE = "mail";

/** The job that sends an account mail. Retried with backoff like webhook deliveries (jobs/queue.ts). */
export const SEND_AUTH_MAIL_JOB = "mail.sendAuthLink";

/**
 * Queues the mail of a signed link in the caller's transaction, so the mail goes out exactly when the
 * change that asked for it commits. The job names the link row, never the link itself: job payloads are
 * readable by merchants (`/api/jobs`), a password-reset link must not be.
 */
export function queueAuthLinkMail(db: Pick<Prisma.TransactionClient, "job">, link: { id: string; storeId: string }) {
  return enqueueJob(db, {
    name: SEND_AUTH_MAIL_JOB,
    queue: MAIL_QUEUE,
    storeId: link.storeId,
    payload: { linkId: link.id },
    maxAttempts: 8,
  });
}
