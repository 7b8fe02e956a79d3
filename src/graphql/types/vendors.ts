import { vendorOf } from "../../domain/auth/actor.js";
import { entityWhere } from "../../domain/catalog/entities.js";
import {
  createVendorReview,
  updateVendorReview,
  vendorRatings,
  vendorReviewsWhere,
} from "../../domain/marketplace/vendor-reviews.js";
import {
  DOCUMENT_STATUSES,
  type DocumentStatus,
  isMarketplaceAdmin,
  MARKETPLACE_ADMIN,
  maySeeVendor,
  ownVendorId,
  registerVendor,
  reviewVendorDocument,
  seesVendorPrivate,
  transitionVendor,
  updateVendor,
  uploadVendorDocument,
  VENDOR_STATUSES,
  type VendorAction,
  type VendorStatus,
  vendorWhere,
} from "../../domain/marketplace/vendors.js";
import { signedContentUrl } from "../../domain/media/media.js";
import { isUuid } from "../../domain/validation.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { loaderFor } from "../loaders.js";
import {
  modelConnection,
  pageComplexity,
  relationConnection,
  relationPageQuery,
  totalCountField,
} from "../pagination.js";
import { CatalogEntity, seesUnpublished } from "./catalog.js";
import { mutationResult } from "./errors.js";
import { NodeInterface, registerNode } from "./node.js";

export const VendorStatusEnum = builder.enumType("VendorStatus", {
  description: "pending -> approved | rejected; approved -> suspended -> approved (reinstate); rejected -> approved.",
  values: VENDOR_STATUSES,
});

const VendorDocumentStatusEnum = builder.enumType("VendorDocumentStatus", {
  description: "pending -> approved | rejected; either can be reversed by the admin.",
  values: DOCUMENT_STATUSES,
});

const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/** The catalog entities of a vendor the caller sees: active ones for the public, every status for merchants and the vendor. */
function vendorProductsWhere(ctx: GraphQLContext) {
  return entityWhere(ctx.storeId, {}, seesUnpublished(ctx), vendorOf(ctx.actor));
}

/** Private to the vendor itself and the marketplace admin: null for everyone else. */
function privateField<T>(ctx: GraphQLContext, vendor: { id: string }, value: T): T | null {
  return seesVendorPrivate(ctx.scope, vendor.id) ? value : null;
}

const VendorRating = builder.objectRef<{ average: number | null; count: number }>("VendorRating").implement({
  description: "Visible (not hidden) reviews only.",
  fields: (t) => ({
    average: t.exposeFloat("average", {
      nullable: true,
      description: "Mean rating, two decimals; null without reviews.",
    }),
    count: t.exposeInt("count"),
  }),
});

