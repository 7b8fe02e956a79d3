import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Prisma } from "../../infra/db.js";
import type { Actor } from "../auth/actor.js";

export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
const ISSUER = "cartograph";

/** How long a verified session is trusted without asking the database again (other instances' sign-outs). */
const CACHE_TTL_MS = 5_000;

type CustomerActor = Extract<Actor, { kind: "customer" }>;

/**
 * Customer sessions: a row per sign-in, and a JWT (HS256) naming it, handed to the client as a cookie
 * for browsers and as a bearer token for apps. The JWT lets clients read the expiry (seed 004) and lets
 * us reject forged tokens without a query; the row makes sign-out immediate.
 */
export class SessionTokens {
  private readonly cache = new Map<string, { actor: CustomerActor | null; expires: number }>();

  constructor(
    private readonly prisma: Prisma,
    private readonly key: Uint8Array,
  ) {}

  /** Starts a session; returns its row and the token the client presents from now on. */
  async issue(
    db: Pick<Prisma, "customerSession">,
    customer: { id: string; storeId: string },
    client: { userAgent?: string | null; ipAddress?: string | null } = {},
  ) {
    const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
    const session = await db.customerSession.create({
      data: {
        storeId: customer.storeId,
        customerId: customer.id,
        expiresAt,
        userAgent: client.userAgent?.slice(0, 500) ?? null,
        ipAddress: client.ipAddress ?? null,
      },
    });
    const token = await new SignJWT({ sid: session.id, store: customer.storeId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(ISSUER)
      .setSubject(customer.id)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { session, token };
  }

  /** The customer a token stands for, or null when it is forged, expired or signed out. */
  async authenticate(token: string): Promise<CustomerActor | null> {
    let claims: { sid?: unknown; sub?: unknown; store?: unknown };
    try {
      ({ payload: claims } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ["HS256"] }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
    if (typeof claims.sid !== "string" || typeof claims.sub !== "string") return null;
    const cached = this.cache.get(claims.sid);
    if (cached && cached.expires > Date.now()) return cached.actor;
    const session = await this.prisma.customerSession.findUnique({ where: { id: claims.sid } });
    const actor: CustomerActor | null =
      session && !session.revokedAt && session.expiresAt > new Date() && session.customerId === claims.sub
        ? { kind: "customer", id: session.customerId, sessionId: session.id, storeId: session.storeId }
        : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(claims.sid, { actor, expires: Date.now() + CACHE_TTL_MS });
    return actor;
  }

  /** Ends a session, in the caller's transaction; `forget` it once that has committed. */
  async revoke(db: Pick<Prisma, "customerSession">, sessionId: string): Promise<void> {
    await db.customerSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** Drops a session's cached verification: this instance refuses it at once, others within the cache TTL. */
  forget(sessionId: string): void {
    this.cache.delete(sessionId);
  }
}

/** Whether a bearer credential is a session token (a JWT) rather than an API key. */
export function looksLikeJwt(credential: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(credential);
}
