import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Prisma } from "../../infra/db.js";
import { changedBy, recordChange } from "../audit/record.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import type { Actor } from "./actor.js";
import { grants, PERMISSION_PATTERN } from "./permissions.js";

/** Keys are 32 random bytes, so one SHA-256 is a sufficient (and fast) hash; no salt or KDF needed. */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

const BOOTSTRAP_ID = "bootstrap";

/** How long a verified key is trusted without asking the database again (a revoke takes this long). */
const CACHE_TTL_MS = 5_000;

export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { actor: Actor | null; expires: number }>();
  private readonly bootstrapHash: Buffer | undefined;

  constructor(
    private readonly prisma: Prisma,
    bootstrapKey: string | undefined,
  ) {
    this.bootstrapHash = bootstrapKey ? Buffer.from(hashApiKey(bootstrapKey), "hex") : undefined;
  }

  /** The actor for a presented secret, or null when the key is unknown or revoked. */
  async authenticate(secret: string): Promise<Actor | null> {
    const hash = hashApiKey(secret);
    if (this.bootstrapHash && timingSafeEqual(this.bootstrapHash, Buffer.from(hash, "hex"))) {
      return { kind: "apiKey", id: BOOTSTRAP_ID, name: "ADMIN_API_KEY", storeId: null, permissions: ["*:*"] };
    }
    const cached = this.cache.get(hash);
    if (cached && cached.expires > Date.now()) return cached.actor;
    const key = await this.prisma.apiKey.findUnique({ where: { hash } });
    const actor: Actor | null =
      key && !key.revokedAt
        ? { kind: "apiKey", id: key.id, name: key.name, storeId: key.storeId, permissions: key.permissions }
        : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { actor, expires: Date.now() + CACHE_TTL_MS });
    return actor;
  }

  forget(): void {
    this.cache.clear();
  }
}

const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  permissions: z
    .array(z.string().regex(PERMISSION_PATTERN, "must look like resource:action, e.g. catalog:create"))
    .min(1),
});

/** Creates a key in a store; the secret is returned once and only its hash is kept. */
export async function createApiKey(scope: Scope, input: unknown) {
  const data = parseInput(CreateApiKeyInput, input);
  // A key can only hand out permissions its creator holds.
  const held = scope.actor.kind === "apiKey" ? scope.actor.permissions : [];
  const excess = data.permissions.filter((p) => !grants(held, p));
  if (excess.length) {
    throw ValidationError.field("permissions", "not_held", `You cannot grant permissions you do not hold: ${excess.join(", ")}.`);
  }
  const secret = `cg_${randomBytes(32).toString("base64url")}`;
  const key = await scope.prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: { storeId: scope.storeId, name: data.name, permissions: data.permissions, prefix: secret.slice(0, 10), hash: hashApiKey(secret) },
    });
    const { hash: _hash, ...visible } = created;
    await recordChange(tx, { ...changedBy(scope), event: "apiKeys.create", entityType: "api_key", entityId: created.id, after: visible });
    return created;
  });
  return { key, secret };
}

/** Revokes a key of the store (once: revoking again is 404, the key is gone for callers). */
export async function revokeApiKey(scope: Scope, id: string) {
  if (!isUuid(id)) throw new NotFoundError("API key", id);
  return scope.prisma.$transaction(async (tx) => {
    const { count } = await tx.apiKey.updateMany({
      where: { id, storeId: scope.storeId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw new NotFoundError("API key", id);
    const key = await tx.apiKey.findUniqueOrThrow({ where: { id } });
    await recordChange(tx, { ...changedBy(scope), event: "apiKeys.revoke", entityType: "api_key", entityId: id, after: { revokedAt: key.revokedAt } });
    return key;
  });
}
