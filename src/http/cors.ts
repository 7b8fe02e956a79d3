import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { RouteMethods } from "./methods.js";
import type { HttpVariables } from "./middleware.js";
import { originKind, setAnswerHeader } from "./middleware.js";

/** Response headers a trusted page may read. */
const EXPOSED_HEADERS = [
  "X-Request-Id",
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-RateLimit-Reset",
  "Retry-After",
];

/**
 * CORS for our own origin and the configured trusted origins only (credentials included, so their pages
 * can use the visitor's session); any other origin gets no CORS headers at all, so a browser keeps the
 * response from another site's script. This is the only CORS in the app: Yoga's own (which reflects
 * every origin) is off.
 *
 * OPTIONS is answered here for every known path: 204 with `Allow`, plus the preflight headers when the
 * origin is trusted. It reaches no route, so it is neither authenticated nor counted.
 */
export function crossOrigin(
  trustedOrigins: readonly string[],
  methods: RouteMethods,
  /** Paths any page may call (seed 003's public storefront API): `*`, never with credentials. */
  openPath: (path: string) => boolean = () => false,
): MiddlewareHandler<{ Variables: HttpVariables }> {
  const openCors = cors({
    origin: "*",
    allowMethods: (_origin, c) => methods.allowed(c.req.path) ?? [],
    allowHeaders: ["Authorization", "Content-Type", "X-Request-Id"],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  const trustedCors = cors({
    origin: (origin) => origin, // only ever called for a trusted origin
    credentials: true,
    allowMethods: (_origin, c) => methods.allowed(c.req.path) ?? [],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  return async (c, next) => {
    if (openPath(c.req.path)) {
      if (c.req.method === "OPTIONS" && !methods.allowed(c.req.path)) return next();
      return openCors(c, next);
    }
    const trusted = originKind(c, trustedOrigins) === "trusted";
    if (c.req.method === "OPTIONS") {
      const allowed = methods.allowed(c.req.path);
      if (!allowed) return next(); // an unknown path: 404
      c.header("Allow", allowed.join(", "));
      return trusted ? trustedCors(c, next) : c.body(null, 204);
    }
    if (trusted) return trustedCors(c, next);
    await next();
    // Whether CORS headers are present depends on the Origin: shared caches must keep the answers apart.
    setAnswerHeader(c, "Vary", "Origin", { append: true });
  };
}
