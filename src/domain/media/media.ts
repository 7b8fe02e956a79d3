import { createHash } from "node:crypto";
import { z } from "zod";
import type { MediaAsset, Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import { audited, changedBy, recordChange } from "../audit/record.js";
import { type Actor, can, vendorOf } from "../auth/actor.js";
import { requireEntity } from "../catalog/entities.js";
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from "../errors.js";
import { assertNotVendor } from "../marketplace/vendor-scope.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import { ALLOWED_CONTENT_TYPES, isAllowedContentType, safeFileName, sniffContentType } from "./content-types.js";
import { signPath, verifySignedPath } from "./signed-urls.js";
import { type MediaOptions, newStorageKey } from "./storage.js";

/** What an attachment is for. An entity has at most one thumbnail. */
export const MEDIA_ROLES = ["thumbnail", "gallery", "hero", "swatch", "download"] as const;
export type MediaRole = (typeof MEDIA_ROLES)[number];

/**
 * Roles the public may see on active entities. `download` (what a digital product delivers) is not
 * one: its bytes go out through signed links only.
 */
export const PUBLIC_MEDIA_ROLES: readonly MediaRole[] = ["thumbnail", "gallery", "hero", "swatch"];

/** Longest a signed link may be asked to live (7 days). */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 3600;

/** The bytes of an upload (a web File or Blob). */
export interface UploadedFile {
  readonly name?: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * The path our server answers an asset's bytes on. It is what a signed link signs, so a signature for
 * one asset is worthless for another.
 */
export function mediaContentPath(id: string): string {
  return `/api/media/${id}/content`;
}

/** Who sees an asset: merchants (catalog:read) see every asset of their store; everyone else only those attached with a public role to an active entity. */
export function seesAllMedia(actor: Actor): boolean {
  // A vendor is not the merchant: it sees the public assets and its own uploads (vendorAssetWhere).
  return can(actor, "catalog:read") && !vendorOf(actor);
}

export function visibleAssetWhere(storeId: string, seesAll: boolean): Prisma.MediaAssetWhereInput {
  if (seesAll) return { storeId };
  return {
    storeId,
    entities: { some: { role: { in: [...PUBLIC_MEDIA_ROLES] }, entity: { status: "active", storeId } } },
  };
}

/** The public-facing role filter of an entity's attachments (the `media` of a catalog entity). */
export function visibleAttachmentWhere(seesAll: boolean): Prisma.EntityMediaWhereInput {
  return seesAll ? {} : { role: { in: [...PUBLIC_MEDIA_ROLES] } };
}

/** What the audit log keeps of an asset: everything but where the driver put it. */
function described(asset: MediaAsset) {
  const { storageKey: _key, ...rest } = asset;
  return rest;
}

async function requireAsset(
  scope: Pick<Scope, "prisma" | "storeId">,
  id: string,
  db: Pick<Db, "mediaAsset"> = scope.prisma,
) {
  const asset = isUuid(id) ? await db.mediaAsset.findFirst({ where: { id, storeId: scope.storeId } }) : null;
  if (!asset) throw new NotFoundError("Media asset", id);
  return asset;
}

// ---- upload and delete -----------------------------------------------------------------------

const UploadInput = z.object({
  alt: z
    .string()
    .trim()
    .max(1000)
    .nullish()
    .transform((v) => v || null),
});

/**
 * Stores an upload: size checked against the limit, type sniffed from the bytes and checked against
 * the allow-list, bytes stored under a generated key, then the row and its audit entry in one
 * transaction (the bytes are removed again when that fails).
 */
export async function uploadMedia(
  scope: Scope,
  media: MediaOptions,
  input: { file: UploadedFile; alt?: string | null },
  /** `vendorId`: the vendor the asset is for (default: the uploading vendor's); `within`: more work in the asset's transaction. */
  options: {
    vendorId?: string | null;
    within?: (tx: Prisma.TransactionClient, asset: MediaAsset) => Promise<void>;
  } = {},
) {
  const { alt } = parseInput(UploadInput, { alt: input.alt });
  const { file } = input;
  if (!file || typeof file.arrayBuffer !== "function")
    throw ValidationError.field("file", "required", "A file is required.");
  const tooLarge = (size: number) =>
    new DomainError("PAYLOAD_TOO_LARGE", `The file is ${size} bytes; uploads may be at most ${media.maxBytes} bytes.`, {
      maxBytes: media.maxBytes,
    });
  // The declared size first, so an oversized file is never read; then what was actually read.
  if (file.size > media.maxBytes) throw tooLarge(file.size);
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length > media.maxBytes) throw tooLarge(bytes.length);
  if (bytes.length === 0) throw ValidationError.field("file", "empty", "The file is empty.");
  const contentType = await sniffContentType(bytes);
  if (!contentType || !isAllowedContentType(contentType)) {
    throw ValidationError.field(
      "file",
      "unsupported_type",
      `${contentType ? `Files of type ${contentType}` : "Files of this type"} are not accepted; allowed: ${Object.keys(ALLOWED_CONTENT_TYPES).join(", ")}.`,
    );
  }

  const storageKey = newStorageKey(scope.storeId);
  await media.storage.put(storageKey, bytes);
  try {
    return await scope.prisma.$transaction(async (tx) => {
      const asset = await tx.mediaAsset.create({
        data: {
          storeId: scope.storeId,
          storageKey,
          contentType,
          byteSize: bytes.length,
          fileName: safeFileName(file.name, contentType),
          sha256: createHash("sha256").update(bytes).digest("hex"),
          alt,
          vendorId: options.vendorId !== undefined ? options.vendorId : vendorOf(scope.actor),
        },
      });
      await recordChange(tx, {
        ...changedBy(scope),
        event: "media.create",
        entityType: "media_asset",
        entityId: asset.id,
        after: described(asset),
      });
      await options.within?.(tx, asset);
      return asset;
    });
  } catch (error) {
    await media.storage.delete(storageKey).catch(() => undefined);
    throw error;
  }
}

/**
 * Deletes an asset, its attachments (each recorded as a catalog.update of its entity) and, once that
 * has committed, its bytes.
 */
export async function deleteMedia(scope: Scope, media: MediaOptions, id: string) {
  assertNotVendor(scope.actor, "the media library");
  const asset = await requireAsset(scope, id);
  await scope.prisma.$transaction(async (tx) => {
    const links = await tx.entityMedia.findMany({
      where: { mediaAssetId: id },
      select: { entityId: true, role: true },
    });
    const { count } = await tx.mediaAsset.deleteMany({ where: { id, storeId: scope.storeId } });
    if (count === 0) throw new NotFoundError("Media asset", id);
    await recordChange(tx, {
      ...changedBy(scope),
      event: "media.delete",
      entityType: "media_asset",
      entityId: id,
      before: described(asset),
      data: { id },
    });
    for (const entityId of new Set(links.map((l) => l.entityId))) {
      const roles = links.filter((l) => l.entityId === entityId).map((l) => l.role);
      await recordChange(tx, {
        ...changedBy(scope),
        event: "catalog.update",
        entityType: "catalog_entity",
        entityId,
        after: { mediaDetached: { mediaAssetId: id, roles } },
        data: { id: entityId, mediaDetached: id },
      });
    }
  });
  await media.storage.delete(asset.storageKey);
  return { id };
}

// ---- attachments -----------------------------------------------------------------------------

export const AttachInput = z.object({
  entityId: z.string(),
  mediaAssetId: z.string(),
  role: z.enum(MEDIA_ROLES),
  position: z.number().int().min(0).max(100_000).nullish(),
});

const DetachInput = z.object({
  entityId: z.string(),
  mediaAssetId: z.string(),
  role: z.enum(MEDIA_ROLES).nullish(),
});

/**
 * Attaches an asset to an entity of the same store in a role (again: harmless; with a position, moves
 * it). A new thumbnail replaces the entity's previous one. Without a position it goes last.
 */
export async function attachMedia(scope: Scope, input: unknown) {
  const { entityId, mediaAssetId, role, position } = parseInput(AttachInput, input);
  await requireEntity(scope, entityId);
  const asset = await requireAsset(scope, mediaAssetId);
  // A vendor attaches its own uploads only; nobody shows a vendor's verification document on a product.
  const vendorId = vendorOf(scope.actor);
  if (
    (vendorId && asset.vendorId !== vendorId) ||
    (await scope.prisma.vendorDocument.count({ where: { mediaAssetId } }))
  ) {
    throw new NotFoundError("Media asset", mediaAssetId);
  }
  const key = { entityId_mediaAssetId_role: { entityId, mediaAssetId, role } };
  return withPrismaErrors("media attachment", () =>
    scope.prisma.$transaction(async (tx) => {
      const replaced =
        role === "thumbnail"
          ? await tx.entityMedia.deleteMany({
              where: { entityId, role: "thumbnail", mediaAssetId: { not: mediaAssetId } },
            })
          : { count: 0 };
      const last = await tx.entityMedia.aggregate({ where: { entityId }, _max: { position: true } });
      await tx.entityMedia.createMany({
        data: [{ entityId, mediaAssetId, role, position: position ?? (last._max.position ?? -1) + 1 }],
        skipDuplicates: true,
      });
      const attachment =
        position == null
          ? await tx.entityMedia.findUniqueOrThrow({ where: key })
          : await tx.entityMedia.update({ where: key, data: { position } });
      await recordChange(tx, {
        ...changedBy(scope),
        event: "catalog.update",
        entityType: "catalog_entity",
        entityId,
        after: {
          mediaAttached: { mediaAssetId, role, position: attachment.position, replacedThumbnails: replaced.count },
        },
        data: { id: entityId, mediaAttached: mediaAssetId },
      });
      return attachment;
    }),
  );
}

/** Removes an asset from an entity (in one role, or in every role); the asset itself stays. */
export async function detachMedia(scope: Scope, input: unknown) {
  const { entityId, mediaAssetId, role } = parseInput(DetachInput, input);
  const entity = await requireEntity(scope, entityId);
  await audited(
    scope,
    async (tx) => {
      const { count } = isUuid(mediaAssetId)
        ? await tx.entityMedia.deleteMany({ where: { entityId, mediaAssetId, ...(role ? { role } : {}) } })
        : { count: 0 };
      if (count === 0) throw new NotFoundError("Media attachment");
      return count;
    },
    () => ({
      event: "catalog.update",
      entityType: "catalog_entity",
      entityId,
      after: { mediaDetached: { mediaAssetId, roles: role ? [role] : "all" } },
      data: { id: entityId, mediaDetached: mediaAssetId },
    }),
  );
  return entity;
}

// ---- access to the bytes ---------------------------------------------------------------------

/** A signed link to an asset's bytes, valid for `seconds` from `now`. */
export function signedContentUrl(
  key: Uint8Array,
  id: string,
  seconds: number,
  now: Date,
): { url: string; expiresAt: Date } {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SIGNED_URL_SECONDS) {
    throw ValidationError.field(
      "expiresInSeconds",
      "invalid",
      `expiresInSeconds must be an integer from 1 to ${MAX_SIGNED_URL_SECONDS}.`,
    );
  }
  const expiresAt = new Date((Math.floor(now.getTime() / 1000) + seconds) * 1000);
  return { url: signPath(key, mediaContentPath(id), expiresAt), expiresAt };
}

