import { createHash } from "node:crypto";
import type { Context } from "hono";
import { etagMatches } from "../graphql/response-cache.js";

/**
 * HTTP caching of a public GET route's answer. The answer of an anonymous or publishable-key caller is
 * the same for every visitor of the store: it gets a (weak) ETag of its body and `Cache-Control: public,
 * no-cache`, so browsers and shared caches keep it but ask again every time, and a matching
 * If-None-Match is answered 304 without a body (the server-side response cache makes that cheap; a change
 * to the data drops it at once, which is why no max-age is given). Anybody else's answer to the same route
 * (a merchant key, a signed-in customer) is `private, no-store`.
 */
export function publicAnswer(c: Context, body: unknown, status: number, shared: boolean): Response {
  if (!shared) {
    c.header("Cache-Control", "private, no-store");
    return c.json(body, status as 200);
  }
  const json = JSON.stringify(body);
  const etag = `W/"${createHash("sha1").update(json).digest("base64url")}"`;
  c.header("ETag", etag);
  c.header("Cache-Control", "public, no-cache");
  // Who is asking (a publishable key names the store) and in which languages; prices follow X-Currency and X-Region.
  c.header("Vary", "Accept-Language, X-Currency, X-Region, Authorization, X-Api-Key, Cookie", { append: true });
  if (status === 200 && etagMatches(c.req.header("if-none-match"), etag)) return c.body(null, 304);
  c.header("Content-Type", "application/json");
  return c.body(json, status as 200);
}
