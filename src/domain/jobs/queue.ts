import type { Job, Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import { DomainError, InvalidTransitionError, NotFoundError } from "../errors.js";
import type { EventBus } from "../events.js";
import { isUuid } from "../validation.js";

export type JobRow = Job;

/** What a job handler gets to work with. */
export interface JobContext {
  prisma: Db;
  events: EventBus;
  job: JobRow;
}

export type JobHandler = (payload: Record<string, unknown>, context: JobContext) => Promise<void>;

/**
 * What runs jobs: the handlers by name, and the clock the queue tells time by (which jobs are due, when a
 * retry is, when a lock went stale). One clock, the app's, rather than the database's `now()`: tests move
 * it forward to reach a due job instead of rewriting its row.
 */
export interface JobRunner {
  handlers: ReadonlyMap<string, JobHandler>;
  clock: () => Date;
}

/** A running job whose worker died is handed out again after this long. */
export const STALE_LOCK_MS = 5 * 60_000;

/**
 * Exponential backoff with full jitter: attempt n waits a random time up to base * 2^(n-1), capped.
 * Jitter keeps retries of many jobs that failed together from hammering a recovering target at once.
 */
export function backoffMs(attempt: number, baseMs = 1_000, capMs = 60 * 60_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export interface EnqueueRequest {
  name: string;
  payload?: Record<string, unknown>;
  queue?: string;
  storeId?: string | null;
  runAt?: Date;
  maxAttempts?: number;
}

/** Adds a job; pass the caller's transaction so the job exists exactly when the change it follows does. */
export function enqueueJob(db: Pick<Prisma.TransactionClient, "job">, request: EnqueueRequest) {
  return db.job.create({
    data: {
      name: request.name,
      queue: request.queue ?? "default",
      storeId: request.storeId ?? null,
      payload: (request.payload ?? {}) as Prisma.InputJsonValue,
      runAt: request.runAt ?? new Date(),
      maxAttempts: request.maxAttempts ?? 5,
    },
  });
}

/**
 * Claims up to `limit` due jobs of a queue for this worker in one statement: FOR UPDATE SKIP LOCKED
 * lets concurrent workers take disjoint jobs instead of waiting for (or double-running) each other.
 * Jobs left running by a dead worker count as due again after STALE_LOCK_MS.
 */
export async function claimJobs(prisma: Db, queue: string, limit: number, now = new Date()): Promise<JobRow[]> {
  const staleBefore = new Date(now.getTime() - STALE_LOCK_MS);
  return prisma.$queryRaw<JobRow[]>`
    UPDATE job SET status = 'running', "lockedAt" = ${now}, attempts = attempts + 1, "updatedAt" = now()
    WHERE id IN (
      SELECT id FROM job
      WHERE queue = ${queue}
        AND ((status = 'pending' AND "runAt" <= ${now}) OR (status = 'running' AND "lockedAt" < ${staleBefore}))
      ORDER BY "runAt", "createdAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING *`;
}

export interface RunSummary {
  claimed: number;
  completed: number;
  retried: number;
  failed: number;
}

/**
 * Runs due jobs of a queue with the registered handlers. A job that throws is retried with backoff
 * until it has used `maxAttempts`, then marked failed (listed by `failedJobs`, retryable by hand).
 */
export async function runJobs(
  deps: { prisma: Db; events: EventBus; jobs: JobRunner },
  queue: string,
  limit: number,
): Promise<RunSummary> {
  const jobs = await claimJobs(deps.prisma, queue, limit, deps.jobs.clock());
  const summary: RunSummary = { claimed: jobs.length, completed: 0, retried: 0, failed: 0 };
  for (const job of jobs) {
    try {
      const handler = deps.jobs.handlers.get(job.name);
      if (!handler) throw new Error(`No handler for job "${job.name}".`);
      await handler((job.payload ?? {}) as Record<string, unknown>, { prisma: deps.prisma, events: deps.events, job });
      await deps.prisma.job.update({
        where: { id: job.id },
        data: { status: "completed", completedAt: new Date(), lockedAt: null, lastError: null },
      });
      summary.completed++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const exhausted = job.attempts >= job.maxAttempts;
      await deps.prisma.job.update({
        where: { id: job.id },
        data: exhausted
          ? { status: "failed", lockedAt: null, lastError: message }
          : {
              status: "pending",
              lockedAt: null,
              lastError: message,
              runAt: new Date(deps.jobs.clock().getTime() + backoffMs(job.attempts)),
            },
      });
      if (exhausted) summary.failed++;
      else summary.retried++;
    }
  }
  return summary;
}

/** failed -> pending, due now, with a fresh allowance of attempts. */
export async function retryJob(prisma: Db, id: string): Promise<JobRow> {
  if (!isUuid(id)) throw new NotFoundError("Job", id);
  const { count } = await prisma.job.updateMany({
    where: { id, status: "failed" },
    data: { status: "pending", runAt: new Date(), attempts: 0, lastError: null },
  });
  const job = await prisma.job.findUnique({ where: { id } });
  if (!job) throw new NotFoundError("Job", id);
  if (count === 0) throw new InvalidTransitionError("job", job.status, "pending");
  return job;
}

export function assertQueueName(queue: string): string {
  if (!/^[a-z][a-z0-9_-]{0,63}$/.test(queue))
    throw new DomainError("VALIDATION_FAILED", "queue must be a lowercase name.");
  return queue;
}
