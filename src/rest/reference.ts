import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Hono } from "hono";

const assetsDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
};

/** One document, or several shown with a selector (the first is opened). */
export type ReferenceSpecs = string | readonly { url: string; name: string }[];

const specOptions = (specs: ReferenceSpecs) =>
  typeof specs === "string"
    ? `url: ${JSON.stringify(specs)},`
    : `urls: ${JSON.stringify(specs)},\n      "urls.primaryName": ${JSON.stringify(specs[0]!.name)},`;

const page = (specs: ReferenceSpecs) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Cartograph API reference</title>
  <link rel="stylesheet" href="reference/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="reference/swagger-ui-bundle.js"></script>
  <script src="reference/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      ${specOptions(specs)}
      dom_id: "#swagger-ui",
      deepLinking: true,
      // Collapsed tags: a document of 150 operations renders at once instead of laying every operation out.
      docExpansion: "none",
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout",
    });
  </script>
</body>
</html>`;

/** Swagger UI for the OpenAPI documents, served from the swagger-ui-dist package (no CDN: works offline). */
export function mountReference(app: Hono<never>, mountPath: string, specs: ReferenceSpecs): void {
  const cache = new Map<string, Buffer>();
  app.get(mountPath, (c) => c.html(page(specs)));
  app.get(`${mountPath}/:asset`, async (c) => {
    const asset = c.req.param("asset");
    const type = ASSETS[asset];
    if (!type) return c.notFound();
    let body = cache.get(asset);
    if (!body) cache.set(asset, (body = await readFile(path.join(assetsDir, asset))));
    return c.body(new Uint8Array(body), 200, { "Content-Type": type, "Cache-Control": "public, max-age=86400" });
  });
}
