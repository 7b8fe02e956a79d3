import { createHash } from "node:crypto";
import type { Prisma as P } from "../../generated/prisma/client.js";
import type { Prisma } from "../../infra/db.js";
import { ConflictError, ValidationError } from "../errors.js";

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

/**
 * Runs `work` at most once per (store, scope, key). A retry with the same key and request gets the
 * first outcome again (`replay` rebuilds it from what `work` recorded); a concurrent duplicate gets 409
 * CONFLICT; the same key with a different request gets 422. A failed attempt records nothing, so the
 * client may retry it.
 */
export async function withIdempotencyKey<T>(
  prisma: Prisma,
  key: { storeId: string; scope: string; key: string; request: unknown },
  work: () => Promise<{ result: T; record: Record<string, unknown> }>,
  replay: (record: Record<string, unknown>) => Promise<T>,
): Promise<T> {
  if (key.key.length === 0 || key.key.length > 255) {
    throw ValidationError.field("idempotencyKey", "invalid", "Idempotency-Key must be 1 to 255 characters.");
  }
  const hash = requestHash(key.request);
  const where = { storeId_scope_key: { storeId: key.storeId, scope: key.scope, key: key.key } };
  const claimed = await prisma.idempotencyRecord.createMany({
    data: [{ storeId: key.storeId, scope: key.scope, key: key.key, requestHash: hash }],
    skipDuplicates: true,
  });
  if (claimed.count === 0) {
    const existing = await prisma.idempotencyRecord.findUnique({ where });
    if (existing && existing.requestHash !== hash) {
      throw ValidationError.field("idempotencyKey", "reused", "This Idempotency-Key was used with a different request.");
    }
    if (existing?.state === "completed") return replay(existing.response as Record<string, unknown>);
    throw new ConflictError("A request with this Idempotency-Key is still in progress.", "idempotencyKey");
  }
  try {
    const { result, record } = await work();
    await prisma.idempotencyRecord.update({
      where,
      data: { state: "completed", response: record as P.InputJsonValue },
    });
    return result;
  } catch (error) {
    await prisma.idempotencyRecord.delete({ where }).catch(() => {});
    throw error;
  }
}
