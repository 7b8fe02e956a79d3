import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { RateLimiterRes } from "rate-limiter-flexible";
import { type Actor, ANONYMOUS, storeOf } from "../domain/auth/actor.js";
import { type LimiterFactory, memoryLimiters } from "../infra/limiters.js";
import {
  type Credentials,
  clientAddressOf,
  type HttpVariables,
  originKind,
  presentedKey,
  SESSION_COOKIE,
  setAnswerHeader,
  transportError,
} from "./middleware.js";

export interface CallerOptions {
  credentials: Credentials;
  defaultStoreId: string;
  /** Requests per caller per minute (fixed window). */
  perMinute: number;
  counters?: LimiterFactory;
  /** Origins besides our own whose pages may use the visitor's session cookie. */
  trustedOrigins: readonly string[];
  /**
   * Paths where a bearer token that does not verify means "nobody signed in" instead of a 401: Better
   * Auth's routes (`/api/auth/*`) answer a revoked token with `null` from get-session and their own 401.
   */
  lenientPaths?: (path: string) => boolean;
}

/**
 * The rate-limit bucket of a request: its verified caller (an API key, a customer across all their
 * sessions), or else its client address. Nothing a client merely presents picks the bucket, so a forged
 * credential cannot spend anyone else's requests. A publishable key is public (it is in a storefront's
 * pages), so it is counted like an anonymous visitor: per address, never as one bucket for every shopper.
 */
export function rateLimitBucket(actor: Actor, clientAddress: string | undefined): string {
  switch (actor.kind) {
    case "apiKey":
      return `key:${actor.id}`;
    case "customer":
      return `customer:${actor.id}`;
    case "publishableKey":
      // Every visitor of a storefront holds its publishable key: each address counts on its own.
      return `publishable:${actor.id}:${clientAddress ?? "local"}`;
    case "anonymous":
      return `address:${clientAddress ?? "local"}`;
  }
}

/**
 * Resolves the caller and counts the request against its bucket, with X-RateLimit-* headers on every
 * response and 429 + Retry-After past the limit.
 *
 * The caller is anonymous, the holder of a valid API key, or a signed-in customer (a session token as
 * `Authorization: Bearer`, or the session cookie). A presented key or bearer token that does not verify
 * is counted against the client's address, then answered 401 (429 once the address is over its limit).
 * A stale cookie just means nobody is signed in, and so does a cookie on a request from another site's
 * page (an Origin that is neither ours nor trusted): such a request never acts as the visitor.
 */
export function identifyCaller(options: CallerOptions): MiddlewareHandler<{ Variables: HttpVariables }> {
  const { credentials, defaultStoreId, perMinute, trustedOrigins } = options;
  const limiter = (options.counters ?? memoryLimiters)({ keyPrefix: "requests", points: perMinute, duration: 60 });
  return async (c, next) => {
    const clientAddress = clientAddressOf(c);
    c.set("clientAddress", clientAddress);

    let actor: Actor = ANONYMOUS;
    let rejected = false;
    const presented = presentedKey(c.req.raw.headers);
    if (presented) {
      const found = await credentials.authenticate(presented);
      if (found) actor = found;
      else rejected = !options.lenientPaths?.(c.req.path);
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie && originKind(c, trustedOrigins) !== "foreign") {
        actor = (await credentials.sessions.authenticate(cookie, "cookie")) ?? ANONYMOUS;
      }
    }

    let state: RateLimiterRes;
    let limited = false;
    try {
      state = await limiter.consume(rateLimitBucket(actor, clientAddress));
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
    if (rejected) return transportError(c, "UNAUTHORIZED", "Invalid, expired or revoked credentials.", headers);

    c.set("actor", actor);
    c.set("storeId", storeOf(actor) ?? defaultStoreId);
    await next();
    for (const [name, value] of Object.entries(headers)) setAnswerHeader(c, name, value);
  };
}
