import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Context, Hono } from "hono";
import { type HttpVariables, transportError } from "../middleware.js";

/**
 * The live orders dashboard at /dashboard: a static page with plain ES modules (no build step), talking
 * to /graphql over fetch and graphql-ws like any other client. graphql-ws's browser client is served from
 * node_modules, so the page works offline and nothing comes from another origin.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
// From source the assets sit beside this file; `npm start` runs a bundle in dist/, one level below the root.
const ASSETS_DIR = [path.join(here, "assets"), path.join(here, "..", "src", "http", "dashboard", "assets")].find(
  (dir) => existsSync(path.join(dir, "index.html")),
);
const GRAPHQL_WS_DIR = path.dirname(createRequire(import.meta.url).resolve("graphql-ws/package.json"));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * Self only: scripts and styles from this origin (no inline code), fetch and WebSockets to this origin,
 * never framed. Chromium and Firefox let 'self' match ws:/wss: of the same host.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "Content-Security-Policy": DASHBOARD_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

/** A file name the page may ask for: one segment, no dot-dot, a known extension. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.(?:html|js|css|svg)$/;

export function mountDashboard(app: Hono<{ Variables: HttpVariables }>, mountPath = "/dashboard"): void {
  const cache = new Map<string, Buffer>();
  const serve = async (dir: string | undefined, name: string, maxAge: number) => {
    if (!dir || !ASSET_NAME.test(name) || name.endsWith(".d.ts")) return undefined;
    const file = path.join(dir, name);
    let body = cache.get(file);
    if (!body) {
      if (!existsSync(file)) return undefined;
      cache.set(file, (body = await readFile(file)));
    }
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": TYPES[path.extname(name)] ?? "application/octet-stream",
        "Cache-Control": maxAge ? `public, max-age=${maxAge}` : "no-cache",
        ...SECURITY_HEADERS,
      },
    });
  };
  // An unknown file is 404 here: the app's own fallback would call it 405, since the pattern takes GET.
  const missing = (c: Context) => transportError(c, "NOT_FOUND", `No dashboard file ${c.req.path}.`);
  app.get(mountPath, async (c) => (await serve(ASSETS_DIR, "index.html", 0)) ?? missing(c));
  app.get(`${mountPath}/`, (c) => c.redirect(mountPath, 301));
  // graphql-ws's ES module build (client.js and the chunk it imports by a relative path).
  app.get(
    `${mountPath}/vendor/graphql-ws/:file`,
    async (c) => (await serve(path.join(GRAPHQL_WS_DIR, "dist"), c.req.param("file"), 86_400)) ?? missing(c),
  );
  app.get(`${mountPath}/:file`, async (c) => (await serve(ASSETS_DIR, c.req.param("file"), 0)) ?? missing(c));
}
