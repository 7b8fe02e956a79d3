import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Prisma } from "../../infra/db.js";
import { ValidationError } from "../errors.js";
import { parseInput } from "../validation.js";
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
export async function createApiKey(
  prisma: Prisma,
  storeId: string,
  creator: Actor,
  input: unknown,
): Promise<{ key: Awaited<ReturnType<Prisma["apiKey"]["create"]>>; secret: string }> {
  const data = parseInput(CreateApiKeyInput, input);
  // A key can only hand out permissions its creator holds.
  const held = creator.kind === "apiKey" ? creator.permissions : [];
  const excess = data.permissions.filter((p) => !grants(held, p));
  if (excess.length) {
    throw ValidationError.field("permissions", "not_held", `You cannot grant permissions you do not hold: ${excess.join(", ")}.`);
  }
  const secret = `cg_${randomBytes(32).toString("base64url")}`;
  const key = await prisma.apiKey.create({
    data: { storeId, name: data.name, permissions: data.permissions, prefix: secret.slice(0, 10), hash: hashApiKey(secret) },
  });
  return { key, secret };
}
