import { GraphQLError } from "graphql";
import { vendorOf } from "../../domain/auth/actor.js";
import {
  attachMedia,
  deleteMedia,
  detachMedia,
  MEDIA_ROLES,
  mediaContentPath,
  seesAllMedia,
  signedContentUrl,
  uploadMedia,
  visibleAssetWhere,
  visibleAttachmentWhere,
} from "../../domain/media/media.js";
import { isUuid } from "../../domain/validation.js";
import { builder } from "../builder.js";
import { CatalogEntity, DeletedRef } from "./catalog.js";
import { mutationResult } from "./errors.js";
import { IdInput, NodeInterface, registerNode } from "./node.js";

builder.scalarType("File", {
  description: "A file sent with the GraphQL multipart request specification (input only).",
  serialize: () => {
    throw new Error("File is an input-only scalar.");
  },
  parseValue: (value) => {
    if (value instanceof Blob) return value as File;
    // A GraphQLError: a bad variable is the client's mistake (422 in REST), not an error to mask.
    throw new GraphQLError("Expected a file (GraphQL multipart request).");
  },
});

const MediaRoleEnum = builder.enumType("MediaRole", {
  description:
    "thumbnail (one per entity), gallery, hero, swatch: shown on active entities; download: signed links only.",
  values: MEDIA_ROLES,
});

const SignedUrl = builder.objectRef<{ url: string; expiresAt: Date }>("SignedUrl").implement({
  description: "A time-limited link to a file; the server verifies its HMAC signature and expiry.",
  fields: (t) => ({
    url: t.exposeString("url", { description: "Path with `expires` (unix seconds) and `signature`." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime" }),
  }),
});

const MAX_SIGNED = "at most 7 days";

export const MediaAsset = builder.prismaObject("MediaAsset", {
  description: "An uploaded file: its type is sniffed from the bytes, never taken from the client.",
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID("id"),
    url: t.string({
      description:
        "Where the bytes are served; public for assets shown on active entities, else with a catalog:read key.",
      resolve: (asset) => mediaContentPath(asset.id),
    }),
    contentType: t.exposeString("contentType"),
    byteSize: t.exposeInt("byteSize"),
    fileName: t.exposeString("fileName", {
      nullable: true,
      description: "The client's file name, sanitised; for downloads only.",
    }),
    sha256: t.exposeString("sha256", { nullable: true, description: "Hex SHA-256 of the bytes (also the ETag)." }),
    alt: t.exposeString("alt", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    signedUrl: t.field({
      type: SignedUrl,
      description: `A signed link to the bytes that works without a key (default lifetime MEDIA_SIGNED_URL_TTL_SECONDS, ${MAX_SIGNED}).`,
      authScopes: { permission: "catalog:read" },
      args: { expiresInSeconds: t.arg.int() },
      resolve: (asset, args, ctx) =>
        signedContentUrl(
          ctx.secrets.key("signed-url"),
          asset.id,
          args.expiresInSeconds ?? ctx.media.signedUrlTtlSeconds,
          new Date(),
        ),
    }),
  }),
});

const MediaAttachment = builder.prismaObject("EntityMedia", {
  name: "MediaAttachment",
  description: "An asset attached to a catalog entity in a role.",
  fields: (t) => ({
    entityId: t.exposeID("entityId"),
    role: t.exposeString("role", { description: "A MediaRole." }),
    position: t.exposeInt("position"),
    asset: t.relation("mediaAsset"),
  }),
});

builder.prismaInterfaceField(CatalogEntity, "media", (t) =>
  t.relation("media", {
    description: "Attached media by position. Without catalog:read, only the public roles (not download).",
    query: (_args, ctx) => ({
      where: visibleAttachmentWhere(seesAllMedia(ctx.actor)),
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    }),
  }),
);

// ---- queries ---------------------------------------------------------------------------------

builder.queryFields((t) => ({
  mediaAsset: t.prismaField({
    type: "MediaAsset",
    nullable: true,
    description:
      "One asset, if the caller may see it (merchants: any of the store; others: those shown on active entities).",
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      isUuid(id)
        ? ctx.prisma.mediaAsset.findFirst({
            ...query,
            where: { id, ...visibleAssetWhere(ctx.storeId, seesAllMedia(ctx.actor)) },
          })
        : null,
  }),
  signedMediaUrl: t.field({
    type: SignedUrl,
    nullable: true,
    description: `A signed link to an asset's bytes (${MAX_SIGNED}); null when the store has no such asset.`,
    authScopes: { permission: "catalog:read" },
    args: { id: t.arg.id({ required: true }), expiresInSeconds: t.arg.int() },
    resolve: async (_root, args, ctx) => {
      const asset = isUuid(args.id)
        ? await ctx.prisma.mediaAsset.findFirst({
            // A vendor signs links to its own uploads (and documents) only.
            where: {
              id: args.id,
              storeId: ctx.storeId,
              ...(vendorOf(ctx.actor) ? { vendorId: vendorOf(ctx.actor) } : {}),
            },
            select: { id: true },
          })
        : null;
      if (!asset) return null;
      return signedContentUrl(
        ctx.secrets.key("signed-url"),
        asset.id,
        args.expiresInSeconds ?? ctx.media.signedUrlTtlSeconds,
        new Date(),
      );
    },
  }),
}));

// ---- mutations -------------------------------------------------------------------------------

const UploadMediaInput = builder.inputType("UploadMediaInput", {
  fields: (t) => ({
    file: t.field({
      type: "File",
      required: true,
      description: "The file (at most MEDIA_MAX_BYTES; type sniffed from the bytes).",
    }),
    alt: t.string({ description: "Alternative text." }),
  }),
});

const AttachMediaInput = builder.inputType("AttachMediaInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    mediaAssetId: t.id({ required: true }),
    role: t.field({
      type: MediaRoleEnum,
      required: true,
      description: "A new thumbnail replaces the entity's previous one.",
    }),
    position: t.int({ description: "Order among the entity's media (default: last)." }),
  }),
});

