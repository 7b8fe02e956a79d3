import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../infra/db.js";
import { changedBy, recordChange } from "../audit/record.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import { type Actor, vendorOf } from "./actor.js";
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
    private readonly prisma: Db,
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
      !key || key.revokedAt
        ? null
        : apiKeyKind(key) === "publishable" && key.storeId
          ? { kind: "publishableKey", id: key.id, name: key.name, storeId: key.storeId }
          : {
              kind: "apiKey",
              id: key.id,
              name: key.name,
              storeId: key.storeId,
              permissions: key.permissions,
              vendorId: key.vendorId,
            };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { actor, expires: Date.now() + CACHE_TTL_MS });
    return actor;
  }

  forget(): void {
    this.cache.clear();
  }
}

/**
 * Secret keys (`cg_`) hold permissions and stay on servers. Publishable keys (`pk_`) are safe to embed
 * in a storefront page: they hold no permission and act as an anonymous shopper of their store.
 */
export const API_KEY_KINDS = ["secret", "publishable"] as const;
export type ApiKeyKind = (typeof API_KEY_KINDS)[number];
const PUBLISHABLE_PREFIX = "pk_";
export const SECRET_KEY_PREFIXES = ["cg_", "aly_"] as const;

/** A stored key's kind, from the prefix it was issued with. */
export function apiKeyKind(key: { prefix: string }): ApiKeyKind {
  return key.prefix.startsWith(PUBLISHABLE_PREFIX) ? "publishable" : "secret";
}

export const CreateApiKeyInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(API_KEY_KINDS).nullish(),
    /** A secret key's prefix: cg_ (ours, the default) or aly_ (seed 000's merchant tokens); the same key either way. */
    prefix: z.enum(SECRET_KEY_PREFIXES).nullish(),
    permissions: z
      .array(z.string().regex(PERMISSION_PATTERN, "must look like resource:action, e.g. catalog:create"))
      .nullish(),
    /** Another store than the caller's: for platform-wide keys (the bootstrap key) setting up a store. */
    storeId: z.uuid({ message: "must be a UUID" }).nullish(),
    /** A vendor key: it acts as this marketplace vendor only, whatever permissions it names (actor.ts `can`). */
    vendorId: z.uuid({ message: "must be a UUID" }).nullish(),
  })
  .superRefine((input, ctx) => {
    const count = input.permissions?.length ?? 0;
    if (input.kind === "publishable" && count > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["permissions"],
        message: "publishable keys hold no permissions: they act as shoppers",
      });
    } else if (input.kind === "publishable" && input.prefix) {
      ctx.addIssue({ code: "custom", path: ["prefix"], message: "only secret keys take a prefix" });
    } else if (input.kind === "publishable" && input.vendorId) {
      ctx.addIssue({ code: "custom", path: ["vendorId"], message: "only secret keys act as a vendor" });
    } else if (input.kind !== "publishable" && count === 0) {
      ctx.addIssue({ code: "custom", path: ["permissions"], message: "a secret key needs at least one permission" });
    }
  });

/** Creates a key in a store; the secret is returned once and only its hash is kept. */
export async function createApiKey(scope: Scope, input: unknown) {
  const data = parseInput(CreateApiKeyInput, input);
  const permissions = data.permissions ?? [];
  // A key can only hand out permissions its creator holds.
  const held = scope.actor.kind === "apiKey" ? scope.actor.permissions : [];
  const excess = permissions.filter((p) => !grants(held, p));
  if (excess.length) {
    throw ValidationError.field(
      "permissions",
      "not_held",
      `You cannot grant permissions you do not hold: ${excess.join(", ")}.`,
    );
  }
  const storeId = await targetStore(scope, data.storeId);
  const vendorId = await keyVendor(scope, storeId, data.vendorId);
  const kind = data.kind ?? "secret";
  const secret = `${kind === "publishable" ? PUBLISHABLE_PREFIX : (data.prefix ?? "cg_")}${randomBytes(32).toString("base64url")}`;
  const key = await scope.prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: { storeId, vendorId, name: data.name, permissions, prefix: secret.slice(0, 10), hash: hashApiKey(secret) },
    });
    const { hash: _hash, ...visible } = created;
    await recordChange(tx, {
      ...changedBy(scope),
      storeId,
      event: "apiKeys.create",
      entityType: "api_key",
      entityId: created.id,
      after: visible,
    });
    return created;
  });
  return { key, secret };
}

/** The store a new key is for: the caller's, or one a platform-wide caller names. */
async function targetStore(scope: Scope, storeId: string | null | undefined): Promise<string> {
  if (!storeId || storeId === scope.storeId) return scope.storeId;
  if (scope.actor.kind !== "apiKey" || scope.actor.storeId !== null) {
    throw new ForbiddenError("Only a platform-wide key can create keys for another store.");
  }
  const store = await scope.prisma.store.findUnique({ where: { id: storeId }, select: { id: true } });
  if (!store) throw ValidationError.field("storeId", "not_found", "No store with this id.");
  return store.id;
}

/** The vendor a new key acts as: one of the target store's; a vendor caller's keys are always its own. */
async function keyVendor(scope: Scope, storeId: string, vendorId: string | null | undefined): Promise<string | null> {
  const own = vendorOf(scope.actor);
  if (own && vendorId && vendorId !== own)
    throw ValidationError.field("vendorId", "not_own", "A vendor can only create keys of its own.");
  const wanted = own ?? vendorId;
  if (!wanted) return null;
  const vendor = await scope.prisma.vendor.findFirst({ where: { id: wanted, storeId }, select: { id: true } });
  if (!vendor) throw ValidationError.field("vendorId", "not_found", "No vendor with this id in this store.");
  return vendor.id;
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
    await recordChange(tx, {
      ...changedBy(scope),
      event: "apiKeys.revoke",
      entityType: "api_key",
      entityId: id,
      after: { revokedAt: key.revokedAt },
    });
    return key;
  });
}
