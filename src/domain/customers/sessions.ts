import { createHash, randomBytes } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Db } from "../../infra/db.js";
import type { Actor } from "../auth/actor.js";

/** A session that is remembered (Better Auth's default) lasts 7 days; `rememberMe: false`, one day. */
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
export const SHORT_SESSION_TTL_SECONDS = 24 * 60 * 60;
/** Access tokens for apps (bearer) are short-lived; apps renew them with a refresh token (seed 004). */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = "cartograph";
/** The audience of a cookie token: only accepted from the HttpOnly cookie, never as a bearer token. */
const COOKIE_AUDIENCE = "cookie";

/** How long a verified session is trusted without asking the database again (other instances' sign-outs). */
const CACHE_TTL_MS = 5_000;

type CustomerActor = Extract<Actor, { kind: "customer" }>;
type SessionDb = Pick<Db, "customerSession" | "customerRefreshToken">;

/** What a client gets when a session starts or is refreshed. */
export interface IssuedTokens {
  /** Short-lived access JWT (bearer, `set-auth-token`). */
  token: string;
  tokenExpiresAt: Date;
  /** Session-long JWT for the HttpOnly cookie (browsers cannot run a refresh flow on an HttpOnly value). */
  cookieToken: string;
  /** Opaque, single-use; `POST /api/auth/refresh` trades it for new tokens. */
  refreshToken: string;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Customer sessions: a row per sign-in (the refresh-token family), short-lived access JWTs naming it for
 * apps, a session-long JWT in the HttpOnly cookie for browsers, and rotating refresh tokens. The JWT lets
 * clients read the expiry (seed 004) and lets us reject forged tokens without a query; the row makes
 * sign-out immediate.
 */
export class SessionTokens {
  private readonly cache = new Map<string, { actor: CustomerActor | null; expires: number }>();

  constructor(
    private readonly prisma: Db,
    private readonly key: Uint8Array,
  ) {}

  /** Starts a session; returns its row and the tokens the client presents from now on. */
  async issue(
    db: SessionDb,
    customer: { id: string; storeId: string },
    client: { userAgent?: string | null; ipAddress?: string | null } = {},
    options: { rememberMe?: boolean | null } = {},
  ) {
    const persistent = options.rememberMe !== false;
    const expiresAt = new Date(Date.now() + (persistent ? SESSION_TTL_SECONDS : SHORT_SESSION_TTL_SECONDS) * 1000);
    const session = await db.customerSession.create({
      data: {
        storeId: customer.storeId,
        customerId: customer.id,
        expiresAt,
        persistent,
        userAgent: client.userAgent?.slice(0, 500) ?? null,
        ipAddress: client.ipAddress ?? null,
      },
    });
    return { session, ...(await this.tokensFor(db, session)) };
  }

  /** New tokens for a live session: an access token, the cookie token and a fresh refresh token. */
  async tokensFor(
    db: SessionDb,
    session: { id: string; customerId: string; storeId: string; expiresAt: Date },
  ): Promise<IssuedTokens> {
    // Whole seconds, as the JWT's exp says it.
    const tokenExpiresAt = new Date(
      Math.floor(Math.min(Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000, session.expiresAt.getTime()) / 1000) * 1000,
    );
    const token = await this.sign(session, tokenExpiresAt);
    const cookieToken = await this.sign(session, session.expiresAt, COOKIE_AUDIENCE);
    const refreshToken = randomBytes(32).toString("base64url");
    await db.customerRefreshToken.create({
      data: { sessionId: session.id, tokenHash: hashToken(refreshToken), expiresAt: session.expiresAt },
    });
    return { token, tokenExpiresAt, cookieToken, refreshToken };
  }

  private sign(
    session: { id: string; customerId: string; storeId: string },
    expiresAt: Date,
    audience?: string,
  ): Promise<string> {
    const jwt = new SignJWT({ sid: session.id, store: session.storeId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(ISSUER)
      .setSubject(session.customerId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000));
    if (audience) jwt.setAudience(audience);
    return jwt.sign(this.key);
  }

  /**
   * The customer a token stands for, or null when it is forged, expired or signed out. A cookie token is
   * only good from the cookie (`via: "cookie"`), and an access token only as a bearer credential.
   */
  async authenticate(token: string, via: "bearer" | "cookie" = "bearer"): Promise<CustomerActor | null> {
    let claims: { sid?: unknown; sub?: unknown; store?: unknown; aud?: unknown };
    try {
      ({ payload: claims } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ["HS256"] }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
    if ((claims.aud === COOKIE_AUDIENCE) !== (via === "cookie")) return null;
    if (typeof claims.sid !== "string" || typeof claims.sub !== "string") return null;
    const cached = this.cache.get(claims.sid);
    if (cached && cached.expires > Date.now()) return cached.actor;
    // With the customer's vendor: vendor staff act as their vendor too (marketplace, auth/actor.ts vendorOf).
    const session = await this.prisma.customerSession.findUnique({
      where: { id: claims.sid },
      include: { customer: { select: { vendorId: true } } },
    });
    const actor: CustomerActor | null =
      session && !session.revokedAt && session.expiresAt > new Date() && session.customerId === claims.sub
        ? {
            kind: "customer",
            id: session.customerId,
            sessionId: session.id,
            storeId: session.storeId,
            vendorId: session.customer.vendorId,
          }
        : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(claims.sid, { actor, expires: Date.now() + CACHE_TTL_MS });
    return actor;
  }

  /** Ends a session, in the caller's transaction; `forget` it once that has committed. */
  async revoke(db: Pick<Db, "customerSession">, sessionId: string): Promise<void> {
    await db.customerSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** Ends several sessions of a customer (all, or all but one); returns the ids it ended. */
  async revokeAll(db: Pick<Db, "customerSession">, customerId: string, except?: string): Promise<string[]> {
    const where = { customerId, revokedAt: null, ...(except ? { id: { not: except } } : {}) };
    const live = await db.customerSession.findMany({ where, select: { id: true } });
    await db.customerSession.updateMany({
      where: { id: { in: live.map((s) => s.id) } },
      data: { revokedAt: new Date() },
    });
    return live.map((s) => s.id);
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