const DetachMediaInput = builder.inputType("DetachMediaInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    mediaAssetId: t.id({ required: true }),
    role: t.field({ type: MediaRoleEnum, description: "Only this role (default: every role)." }),
  }),
});

builder.mutationFields((t) => ({
  uploadMedia: t.field({
    type: MediaAsset,
    description:
      "Uploads a file: JPEG, PNG, WebP, GIF, AVIF, PDF, MP4 or ZIP (sniffed from the bytes; SVG is refused).",
    authScopes: { permission: "catalog:create" },
    args: { input: t.arg({ type: UploadMediaInput, required: true }) },
    errors: mutationResult("UploadMedia", "asset"),
    resolve: (_root, { input }, ctx) => uploadMedia(ctx.scope, ctx.media, { file: input.file, alt: input.alt }),
  }),
  attachMedia: t.field({
    type: MediaAttachment,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: AttachMediaInput, required: true }) },
    errors: mutationResult("AttachMedia", "attachment"),
    resolve: (_root, { input }, ctx) => attachMedia(ctx.scope, input),
  }),
  detachMedia: t.field({
    type: CatalogEntity,
    description: "Removes an asset from an entity; the asset stays.",
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: DetachMediaInput, required: true }) },
    errors: mutationResult("DetachMedia", "entity"),
    resolve: (_root, { input }, ctx) => detachMedia(ctx.scope, input),
  }),
  deleteMedia: t.field({
    type: DeletedRef,
    description: "Deletes an asset, its attachments and its bytes.",
    authScopes: { permission: "catalog:delete" },
    args: { input: t.arg({ type: IdInput, required: true }) },
    errors: mutationResult("DeleteMedia", "deleted"),
    resolve: (_root, { input }, ctx) => deleteMedia(ctx.scope, ctx.media, input.id),
  }),
}));

registerNode("MediaAsset", "media_asset", (ctx, id) =>
  ctx.prisma.mediaAsset.findFirst({ where: { id, ...visibleAssetWhere(ctx.storeId, seesAllMedia(ctx.actor)) } }),
);
