import type { Hono } from "hono";
import { isInlineContentType } from "../domain/media/content-types.js";
import { authorizeMediaContent, type ContentGrant } from "../domain/media/media.js";
import type { MediaOptions } from "../domain/media/storage.js";
import { errorBody } from "../http/errors.js";
import type { HttpVariables } from "../http/middleware.js";
import type { Db } from "../infra/db.js";
import type { AppSecrets } from "../infra/secrets.js";
import { toFailure } from "./executor.js";

/** The route that serves an asset's bytes (the URL `MediaAsset.url` and signed links point at). */
export const MEDIA_CONTENT_ROUTE = "/api/media/:id/content";

/** `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>` (RFC 6266), inline for images and video. */
function contentDisposition(fileName: string | null, contentType: string): string {
  const disposition = isInlineContentType(contentType) ? "inline" : "attachment";
  if (!fileName) return disposition;
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Public bytes may sit in shared caches for an hour; signed ones privately until the link expires; a merchant's not at all. */
function cacheControl(grant: ContentGrant, now: Date): string {
  if (grant.via === "public") return "public, max-age=3600";
  if (grant.via === "signed" && grant.expiresAt) {
    return `private, max-age=${Math.max(0, Math.min(3600, Math.floor((grant.expiresAt.getTime() - now.getTime()) / 1000)))}`;
  }
  return "private, no-cache";
}

/**
 * Serves the bytes: the one REST path that does not run a GraphQL operation, because its answer is a
 * file, not an API payload. Who may read what is decided in the domain (`authorizeMediaContent`);
 * here the bytes are streamed from storage with their stored (sniffed) type, `nosniff`, a sandboxing
 * CSP, a Content-Disposition built from the sanitised file name, cache headers and an ETag.
 */
export function mountMediaContent(
  app: Hono<{ Variables: HttpVariables }>,
  deps: { prisma: Db; media: MediaOptions; secrets: AppSecrets; onUnexpected: (error: unknown) => void },
): void {
  app.get(MEDIA_CONTENT_ROUTE, async (c) => {
    try {
      const now = new Date();
      const grant = await authorizeMediaContent(
        deps.prisma,
        deps.secrets.key("signed-url"),
        {
          id: c.req.param("id"),
          storeId: c.get("storeId"),
          actor: c.get("actor"),
          expires: c.req.query("expires"),
          signature: c.req.query("signature"),
        },
        now,
      );
      const { asset } = grant;
      const headers = new Headers({
        "Content-Type": asset.contentType,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Content-Disposition": contentDisposition(asset.fileName, asset.contentType),
        "Cache-Control": cacheControl(grant, now),
        ETag: `"${asset.sha256 ?? asset.id}"`,
      });
      if (
        c.req
          .header("if-none-match")
          ?.split(",")
          .some((tag) => tag.trim().replace(/^W\//, "") === headers.get("ETag"))
      ) {
        return new Response(null, { status: 304, headers });
      }
      const body = await deps.media.storage.get(asset.storageKey);
      if (!body) throw new Error(`Media asset ${asset.id}: no bytes under its storage key.`);
      headers.set("Content-Length", String(asset.byteSize));
      return new Response(body, { status: 200, headers });
    } catch (error) {
      const failure = toFailure(error);
      if (failure.status >= 500) deps.onUnexpected(error);
      return c.json(errorBody(failure.error), failure.status as 400);
    }
  });
}

/** The content route in the OpenAPI document (it is not in a route table). */
export const MEDIA_CONTENT_PATHS = {
  "/api/media/{id}/content": {
    get: {
      operationId: "main_get_media_id_content",
      summary: "The bytes of a media asset",
      tags: ["Media"],
      description:
        "Streams the file with its sniffed Content-Type, `X-Content-Type-Options: nosniff`, a Content-Disposition " +
        "(inline for images and video, attachment otherwise) and an ETag (304 on If-None-Match).\n\n" +
        "Without `expires`/`signature`: assets attached in a public role (thumbnail, gallery, hero, swatch) to an " +
        "active entity are public (`Cache-Control: public`); any other asset needs a key with `catalog:read` of its " +
        "store, else 404. With them (a link from `GET /api/media/{id}?signed=true`): the HMAC must verify over this " +
        "path and the expiry, and the expiry must be in the future, else 403; a valid link needs no key.",
      parameters: [
        { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
        {
          name: "expires",
          in: "query",
          required: false,
          description: "Signed links: expiry, unix seconds.",
          schema: { type: "integer" },
        },
        {
          name: "signature",
          in: "query",
          required: false,
          description: "Signed links: hex HMAC-SHA256 over the path and expiry.",
          schema: { type: "string" },
        },
      ],
      responses: {
        "200": {
          description: "The file",
          content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
        },
        "304": { description: "Not modified (If-None-Match)" },
        "403": { $ref: "#/components/responses/Error" },
        "404": { $ref: "#/components/responses/Error" },
        "429": { $ref: "#/components/responses/Error" },
      },
    },
  },
};
