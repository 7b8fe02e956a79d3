import { randomUUID } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { RateLimiterRes } from "rate-limiter-flexible";
import { type LimiterFactory, memoryLimiters } from "../infra/limiters.js";
import { getCookie } from "hono/cookie";
import { ANONYMOUS, type Actor, storeOf } from "../domain/auth/actor.js";
import { looksLikeJwt, type SessionTokens } from "../domain/customers/sessions.js";
import type { ApiKeyAuthenticator } from "../domain/auth/api-keys.js";
import type { ErrorCode } from "../domain/errors.js";
import { statusForCode } from "../rest/http-errors.js";

export interface HttpVariables {
  requestId: string;
  actor: Actor;
  storeId: string;
  /** Identifies the caller for rate limiting: the key's prefix or the client address. */
  clientKey: string;
  /** The client's network address (sign-in throttling, session records). */
  clientAddress: string | undefined;
}

export type HttpContext = Context<{ Variables: HttpVariables }>;

/**
 * Transport errors before a request reaches GraphQL or a route: REST callers get seed 002's envelope,
 * GraphQL callers a GraphQL error response.
 */
export function transportError(c: Context, code: ErrorCode, message: string, headers: Record<string, string> = {}) {
  const status = statusForCode(code) as 400;
  const body = c.req.path.startsWith("/graphql")
    ? { errors: [{ message, extensions: { code } }] }
    : { error: { code, message } };
  return c.json(body, status, headers);
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Every response carries X-Request-Id: the caller's, when well-formed, or a new UUID. */
export const requestId: MiddlewareHandler = async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
  c.header("X-Request-Id", id);
};

/** The API key a request presents, from `x-api-key` or `Authorization: Bearer`. */
export function presentedKey(headers: { get(name: string): string | null | undefined }): string | undefined {
  const direct = headers.get("x-api-key")?.trim();
  if (direct) return direct;
  const auth = headers.get("authorization")?.trim();
  const bearer = auth && /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
  // Seed 004's apps send the session JWT without the Bearer prefix.
  return bearer || (auth && looksLikeJwt(auth) ? auth : undefined);
}

/**
 * Fixed-window rate limit per caller, with X-RateLimit-* headers on every response and 429 +
 * Retry-After past the limit.
 */
export function rateLimit(perMinute: number, counters: LimiterFactory = memoryLimiters): MiddlewareHandler {
  const limiter = counters({ keyPrefix: "requests", points: perMinute, duration: 60 });
  return async (c, next) => {
    const key = presentedKey(c.req.raw.headers);
    const address = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
    const clientKey = key ? `key:${key.slice(0, 24)}` : `ip:${address ?? "local"}`;
    c.set("clientKey", clientKey);
    c.set("clientAddress", address);
    let state: RateLimiterRes;
    let limited = false;
    try {
      state = await limiter.consume(clientKey);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      state = rejection;
      limited = true;
    }
    const headers = {
      "X-RateLimit-Limit": String(perMinute),
      "X-RateLimit-Remaining": String(Math.max(0, state.remainingPoints)),
      "X-RateLimit-Reset": String(Math.ceil((Date.now() + state.msBeforeNext) / 1000)),
    };
    if (limited) {
      return transportError(c, "TOO_MANY_REQUESTS", "Rate limit exceeded; retry after the window resets.", {
        ...headers,
        "Retry-After": String(Math.max(1, Math.ceil(state.msBeforeNext / 1000))),
      });
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether a browser's Origin is this server's own (one of `own`) or a configured trusted origin. */
export function originTrusted(origin: string, own: readonly string[], trustedOrigins: readonly string[]): boolean {
  return own.includes(origin) || trustedOrigins.includes(origin);
}

/**
 * CSRF defence of seed 002: a browser mutation (one that carries an Origin and no API key) must come
 * from this server's own origin or a configured trusted origin.
 */
export function originCheck(trustedOrigins: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (MUTATING.has(c.req.method) && origin && !presentedKey(c.req.raw.headers)) {
      if (!originTrusted(origin, [new URL(c.req.url).origin], trustedOrigins)) {
        return transportError(c, "FORBIDDEN", `Cross-origin request from ${origin} refused.`);
      }
    }
    await next();
  };
}

/** The session cookie browsers carry (Better Auth's name, which seed 002's browser clients know). */
export const SESSION_COOKIE = "better-auth.session_token";

/**
 * Resolves the caller: anonymous, the holder of a valid API key, or a signed-in customer (a session
 * token as `Authorization: Bearer`, or the session cookie). A presented key or bearer token that is
 * invalid is a 401; a stale cookie just means nobody is signed in.
 */
export function authenticate(credentials: Credentials, defaultStoreId: string): MiddlewareHandler {
  return async (c, next) => {
    const presented = presentedKey(c.req.raw.headers);
    let actor: Actor = ANONYMOUS;
    if (presented) {
      const found = await credentials.authenticate(presented);
      if (!found) return transportError(c, "UNAUTHORIZED", "Invalid, expired or revoked credentials.");
      actor = found;
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie) actor = (await credentials.sessions.authenticate(cookie)) ?? ANONYMOUS;
    }
    c.set("actor", actor);
    c.set("storeId", storeOf(actor) ?? defaultStoreId);
    await next();
  };
}

/** API keys and customer session tokens: the two credentials a caller can present. */
export class Credentials {
  constructor(
    readonly apiKeys: ApiKeyAuthenticator,
    readonly sessions: SessionTokens,
  ) {}

  /** A bearer credential is a session token when it is a JWT, else an API key. */
  authenticate(credential: string): Promise<Actor | null> {
    return looksLikeJwt(credential) ? this.sessions.authenticate(credential) : this.apiKeys.authenticate(credential);
  }
}
