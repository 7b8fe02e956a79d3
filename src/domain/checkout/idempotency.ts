import { createHash, randomUUID } from "node:crypto";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import type { Actor } from "../auth/actor.js";
import { ConflictError, ValidationError } from "../errors.js";

/**
 * How long a claimed key may stay in progress before a retry may take it over: its holder is presumed
 * dead (a crash, a kill). Longer than a refund's transaction may run; a checkout that is merely slow and
 * overtaken is still safe, because both attempts lock the same cart and a cart becomes one order.
 */
export const CLAIM_LEASE_SECONDS = 30;

/**
 * Keys belong to their caller: the same key sent by another caller is another key, and that request is
 * authorized (and refused) like any other. Callers are an API key, a customer, or, for anonymous
 * shoppers (with or without a publishable key), the capability they act with (e.g. the guest cart's id).
 */
export function callerScope(operation: string, actor: Actor, capability: string): string {
  if (actor.kind === "apiKey") return `${operation}:apiKey:${actor.id}`;
  if (actor.kind === "customer") return `${operation}:customer:${actor.id}`;
  return `${operation}:anonymous:${capability}`;
}

/** A stable JSON form (sorted keys) so that the same request always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(request: unknown): string {
  return createHash("sha256").update(canonical(request)).digest("hex");
}

type RawExecutor = Pick<Prisma.TransactionClient, "$executeRaw">;
type Outcome = Record<string, unknown>;

export interface IdempotencyClaim {
  /**
   * Records the outcome. Call it inside the transaction of the work, so the outcome commits exactly
   * when the work does: a crash right after the commit leaves a key that replays, not one in progress.
   */
  complete(db: RawExecutor, outcome: Outcome): Promise<void>;
}

interface KeySpec {
  storeId: string;
  /** The operation and the caller (`callerScope`). */
  scope: string;
  key: string;
  request: unknown;
}

/**
 * Runs `work` at most once per (store, operation and caller, key). A retry with the same key and request
 * gets the first outcome again (`replay` rebuilds it from what `work` recorded); a concurrent duplicate
 * gets 409 CONFLICT; the same key with a different request gets 422. A failed attempt releases the key
 * (even if it failed after its transaction recorded the outcome), so the client may retry it; a claim
 * whose holder died is taken over once its lease has run out.
 */
export async function withIdempotencyKey<T>(
  prisma: Db,
  spec: KeySpec,
  work: (claim: IdempotencyClaim) => Promise<{ result: T; outcome: Outcome }>,
  replay: (outcome: Outcome) => Promise<T>,
): Promise<T> {
  if (spec.key.length === 0 || spec.key.length > 255) {
    throw ValidationError.field("idempotencyKey", "invalid", "Idempotency-Key must be 1 to 255 characters.");
  }
  const hash = requestHash(spec.request);
  const token = randomUUID();
  const claimed = await claim(prisma, spec, hash, token);
  if ("outcome" in claimed) return replay(claimed.outcome);

  const complete = async (db: RawExecutor, outcome: Outcome) => {
    // An upsert: the claim may have been taken over (and released) meanwhile; the outcome is recorded
    // all the same, unless the key now belongs to another request.
    await db.$executeRaw`
      INSERT INTO idempotency_record (id, "storeId", scope, key, "requestHash", state, response, "updatedAt")
      VALUES (${randomUUID()}::uuid, ${spec.storeId}::uuid, ${spec.scope}, ${spec.key}, ${hash}, 'completed',
              ${JSON.stringify({ ...outcome, claim: token })}::jsonb, now())
      ON CONFLICT ("storeId", scope, key) DO UPDATE
        SET state = 'completed', response = EXCLUDED.response, "updatedAt" = now()
        WHERE idempotency_record."requestHash" = EXCLUDED."requestHash"`;
  };
  try {
    const { result, outcome } = await work({ complete });
    await complete(prisma, outcome);
    return result;
  } catch (error) {
    // Released (our claim, or the outcome we recorded before failing later, e.g. at the provider), so
    // the client may retry; never a claim another attempt took over.
    await prisma.$executeRaw`
      DELETE FROM idempotency_record
      WHERE "storeId" = ${spec.storeId}::uuid AND scope = ${spec.scope} AND key = ${spec.key}
        AND response->>'claim' = ${token}`.catch(() => {});
    throw error;
  }
}

/** Claims the key (a new row, or an abandoned claim taken over), or finds its recorded outcome. */
async function claim(
  prisma: Db,
  spec: KeySpec,
  hash: string,
  token: string,
): Promise<{ claimed: true } | { outcome: Outcome }> {
  const claimResponse = JSON.stringify({ claim: token });
  // A released claim can vanish between the insert and the read: try again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await prisma.$executeRaw`
      INSERT INTO idempotency_record (id, "storeId", scope, key, "requestHash", state, response, "updatedAt")
      VALUES (${randomUUID()}::uuid, ${spec.storeId}::uuid, ${spec.scope}, ${spec.key}, ${hash}, 'in_progress',
              ${claimResponse}::jsonb, now())
      ON CONFLICT ("storeId", scope, key) DO NOTHING`;
    if (inserted === 1) return { claimed: true };
    const [existing] = await prisma.$queryRaw<{ requestHash: string; state: string; response: Outcome | null }[]>`
      SELECT "requestHash", state, response FROM idempotency_record
      WHERE "storeId" = ${spec.storeId}::uuid AND scope = ${spec.scope} AND key = ${spec.key}`;
    if (!existing) continue;
    if (existing.requestHash !== hash) {
      throw ValidationError.field(
        "idempotencyKey",
        "reused",
        "This Idempotency-Key was used with a different request.",
      );
    }
    if (existing.state === "completed") return { outcome: existing.response ?? {} };
    // In progress: ours to take over only once its lease ran out, and only for one retry (conditional UPDATE).
    const takenOver = await prisma.$executeRaw`
      UPDATE idempotency_record SET response = ${claimResponse}::jsonb, "updatedAt" = now()
      WHERE "storeId" = ${spec.storeId}::uuid AND scope = ${spec.scope} AND key = ${spec.key}
        AND state = 'in_progress' AND "updatedAt" < now() - make_interval(secs => ${CLAIM_LEASE_SECONDS}::float8)`;
    if (takenOver === 1) return { claimed: true };
    throw new ConflictError("A request with this Idempotency-Key is still in progress.", "idempotencyKey");
  }
  throw new ConflictError("A request with this Idempotency-Key is still in progress.", "idempotencyKey");
}
