import type { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import type { Actor } from "../auth/actor.js";
import { noteChange } from "../committed-changes.js";
import { WEBHOOK_EVENT_ALIASES, WEBHOOK_EVENTS } from "../webhooks/catalog.js";
import { queueWebhooks } from "../webhooks/dispatch.js";

export interface Change {
  storeId: string;
  /** Who: the request's actor, or a system process (webhooks, jobs, checkout compensation). */
  actor: Actor | { kind: "system"; id: string };
  requestId?: string | null;
  /** Event name, e.g. orders.statusChange, catalog.update. */
  event: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** What webhook receivers get as `data` (defaults to `after`). */
  data?: Record<string, unknown>;
}

/** The who of a change made for a request: its store, actor and request id. */
export function changedBy(scope: { storeId: string; actor: Actor; requestId?: string }) {
  return { storeId: scope.storeId, actor: scope.actor, requestId: scope.requestId ?? null };
}

function json(value: unknown): Prisma.InputJsonValue | undefined {
  return value === undefined || value === null
    ? undefined
    : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

/**
 * Records a state change inside the transaction that makes it: the audit entry, and (for events of the
 * webhook catalog) the webhook outbox. One call site per change, so the audit trail and the webhooks can
 * never disagree with the data.
 */
export async function recordChange(tx: Prisma.TransactionClient, change: Change): Promise<void> {
  await tx.auditEntry.create({
    data: {
      storeId: change.storeId,
      actorType: change.actor.kind,
      actorId: change.actor.kind === "anonymous" ? null : change.actor.id,
      event: change.event,
      entityType: change.entityType,
      entityId: change.entityId,
      before: json(change.before),
      after: json(change.after),
      requestId: change.requestId ?? null,
    },
  });
  // Heard once the unit of work has finished (the response cache drops the store's public answers).
  noteChange({ storeId: change.storeId, event: change.event });
  // The event under its own name and under any other name endpoints may know it by (seed 003's).
  for (const type of [change.event, ...(WEBHOOK_EVENT_ALIASES[change.event] ?? [])]) {
    if (!(WEBHOOK_EVENTS as readonly string[]).includes(type)) continue;
    await queueWebhooks(tx, {
      type,
      storeId: change.storeId,
      at: new Date().toISOString(),
      data: change.data ?? (change.after as Record<string, unknown>) ?? { id: change.entityId },
    });
  }
}

/**
 * Runs `work` in a transaction and records the change it made in the same transaction: for services
 * whose change is one write with nothing else to coordinate.
 */
export async function audited<T>(
  scope: { prisma: Db; storeId: string; actor: Actor; requestId?: string },
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  describe: (result: T) => Omit<Change, "storeId" | "actor" | "requestId">,
): Promise<T> {
  return scope.prisma.$transaction(async (tx) => {
    const result = await work(tx);
    await recordChange(tx, { ...changedBy(scope), ...describe(result) });
    return result;
  });
}