export const VendorDocument = builder.prismaObject("VendorDocument", {
  description: "A verification document of a vendor; its bytes are in media storage.",
  fields: (t) => ({
    id: t.exposeID("id"),
    vendorId: t.exposeID("vendorId"),
    kind: t.exposeString("kind"),
    mediaAssetId: t.exposeID("mediaAssetId", {
      description: "The media asset holding the bytes (never attachable to a product).",
    }),
    status: t.field({ type: VendorDocumentStatusEnum, resolve: (d) => d.status as DocumentStatus }),
    reason: t.exposeString("reason", { nullable: true, description: "Why it was rejected." }),
    contentType: t.string({
      select: { mediaAsset: { select: { contentType: true } } },
      resolve: (d) => d.mediaAsset.contentType,
    }),
    fileName: t.string({
      nullable: true,
      select: { mediaAsset: { select: { fileName: true } } },
      resolve: (d) => d.mediaAsset.fileName,
    }),
    byteSize: t.int({ select: { mediaAsset: { select: { byteSize: true } } }, resolve: (d) => d.mediaAsset.byteSize }),
    downloadUrl: t.string({
      description: "A signed link to the bytes, valid for MEDIA_SIGNED_URL_TTL_SECONDS.",
      resolve: (d, _args, ctx) =>
        signedContentUrl(ctx.secrets.key("signed-url"), d.mediaAssetId, ctx.media.signedUrlTtlSeconds, new Date()).url,
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

export const VendorReview = builder.prismaObject("VendorReview", {
  description: "A buyer's review of a vendor (one per buyer and vendor, after a delivered purchase).",
  fields: (t) => ({
    id: t.exposeID("id"),
    vendorId: t.exposeID("vendorId"),
    rating: t.exposeInt("rating", { description: "1 to 5." }),
    body: t.exposeString("body", { nullable: true }),
    hidden: t.exposeBoolean("hidden", {
      description: "Hidden by the marketplace admin (only the admin and the vendor see hidden ones).",
    }),
    reply: t.exposeString("reply", { nullable: true, description: "The vendor's answer." }),
    repliedAt: t.expose("repliedAt", { type: "DateTime", nullable: true }),
    authorName: t.string({
      nullable: true,
      description: "The buyer's name as on their profile.",
      select: { customer: { select: { name: true } } },
      resolve: (r) => r.customer.name,
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

export const Vendor = builder.prismaObject("Vendor", {
  description:
    "A marketplace seller. Email, phone, rejection reason, metadata and documents are for the vendor itself and the marketplace admin.",
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    slug: t.exposeString("slug"),
    status: t.field({ type: VendorStatusEnum, resolve: (v) => v.status as VendorStatus }),
    description: t.exposeString("description", { nullable: true }),
    logoUrl: t.exposeString("logoUrl", { nullable: true }),
    website: t.exposeString("website", { nullable: true }),
    email: t.string({ nullable: true, resolve: (v, _a, ctx) => privateField(ctx, v, v.email) }),
    phone: t.string({ nullable: true, resolve: (v, _a, ctx) => privateField(ctx, v, v.phone) }),
    rejectionReason: t.string({ nullable: true, resolve: (v, _a, ctx) => privateField(ctx, v, v.rejectionReason) }),
    metadata: t.field({
      type: "JSONObject",
      nullable: true,
      resolve: (v, _a, ctx) => privateField(ctx, v, v.metadata),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    documents: t.field({
      type: [VendorDocument],
      description: "Verification documents, oldest first (the vendor and the admin; [] for everyone else).",
      select: (_args, _ctx, nestedSelection) => ({
        documents: nestedSelection({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
      }),
      resolve: (v, _a, ctx) => (seesVendorPrivate(ctx.scope, v.id) ? v.documents : []),
    }),
    rating: t.field({
      type: VendorRating,
      description: "Average and count of the visible reviews (one statement for every vendor of the request).",
      resolve: (v, _a, ctx) =>
        loaderFor(ctx, "vendorRating", (ids: readonly string[]) => vendorRatings(ctx.prisma, ids)).load(v.id),
    }),
    products: t.connection(
      {
        type: CatalogEntity,
        complexity: pageComplexity,
        description:
          "The vendor's catalog entities, newest first: active ones for the public, every status for merchants and the vendor.",
        // Planned into the vendors' own query: a page of vendors reads every vendor's products in its statement.
        select: (args, ctx, nestedSelection) => ({
          entities: relationPageQuery(args, (page) =>
            nestedSelection({ where: vendorProductsWhere(ctx), orderBy: NEWEST_FIRST, ...page }, ["edges", "node"]),
          ),
        }),
        resolve: (vendor, args, ctx) =>
          relationConnection(args, ctx, vendor.entities, {
            field: "Vendor.products",
            model: ctx.prisma.vendor,
            parentId: vendor.id,
            relation: "entities",
            where: vendorProductsWhere(ctx),
          }),
      },
      { name: "VendorProductConnection", fields: totalCountField },
    ),
    reviews: t.connection(
      {
        type: VendorReview,
        complexity: pageComplexity,
        description: "Reviews, newest first; hidden ones only for the admin and the vendor.",
        // A vendor actor only ever sees itself, so one filter serves every vendor of the list.
        select: (args, ctx, nestedSelection) => ({
          reviews: relationPageQuery(args, (page) =>
            nestedSelection({ where: listedReviewsWhere(ctx), orderBy: NEWEST_FIRST, ...page }, ["edges", "node"]),
          ),
        }),
        resolve: (vendor, args, ctx) =>
          relationConnection(args, ctx, vendor.reviews, {
            field: "Vendor.reviews",
            model: ctx.prisma.vendor,
            parentId: vendor.id,
            relation: "reviews",
            where: listedReviewsWhere(ctx),
          }),
      },
      { name: "VendorReviewConnection", fields: totalCountField },
    ),
  }),
});

/** Hidden reviews are listed for the admin and for a vendor (which only ever sees itself). */
function listedReviewsWhere(ctx: GraphQLContext) {
  return isMarketplaceAdmin(ctx.scope) || vendorOf(ctx.actor) ? {} : { hidden: false };
}

// AND, not a spread: vendorWhere may pin `id` itself (a vendor sees only itself).
registerNode("Vendor", "vendor", (ctx, id) =>
  ctx.prisma.vendor.findFirst({ where: { AND: [vendorWhere(ctx.scope), { id }] } }),
);

builder.prismaInterfaceField(CatalogEntity, "vendor", (t) =>
  t.field({
    type: Vendor,
    nullable: true,
    description: "The marketplace vendor selling it (null: the platform's own, or a vendor the caller may not see).",
    select: (_args, _ctx, nestedSelection) => ({ vendor: nestedSelection(true) }),
    resolve: (entity, _args, ctx) => {
      const vendor = (entity as unknown as { vendor: { id: string; status: string } | null }).vendor;
      return vendor && maySeeVendor(ctx.scope, vendor) ? (vendor as never) : null;
    },
  }),
);
builder.prismaInterfaceField(CatalogEntity, "vendorId", (t) =>
  t.exposeID("vendorId", {
    nullable: true,
    description: "The marketplace vendor selling it; null for the platform's own.",
  }),
);

// ---- queries ---------------------------------------------------------------------------------

builder.queryFields((t) => ({
  vendors: t.connection(
    {
      type: Vendor,
      complexity: pageComplexity,
      description:
        "Vendors, newest first. The marketplace admin sees every vendor (of one `status` when asked); a vendor only " +
        "itself; everyone else the approved ones.",
      args: { status: t.arg({ type: VendorStatusEnum }) },
      resolve: (_root, args, ctx, info) =>
        modelConnection(args, ctx, info, {
          typeName: "Vendor",
          model: ctx.prisma.vendor,
          where: vendorWhere(ctx.scope, args.status),
          orderBy: NEWEST_FIRST,
        }),
    },
    { name: "VendorConnection", fields: totalCountField },
  ),
  vendor: t.prismaField({
    type: "Vendor",
    nullable: true,
    description: "One vendor by id or slug, if the caller may see it (as `vendors`).",
    args: { id: t.arg.id(), slug: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      if (args.id ? !isUuid(args.id) : !args.slug) return null;
      return ctx.prisma.vendor.findFirst({
        ...query,
        where: { AND: [vendorWhere(ctx.scope), args.id ? { id: args.id } : { slug: args.slug! }] },
      });
    },
  }),
  vendorMe: t.prismaField({
    type: "Vendor",
    description: "The vendor the caller acts as (a vendor key, or vendor staff signed in).",
    authScopes: { vendor: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.vendor.findFirstOrThrow({ ...query, where: { id: ownVendorId(ctx.scope), storeId: ctx.storeId } }),
  }),
  vendorReviews: t.connection(
    {
      type: VendorReview,
      complexity: pageComplexity,
      description: "A vendor's reviews, newest first (public); hidden ones only for the admin and the vendor.",
      args: { vendorId: t.arg.id({ required: true }) },
      resolve: async (_root, args, ctx, info) => {
        const visible = isUuid(args.vendorId)
          ? await ctx.prisma.vendor.findFirst({
              where: { AND: [vendorWhere(ctx.scope), { id: args.vendorId }] },
              select: { id: true },
            })
          : null;
        const where = visible
          ? { vendorId: visible.id, storeId: ctx.storeId, ...vendorReviewsWhere(ctx.scope, visible.id) }
          : { id: { in: [] as string[] } };
        return modelConnection(args, ctx, info, {
          typeName: "VendorReview",
          model: ctx.prisma.vendorReview,
          where,
          orderBy: NEWEST_FIRST,
        });
      },
    },
    { name: "VendorReviewListConnection", fields: totalCountField },
  ),
}));

// ---- mutations -------------------------------------------------------------------------------

const RegisterVendorInput = builder.inputType("RegisterVendorInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    email: t.string({ required: true, description: "Contact address (lower-cased)." }),
    slug: t.string({ description: "Unique in the store; from the name by default." }),
    description: t.string(),
    logoUrl: t.string({ description: "http(s) URL." }),
    phone: t.string(),
    website: t.string({ description: "http(s) URL." }),
    metadata: t.field({ type: "JSONObject" }),
  }),
});

const UpdateVendorInput = builder.inputType("UpdateVendorInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    email: t.string(),
    slug: t.string({ description: "The marketplace admin only." }),
    description: t.string(),
    logoUrl: t.string(),
    phone: t.string(),
    website: t.string(),
    metadata: t.field({ type: "JSONObject", description: "Replaces the whole metadata object." }),
  }),
});

const UpdateMyVendorInput = builder.inputType("UpdateMyVendorInput", {
  fields: (t) => ({
    name: t.string(),
    email: t.string(),
    description: t.string(),
    logoUrl: t.string(),
    phone: t.string(),
    website: t.string(),
    metadata: t.field({ type: "JSONObject", description: "Replaces the whole metadata object." }),
  }),
});

const VendorTransitionInput = builder.inputType("VendorTransitionInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    reason: t.string({ description: "Required to reject; recorded with the others." }),
  }),
});

const UploadVendorDocumentInput = builder.inputType("UploadVendorDocumentInput", {
  fields: (t) => ({
    vendorId: t.id({ required: true }),
    kind: t.string({ required: true, description: "snake_case, e.g. business_license, tax_id, identity." }),
    file: t.field({ type: "File", required: true, description: "PDF or image (the media allow-list)." }),
  }),
});

const ReviewVendorDocumentInput = builder.inputType("ReviewVendorDocumentInput", {
  fields: (t) => ({
    vendorId: t.id({ required: true }),
    documentId: t.id({ required: true }),
    reason: t.string({ description: "Required to reject." }),
  }),
});

const CreateVendorReviewInput = builder.inputType("CreateVendorReviewInput", {
  fields: (t) => ({
    vendorId: t.id({ required: true }),
    rating: t.int({ required: true, description: "1 to 5." }),
    body: t.string(),
  }),
});

const UpdateVendorReviewInput = builder.inputType("UpdateVendorReviewInput", {
  fields: (t) => ({
    vendorId: t.id({ required: true }),
    reviewId: t.id({ required: true }),
    hidden: t.boolean({ description: "The marketplace admin: hide or show again." }),
    reply: t.string({ description: "The vendor: its answer." }),
  }),
});

const ADMIN = { permission: MARKETPLACE_ADMIN };

function transitionField(action: VendorAction, name: string, description: string) {
  return builder.mutationField(name, (t) =>
    t.field({
      type: Vendor,
      description,
      authScopes: ADMIN,
      args: { input: t.arg({ type: VendorTransitionInput, required: true }) },
      errors: mutationResult(name[0]!.toUpperCase() + name.slice(1), "vendor"),
      resolve: (_root, { input }, ctx) => transitionVendor(ctx.scope, action, input),
    }),
  );
}

transitionField("approve", "approveVendor", "pending | rejected -> approved.");
transitionField("reject", "rejectVendor", "pending -> rejected, with a reason.");
transitionField("suspend", "suspendVendor", "approved -> suspended.");
transitionField("reinstate", "reinstateVendor", "suspended -> approved.");

builder.mutationFields((t) => ({
  registerVendor: t.field({
    type: Vendor,
    description: "Registers a vendor (pending). The marketplace admin, or a signed-in customer who becomes its staff.",
    authScopes: { permission: MARKETPLACE_ADMIN, customer: true },
    args: { input: t.arg({ type: RegisterVendorInput, required: true }) },
    errors: mutationResult("RegisterVendor", "vendor"),
    resolve: async (_root, { input }, ctx) => {
      const vendor = await registerVendor(ctx.scope, input);
      // The customer is the vendor's staff now: their session must carry the vendor from the next request on.
      if (ctx.actor.kind === "customer") ctx.identity.sessions.forget(ctx.actor.sessionId);
      return vendor;
    },
  }),
  updateVendor: t.field({
    type: Vendor,
    description: "The marketplace admin updates any vendor; a vendor only itself.",
    authScopes: { permission: MARKETPLACE_ADMIN, vendor: true },
    args: { input: t.arg({ type: UpdateVendorInput, required: true }) },
    errors: mutationResult("UpdateVendor", "vendor"),
    resolve: (_root, { input }, ctx) => updateVendor(ctx.scope, input),
  }),
  updateMyVendor: t.field({
    type: Vendor,
    description: "The vendor the caller acts as updates its own profile.",
    authScopes: { vendor: true },
    args: { input: t.arg({ type: UpdateMyVendorInput, required: true }) },
    errors: mutationResult("UpdateMyVendor", "vendor"),
    resolve: (_root, { input }, ctx) => updateVendor(ctx.scope, { ...input, id: ownVendorId(ctx.scope) }),
  }),
  uploadVendorDocument: t.field({
    type: VendorDocument,
    description:
      "Stores a verification document (pending) through media storage: the admin for any vendor, a vendor for itself.",
    authScopes: { permission: MARKETPLACE_ADMIN, vendor: true },
    args: { input: t.arg({ type: UploadVendorDocumentInput, required: true }) },
    errors: mutationResult("UploadVendorDocument", "document"),
    resolve: (_root, { input }, ctx) => uploadVendorDocument(ctx.scope, ctx.media, input),
  }),
  approveVendorDocument: t.field({
    type: VendorDocument,
    authScopes: ADMIN,
    args: { input: t.arg({ type: ReviewVendorDocumentInput, required: true }) },
    errors: mutationResult("ApproveVendorDocument", "document"),
    resolve: (_root, { input }, ctx) => reviewVendorDocument(ctx.scope, "approved", input),
  }),
  rejectVendorDocument: t.field({
    type: VendorDocument,
    authScopes: ADMIN,
    args: { input: t.arg({ type: ReviewVendorDocumentInput, required: true }) },
    errors: mutationResult("RejectVendorDocument", "document"),
    resolve: (_root, { input }, ctx) => reviewVendorDocument(ctx.scope, "rejected", input),
  }),
  createVendorReview: t.field({
    type: VendorReview,
    description: "A buyer with a delivered purchase from the vendor reviews it, once.",
    authScopes: { customer: true },
    args: { input: t.arg({ type: CreateVendorReviewInput, required: true }) },
    errors: mutationResult("CreateVendorReview", "review"),
    resolve: (_root, { input }, ctx) => createVendorReview(ctx.scope, input),
  }),
  updateVendorReview: t.field({
    type: VendorReview,
    description: "The marketplace admin hides or shows a review; the vendor replies to one of its own.",
    authScopes: { permission: MARKETPLACE_ADMIN, vendor: true },
    args: { input: t.arg({ type: UpdateVendorReviewInput, required: true }) },
    errors: mutationResult("UpdateVendorReview", "review"),
    resolve: (_root, { input }, ctx) => updateVendorReview(ctx.scope, input),
  }),
}));
