import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { can, customerIdOf, vendorOf } from "../auth/actor.js";
import {
  ConflictError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from "../errors.js";
import type { VENDOR_STATUS_EVENTS } from "../events.js";
import { type UploadedFile, uploadMedia } from "../media/media.js";
import type { MediaOptions } from "../media/storage.js";
import { withPrismaErrors } from "../prisma-errors.js";
import { VENDOR_EVENTS } from "./vendor-events.js";

export { VENDOR_EVENTS };

import type { Scope } from "../scope.js";
import { isUuid, metadata, parseInput, slug, slugify } from "../validation.js";

/** The permission of every marketplace admin route (seed 002: approve, suspend, ...). */
export const MARKETPLACE_ADMIN = "marketplace:admin";

export const VENDOR_STATUSES = ["pending", "approved", "rejected", "suspended"] as const;
export type VendorStatus = (typeof VENDOR_STATUSES)[number];

/**
 * The vendor lifecycle as actions: each moves from some statuses to one. A rejected vendor can still be
 * approved (a second look); a suspended one is reinstated, not approved again.
 */
export const VENDOR_ACTIONS = {
  approve: { from: ["pending", "rejected"], to: "approved" },
  reject: { from: ["pending"], to: "rejected" },
  suspend: { from: ["approved"], to: "suspended" },
  reinstate: { from: ["suspended"], to: "approved" },
} as const satisfies Record<string, { from: readonly VendorStatus[]; to: VendorStatus }>;
export type VendorAction = keyof typeof VENDOR_ACTIONS;

/** Which statuses may follow each status (derived from the actions; what a 409 lists as allowed). */
export const VENDOR_TRANSITIONS: Record<VendorStatus, readonly VendorStatus[]> = Object.fromEntries(
  VENDOR_STATUSES.map((status) => [
    status,
    [
      ...new Set(
        Object.values(VENDOR_ACTIONS)
          .filter((a) => (a.from as readonly string[]).includes(status))
          .map((a) => a.to),
      ),
    ],
  ]),
) as unknown as Record<VendorStatus, readonly VendorStatus[]>;

export const DOCUMENT_STATUSES = ["pending", "approved", "rejected"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
export const DOCUMENT_TRANSITIONS: Record<DocumentStatus, readonly DocumentStatus[]> = {
  pending: ["approved", "rejected"],
  approved: ["rejected"],
  rejected: ["approved"],
};

const ACTION_EVENTS: Record<VendorAction, (typeof VENDOR_STATUS_EVENTS)[number]> = {
  approve: "vendor.approved",
  reject: "vendor.rejected",
  suspend: "vendor.suspended",
  reinstate: "vendor.reinstated",
};

// ---- who may do what ------------------------------------------------------------------------

export function isMarketplaceAdmin(scope: Pick<Scope, "actor">): boolean {
  return can(scope.actor, MARKETPLACE_ADMIN);
}

/** A vendor's own rows or the marketplace admin: everyone else gets 404 (a vendor never learns of another). */
function mayManage(scope: Scope, vendorId: string): boolean {
  return isMarketplaceAdmin(scope) || vendorOf(scope.actor) === vendorId;
}

/**
 * The `where` of the vendors an actor may see: the admin every vendor of the store (of one status when
 * asked); a vendor actor only itself; everyone else the approved ones (their public storefront profile).
 */
export function vendorWhere(scope: Pick<Scope, "actor" | "storeId">, status?: string | null): Prisma.VendorWhereInput {
  const own = vendorOf(scope.actor);
  if (own) return { storeId: scope.storeId, id: own, ...(status ? { status } : {}) };
  if (isMarketplaceAdmin(scope)) return { storeId: scope.storeId, ...(status ? { status } : {}) };
  // The public asking for pending vendors gets an empty list, not an error that reveals they exist.
  return { storeId: scope.storeId, status: "approved", ...(status && status !== "approved" ? { id: { in: [] } } : {}) };
}

/** `vendorWhere` for one loaded vendor. */
export function maySeeVendor(scope: Pick<Scope, "actor">, vendor: { id: string; status: string }): boolean {
  const own = vendorOf(scope.actor);
  if (own) return own === vendor.id;
  return vendor.status === "approved" || isMarketplaceAdmin(scope);
}

/** Whether the caller sees a vendor's private fields (email, phone, rejection reason, metadata, documents). */
export function seesVendorPrivate(scope: Pick<Scope, "actor">, vendorId: string): boolean {
  return can(scope.actor, MARKETPLACE_ADMIN) || vendorOf(scope.actor) === vendorId;
}

/** The vendor, if the caller may manage it (the admin, or the vendor itself); 404 otherwise. */
export async function requireManagedVendor(
  scope: Scope,
  id: string,
  db: Pick<Scope["prisma"], "vendor"> = scope.prisma,
) {
  if (!isUuid(id) || !mayManage(scope, id)) throw new NotFoundError("Vendor", id);
  const vendor = await db.vendor.findFirst({ where: { id, storeId: scope.storeId } });
  if (!vendor) throw new NotFoundError("Vendor", id);
  return vendor;
}

/** The vendor the caller acts as (`/vendor/me`): 403 for anyone who is not a vendor. */
export function ownVendorId(scope: Scope): string {
  const own = vendorOf(scope.actor);
  if (!own) throw new ForbiddenError("This is for vendors: use a vendor key or sign in as vendor staff.");
  return own;
}

// ---- registration and profile ---------------------------------------------------------------

const url = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).max(2000);

const Profile = {
  name: z.string().trim().min(1).max(200),
  email: z
    .email({ message: "must be an email address" })
    .max(254)
    .transform((e) => e.toLowerCase()),
  description: z.string().max(20_000).nullish(),
  logoUrl: url.nullish(),
  phone: z.string().trim().max(40).nullish(),
  website: url.nullish(),
  metadata: metadata.nullish(),
};

export const RegisterVendorInput = z.object({ ...Profile, slug: slug.nullish() });

export const UpdateVendorInput = z.object({
  id: z.string(),
  name: Profile.name.optional(),
  email: Profile.email.optional(),
  description: Profile.description,
  logoUrl: Profile.logoUrl,
  phone: Profile.phone,
  website: Profile.website,
  metadata: Profile.metadata,
  /** The admin only: a vendor keeps its slug (links to its storefront page depend on it). */
  slug: slug.optional(),
});

/**
 * Registers a vendor (status pending). The marketplace admin registers any; a signed-in customer registers
 * their own business and becomes its staff (signs in as that vendor from then on). Vendors cannot.
 */
export async function registerVendor(scope: Scope, input: unknown) {
  if (scope.actor.kind === "anonymous" || scope.actor.kind === "publishableKey") throw new UnauthorizedError();
  if (vendorOf(scope.actor)) throw new ForbiddenError("A vendor cannot register another vendor.");
  const customerId = customerIdOf(scope.actor);
  if (!customerId && !isMarketplaceAdmin(scope))
    throw new ForbiddenError(`Registering vendors needs ${MARKETPLACE_ADMIN} (or a customer session).`);
  const data = parseInput(RegisterVendorInput, input);
  const vendorSlug = data.slug ?? slugify(data.name);
  if (!vendorSlug)
    throw ValidationError.field("slug", "required", "A slug is required when the name has no letters or digits.");
  return withPrismaErrors("vendor", () =>
    scope.prisma.$transaction(async (tx) => {
      const vendor = await tx.vendor.create({
        data: {
          ...data,
          slug: vendorSlug,
          metadata: (data.metadata ?? {}) as Prisma.InputJsonValue,
          storeId: scope.storeId,
        },
      });
      if (customerId) {
        // Only a customer who is nobody's staff yet: one account, one vendor.
        const { count } = await tx.customer.updateMany({
          where: { id: customerId, storeId: scope.storeId, vendorId: null },
          data: { vendorId: vendor.id },
        });
        if (count === 0) throw new ConflictError("This account already belongs to a vendor.", "customer");
      }
      await recordChange(tx, {
        ...changedBy(scope),
        event: "vendor.registered",
        entityType: "vendor",
        entityId: vendor.id,
        after: vendor,
      });
      return vendor;
    }),
  );
}

export async function updateVendor(scope: Scope, input: unknown) {
  const { id, metadata: meta, slug: newSlug, ...fields } = parseInput(UpdateVendorInput, input);
  if (newSlug !== undefined && !isMarketplaceAdmin(scope)) {
    throw ValidationError.field("slug", "admin_only", "Only the marketplace admin changes a vendor's slug.");
  }
  return withPrismaErrors("vendor", () =>
    scope.prisma.$transaction(async (tx) => {
      const before = await requireManagedVendor(scope, id, tx);
      // Where payouts go is the platform's call: a leaked vendor key must not redirect the vendor's money.
      const account = (value: unknown) =>
        value && typeof value === "object" ? (value as Record<string, unknown>).stripeAccountId : undefined;
      if (meta && !isMarketplaceAdmin(scope) && account(meta) !== account(before.metadata)) {
        throw ValidationError.field(
          "metadata.stripeAccountId",
          "admin_only",
          "Only the marketplace admin sets the payout account.",
        );
      }
      const vendor = await tx.vendor.update({
        where: { id },
        data: {
          ...fields,
          ...(newSlug ? { slug: newSlug } : {}),
          ...(meta ? { metadata: meta as Prisma.InputJsonValue } : {}),
        },
      });
      await recordChange(tx, {
        ...changedBy(scope),
        event: "vendor.updated",
        entityType: "vendor",
        entityId: id,
        before,
        after: vendor,
      });
      return vendor;
    }),
  );
}

export const TransitionInput = z.object({ id: z.string(), reason: z.string().trim().min(1).max(2000).nullish() });

/**
 * approve / reject (with a reason) / suspend / reinstate: one conditional UPDATE from the statuses the
 * action allows, so two racing moves cannot both win; a refused move is 409 with the allowed ones.
 */
export async function transitionVendor(scope: Scope, action: VendorAction, input: unknown) {
  if (!isMarketplaceAdmin(scope)) throw new ForbiddenError(`Needs ${MARKETPLACE_ADMIN}.`);
  const { id, reason } = parseInput(TransitionInput, input);
  if (action === "reject" && !reason)
    throw ValidationError.field("reason", "required", "Say why the vendor is rejected.");
  const { from, to } = VENDOR_ACTIONS[action];
  const moved = await scope.prisma.$transaction(async (tx) => {
    const before = await requireManagedVendor(scope, id, tx);
    const { count } = await tx.vendor.updateMany({
      where: { id, storeId: scope.storeId, status: { in: [...from] } },
      data: {
        status: to,
        ...(action === "reject" ? { rejectionReason: reason } : to === "approved" ? { rejectionReason: null } : {}),
      },
    });
    if (count === 0) {
      const current = (await tx.vendor.findUniqueOrThrow({ where: { id }, select: { status: true } }))
        .status as VendorStatus;
      throw new InvalidTransitionError("vendor", current, to, VENDOR_TRANSITIONS[current] ?? []);
    }
    const vendor = await tx.vendor.findUniqueOrThrow({ where: { id } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: ACTION_EVENTS[action],
      entityType: "vendor",
      entityId: id,
      before: { status: before.status },
      after: vendor,
      data: { id, status: vendor.status, fromStatus: before.status, reason: reason ?? null },
    });
    return vendor;
  });
  // After commit, to the vendor's own live dashboard (vendorOrderEvents).
  scope.events.publish({
    type: ACTION_EVENTS[action],
    storeId: scope.storeId,
    vendorId: id,
    subjectId: id,
    subOrderId: null,
    orderId: null,
    status: moved.status,
    at: new Date().toISOString(),
  });
  return moved;
}

// ---- documents ------------------------------------------------------------------------------

const UploadDocumentInput = z.object({
  vendorId: z.string(),
  kind: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a snake_case kind such as business_license or tax_id"),
});

/** Stores a verification document's bytes through media storage and records it (pending), in one transaction. */
export async function uploadVendorDocument(
  scope: Scope,
  media: MediaOptions,
  input: { vendorId: string; kind: string; file: UploadedFile },
) {
  const data = parseInput(UploadDocumentInput, { vendorId: input.vendorId, kind: input.kind });
  await requireManagedVendor(scope, data.vendorId);
  let document: Prisma.VendorDocumentGetPayload<object> | undefined;
  await uploadMedia(
    scope,
    media,
    { file: input.file },
    {
      vendorId: data.vendorId,
      within: async (tx, asset) => {
        document = await tx.vendorDocument.create({
          data: { vendorId: data.vendorId, mediaAssetId: asset.id, kind: data.kind },
        });
        await recordChange(tx, {
          ...changedBy(scope),
          event: "vendor.document_uploaded",
          entityType: "vendor_document",
          entityId: document.id,
          after: document,
        });
      },
    },
  );
  return document!;
}

export const ReviewDocumentInput = z.object({
  vendorId: z.string(),
  documentId: z.string(),
  reason: z.string().trim().min(1).max(2000).nullish(),
});

/** approve / reject a document (the admin); the same conditional-update rule as vendors. */
export async function reviewVendorDocument(scope: Scope, target: "approved" | "rejected", input: unknown) {
  if (!isMarketplaceAdmin(scope)) throw new ForbiddenError(`Needs ${MARKETPLACE_ADMIN}.`);
  const { vendorId, documentId, reason } = parseInput(ReviewDocumentInput, input);
  if (target === "rejected" && !reason)
    throw ValidationError.field("reason", "required", "Say why the document is rejected.");
  return scope.prisma.$transaction(async (tx) => {
    await requireManagedVendor(scope, vendorId, tx);
    const before = isUuid(documentId)
      ? await tx.vendorDocument.findFirst({ where: { id: documentId, vendorId } })
      : null;
    if (!before) throw new NotFoundError("Vendor document", documentId);
    const from = DOCUMENT_STATUSES.filter((s) => DOCUMENT_TRANSITIONS[s].includes(target));
    const { count } = await tx.vendorDocument.updateMany({
      where: { id: documentId, vendorId, status: { in: from } },
      data: { status: target, reason: target === "rejected" ? reason : null },
    });
    if (count === 0) {
      const current = (await tx.vendorDocument.findUniqueOrThrow({ where: { id: documentId } }))
        .status as DocumentStatus;
      throw new InvalidTransitionError("vendor document", current, target, DOCUMENT_TRANSITIONS[current] ?? []);
    }
    const document = await tx.vendorDocument.findUniqueOrThrow({ where: { id: documentId } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: target === "approved" ? "vendor.document_approved" : "vendor.document_rejected",
      entityType: "vendor_document",
      entityId: documentId,
      before: { status: before.status },
      after: document,
    });
    return document;
  });
}
