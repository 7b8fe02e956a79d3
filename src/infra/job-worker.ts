import { trackChanges } from "../domain/committed-changes.js";
import type { EventBus } from "../domain/events.js";
import { type JobRunner, runJobs } from "../domain/jobs/queue.js";
import { MAIL_QUEUE } from "../domain/mail/mail.js";
import type { Db } from "./db.js";
import type { Logger } from "./logger.js";

/**
 * The in-process worker: runs due jobs of the default queue every `pollMs` (never two runs at once in
 * one process; several processes share the work through SKIP LOCKED). `pollMs` 0 starts nothing.
 */
export function startJobWorker(
  deps: { prisma: Db; events: EventBus; jobs: JobRunner },
  pollMs: number,
  logger: Logger,
  /** Hears each run's summary (the metrics count completed, retried and failed jobs). */
  onRun?: (summary: { claimed: number; completed: number; retried: number; failed: number }) => void,
) {
  let running: Promise<unknown> | undefined;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          if (running) return;
          // One unit of work: what the jobs change is told (to the response cache) once they are done.
          // Account mails have their own queue (MAIL_QUEUE): a slow SMTP server never holds up other jobs.
          running = trackChanges(async () => {
            const main = await runJobs(deps, "default", 20);
            const mail = await runJobs(deps, MAIL_QUEUE, 20);
            return {
              claimed: main.claimed + mail.claimed,
              completed: main.completed + mail.completed,
              retried: main.retried + mail.retried,
              failed: main.failed + mail.failed,
            };
          })
            .then((summary) => {
              if (summary.claimed) logger.debug("jobs run", { ...summary });
              onRun?.(summary);
            })
            .catch((error) => logger.error("job worker failed", { error }))
            .finally(() => (running = undefined));
        }, pollMs)
      : undefined;
  timer?.unref();
  return {
    /** Stops claiming jobs and waits for the jobs already claimed to finish. */
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
