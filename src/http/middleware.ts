import { randomUUID } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { Actor } from "../domain/auth/actor.js";
import type { ApiKeyAuthenticator } from "../domain/auth/api-keys.js";
import { looksLikeJwt, type SessionTokens } from "../domain/customers/sessions.js";
import type { ErrorCode } from "../domain/errors.js";
import type { ErrorShape } from "../rest/dialect.js";
import { statusForCode, type TransportErrorCode } from "./errors.js";

export interface HttpVariables {
  requestId: string;
  actor: Actor;
  storeId: string;
  /** The client's network address (rate limits of anonymous callers, sign-in throttling, session records). */
  clientAddress: string | undefined;
  /** How errors look under a dialect's base path other than seed 002's (rest/dialect.ts). */
  errorShape?: ErrorShape;
}

export type HttpContext = Context<{ Variables: HttpVariables }>;

/**
 * Transport errors before a request reaches GraphQL or a route: REST callers get seed 002's envelope,
 * GraphQL callers a GraphQL error response.
 */
export function transportError(
  c: Context,
  code: ErrorCode | TransportErrorCode,
  message: string,
  headers: Record<string, string> = {},
) {
  const shape = (c as HttpContext).get("errorShape");
  if (shape) {
    const shaped = shape(code, message);
    return c.json(shaped.body, shaped.status as 400, headers);
  }
  const status = statusForCode(code) as 400;
  const body = c.req.path.startsWith("/graphql")
    ? { errors: [{ message, extensions: { code } }] }
    : { error: { code, message } };
  return c.json(body, status, headers);
}

/**
 * Sets a header on the answer once `next()` has produced it. Hono's `c.header` would rebuild a finished
 * response to be sure its headers can change, which turns the Node adapter's lightweight Response (a
 * string body written as is) into a full undici Response with a web stream: a tenth of a cached answer's
 * CPU. The lightweight Response's headers can change in place, and so can any Response we construct.
 */
export function setAnswerHeader(c: Context, name: string, value: string, options?: { append?: boolean }) {
  if (!c.finalized) return c.header(name, value, options);
  try {
    if (options?.append) c.res.headers.append(name, value);
    else c.res.headers.set(name, value);
  } catch {
    c.header(name, value, options); // immutable headers (a Response.redirect or a fetched one): rebuilt
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Every response carries X-Request-Id: the caller's, when well-formed, or a new UUID. */
export const requestId: MiddlewareHandler = async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
  setAnswerHeader(c, "X-Request-Id", id);
};

/** The client's network address, when the request came over a socket (not in-process). */
export function clientAddressOf(c: Context): string | undefined {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
}

/** The API key a request presents, from `x-api-key` or `Authorization: Bearer`. */
export function presentedKey(headers: { get(name: string): string | null | undefined }): string | undefined {
  const direct = headers.get("x-api-key")?.trim();
  if (direct) return direct;
  const auth = headers.get("authorization")?.trim();
  const bearer = auth && /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
  // Seed 004's apps send the session JWT without the Bearer prefix.
  return bearer || (auth && looksLikeJwt(auth) ? auth : undefined);
}

/** Whether a browser's Origin is this server's own (one of `own`) or a configured trusted origin. */
export function originTrusted(origin: string, own: readonly string[], trustedOrigins: readonly string[]): boolean {
  return own.includes(origin) || trustedOrigins.includes(origin);
}

/** This server's own origins as a browser names them: the host it was reached at, over http or https. */
export function ownOrigins(c: Context): string[] {
  const host = c.req.header("host") ?? new URL(c.req.url).host;
  return [`http://${host}`, `https://${host}`];
}

/**
 * Where a request comes from, as far as its Origin header tells: not a browser page of another site
 * (`none`: no Origin), our own or a trusted origin, or a foreign one.
 */
export function originKind(c: Context, trustedOrigins: readonly string[]): "none" | "trusted" | "foreign" {
  const origin = c.req.header("origin");
  if (!origin) return "none";
  return originTrusted(origin, ownOrigins(c), trustedOrigins) ? "trusted" : "foreign";
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * CSRF defence of seed 002: a browser mutation (one that carries an Origin and no API key) must come
 * from this server's own origin or a configured trusted origin.
 */
export function originCheck(
  trustedOrigins: readonly string[],
  /** Paths that never act on a cookie (seed 003's public API takes keys only), so no request there is forged. */
  exempt: (path: string) => boolean = () => false,
): MiddlewareHandler {
  return async (c, next) => {
    if (
      MUTATING.has(c.req.method) &&
      !presentedKey(c.req.raw.headers) &&
      originKind(c, trustedOrigins) === "foreign" &&
      !exempt(c.req.path)
    ) {
      return transportError(c, "FORBIDDEN", `Cross-origin request from ${c.req.header("origin")} refused.`);
    }
    await next();
  };
}

/** The session cookie browsers carry (Better Auth's name, which seed 002's browser clients know). */
export const SESSION_COOKIE = "better-auth.session_token";

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