export interface ContentRequest {
  id: string;
  storeId: string;
  actor: Actor;
  /** The `expires` and `signature` query parameters, when the link is a signed one. */
  expires?: string;
  signature?: string;
}

export interface ContentGrant {
  asset: MediaAsset;
  /** How access was granted: public (attached to an active entity), merchant (catalog:read), signed link. */
  via: "public" | "merchant" | "signed";
  /** When a signed link stops working. */
  expiresAt?: Date;
}

/**
 * Decides whether a request may have an asset's bytes. A signed link (both parameters, or either one)
 * must verify against the asset's content path and be unexpired, else FORBIDDEN; it then works for
 * anyone, in any store: the signature is the permission. Without one, the caller's store and visibility
 * apply: merchants see every asset of their store, everyone else only assets attached in a public role
 * to an active entity; anything else is NOT_FOUND (it does not say whether the asset exists).
 */
export async function authorizeMediaContent(
  prisma: Db,
  key: Uint8Array,
  request: ContentRequest,
  now: Date,
): Promise<ContentGrant> {
  const { id } = request;
  if (!isUuid(id)) throw new NotFoundError("Media asset", id);
  if (request.expires !== undefined || request.signature !== undefined) {
    if (!verifySignedPath(key, mediaContentPath(id), request.expires, request.signature, now)) {
      throw new ForbiddenError("The link is invalid or has expired.");
    }
    const asset = await prisma.mediaAsset.findUnique({ where: { id } });
    if (!asset) throw new NotFoundError("Media asset", id);
    return { asset, via: "signed", expiresAt: new Date(Number(request.expires) * 1000) };
  }
  const seesAll = seesAllMedia(request.actor);
  const asset = await prisma.mediaAsset.findFirst({ where: { id, ...visibleAssetWhere(request.storeId, seesAll) } });
  if (!asset) throw new NotFoundError("Media asset", id);
  return { asset, via: seesAll ? "merchant" : "public" };
}
