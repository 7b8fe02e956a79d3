import type { EventBus } from "../domain/events.js";
import { type JobHandler, runJobs } from "../domain/jobs/queue.js";
import type { Prisma } from "./db.js";
import type { Logger } from "./logger.js";

/**
 * The in-process worker: runs due jobs of the default queue every `pollMs` (never two runs at once in
 * one process; several processes share the work through SKIP LOCKED). `pollMs` 0 starts nothing.
 */
export function startJobWorker(
  deps: { prisma: Prisma; events: EventBus; handlers: ReadonlyMap<string, JobHandler> },
  pollMs: number,
  logger: Logger,
) {
  let running: Promise<unknown> | undefined;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          if (running) return;
          running = runJobs(deps, "default", 20)
            .then((summary) => {
              if (summary.claimed) logger.debug("jobs run", { ...summary });
            })
            .catch((error) => logger.error("job worker failed", { error }))
            .finally(() => (running = undefined));
        }, pollMs)
      : undefined;
  timer?.unref();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
