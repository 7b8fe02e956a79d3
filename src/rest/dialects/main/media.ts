import { ValidationError } from "../../../domain/errors.js";
import { MEDIA_ROLES } from "../../../domain/media/media.js";
import { mutationOperation } from "../../route.js";
import { route } from "./route.js";

const tag = "Media";

export const mediaFragments: Record<string, string> = {
  MediaAssetFields: /* GraphQL */ `
    fragment MediaAssetFields on MediaAsset { id url contentType byteSize fileName alt sha256 createdAt }`,
};

/** `?signed=true|false` (absent: false). */
function signedFlag(value: string | undefined): boolean {
  if (value === undefined || value === "false") return false;
  if (value === "true") return true;
  throw ValidationError.field("signed", "invalid_value", 'signed must be "true" or "false".');
}

export const mediaRoutes = [
  route({
    method: "POST",
    path: "/media/upload",
    summary: "Upload a file (multipart/form-data)",
    tag,
    permission: "catalog:create",
    description:
      "Fields `file` (required) and `alt`. The type is sniffed from the bytes and must be one of image/jpeg, image/png, " +
      "image/webp, image/gif, image/avif, application/pdf, video/mp4, application/zip (SVG is refused): else 422 " +
      "`VALIDATION_FAILED` on `file`. Files over MEDIA_MAX_BYTES (10 MB by default) get 413 `PAYLOAD_TOO_LARGE`. The " +
      "client's file name is kept (sanitised) for Content-Disposition only; the bytes are stored under a generated key.",
    multipart: true,
    operation: mutationOperation({
      field: "uploadMedia",
      inputType: "UploadMediaInput",
      dataField: "asset",
      selection: "...MediaAssetFields",
    }),
    body: { variable: "input" },
    result: ["uploadMedia", "asset"],
    status: 201,
  }),
  route({
    method: "GET",
    path: "/media/:id",
    summary: "Get media URL (redirects 302)",
    tag,
    description:
      "302 to the asset's content URL (`/api/media/{id}/content`). Assets attached in a public role to an active entity " +
      "are public; others need a key with `catalog:read` (else 404). With `signed=true` (needs `catalog:read`): 302 to " +
      "a signed content URL carrying `expires` and an HMAC `signature`, valid for MEDIA_SIGNED_URL_TTL_SECONDS " +
      "(15 minutes by default) and usable without a key.",
    query: {
      signed: {
        type: "string",
        enum: ["true", "false"],
        description: "Redirect to a signed URL with an expiry instead of the public URL.",
      },
    },
    operation: `query ($id: ID!, $signed: Boolean!) {
      mediaAsset(id: $id) { id url signedUrl @include(if: $signed) { url expiresAt } }
    }`,
    variables: ({ params, query }) => ({ id: params.id, signed: signedFlag(query.signed) }),
    result: ["mediaAsset"],
    notFound: "Media asset",
    status: 302,
    reply: (asset) =>
      new Response(null, {
        status: 302,
        headers: { Location: asset.signedUrl?.url ?? asset.url, "Cache-Control": "no-store" },
      }),
  }),
  route({
    method: "DELETE",
    path: "/media/:id",
    summary: "Delete a media asset",
    tag,
    permission: "catalog:delete",
    description: "Removes the asset, its attachments to entities and its bytes.",
    operation: mutationOperation({ field: "deleteMedia", inputType: "IdInput", dataField: "deleted", selection: "id" }),
    variables: ({ params }) => ({ input: { id: params.id } }),
    result: ["deleteMedia", "deleted"],
  }),
  route({
    method: "POST",
    path: "/media/attach",
    summary: "Attach a media asset to an entity",
    tag,
    permission: "catalog:update",
    description:
      `role: ${MEDIA_ROLES.join(", ")} (else 422). An entity has one thumbnail: a new one replaces it. Attaching again ` +
      "is harmless; `position` (default: last) orders the entity's media. 404 when the entity or the asset is not in " +
      "the caller's store. Only thumbnail, gallery, hero and swatch media of active entities are public; download " +
      "media go out through signed URLs.",
    operation: mutationOperation({
      field: "attachMedia",
      inputType: "AttachMediaInput",
      dataField: "attachment",
      selection: "entityId role position asset { ...MediaAssetFields }",
    }),
    body: { variable: "input", example: { entityId: "uuid", mediaAssetId: "uuid", role: "thumbnail" } },
    result: ["attachMedia", "attachment"],
  }),
];
