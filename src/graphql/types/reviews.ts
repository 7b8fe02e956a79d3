import { can } from "../../domain/auth/actor.js";
import {
  DEFAULT_REVIEW_STATUS,
  moderateReview,
  type RatingSummary as RatingSummaryData,
  REVIEW_STATUSES,
  type ReviewStatus,
  ratingSummaries,
  reviewListWhere,
  reviewsWhere,
  writeReview,
} from "../../domain/catalog/reviews.js";
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
import { mutationResult } from "./errors.js";

// Product reviews (seed 004's product "comments"). Not the marketplace's vendor reviews: these are about
// a product, written by a customer who received it, moderated by the merchant (reviews:moderate).

const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

const ProductReviewStatusEnum = builder.enumType("ProductReviewStatus", {
  description: `New reviews are ${DEFAULT_REVIEW_STATUS} until a merchant publishes them; published <-> hidden. The public sees published reviews only.`,
  values: REVIEW_STATUSES,
});

const isModerator = (ctx: GraphQLContext) => can(ctx.actor, "reviews:read");

export const ProductReview = builder.prismaObject("ProductReview", {
  description: "A customer's review of a product they received.",
  fields: (t) => ({
    id: t.exposeID("id"),
    entityId: t.exposeID("entityId"),
    rating: t.exposeInt("rating", { description: "1 to 5 stars." }),
    title: t.exposeString("title"),
    text: t.exposeString("body"),
    status: t.field({ type: ProductReviewStatusEnum, resolve: (r) => r.status as ReviewStatus }),
    authorName: t.exposeString("authorName", {
      nullable: true,
      description: "The reviewer's name when they wrote it.",
    }),
    verifiedPurchase: t.boolean({
      description: "Written by a customer with a delivered order of the product (always, today).",
      resolve: (r) => r.orderId !== null,
    }),
    customerId: t.id({
      nullable: true,
      description: "Merchants (reviews:read) and the author only.",
      resolve: (r, _args, ctx) =>
        isModerator(ctx) || (ctx.actor.kind === "customer" && ctx.actor.id === r.customerId) ? r.customerId : null,
    }),
    reply: t.exposeString("reply", { nullable: true, description: "The merchant's public answer." }),
    repliedAt: t.expose("repliedAt", { type: "DateTime", nullable: true }),
    publishedAt: t.expose("publishedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const RatingCount = builder.objectRef<{ rating: number; count: number }>("RatingCount").implement({
  fields: (t) => ({ rating: t.exposeInt("rating"), count: t.exposeInt("count") }),
});

const RatingSummary = builder.objectRef<RatingSummaryData>("RatingSummary").implement({
  description: "Published reviews only.",
  fields: (t) => ({
    average: t.exposeFloat("average", {
      nullable: true,
      description: "Mean rating, two decimals; null without reviews.",
    }),
    count: t.exposeInt("count"),
    counts: t.field({ type: [RatingCount], description: "Reviews per star, 1 to 5.", resolve: (s) => s.counts }),
  }),
});

/** One grouped statement for the rating summaries of every entity of the request. */
function ratingSummaryOf(ctx: GraphQLContext, entityId: string) {
  return loaderFor<string, RatingSummaryData>(ctx, "ratingSummary", (ids) => ratingSummaries(ctx.prisma, ids)).load(
    entityId,
  );
}

builder.prismaInterfaceFields("CatalogEntity", (t) => ({
  reviews: t.connection(
    {
      type: ProductReview,
      complexity: pageComplexity,
      description:
        "Reviews, newest first: published ones for the public; merchants (reviews:read) see all, or one `status`.",
      args: {
        status: t.arg({ type: ProductReviewStatusEnum, description: "Merchants only; ignored for everyone else." }),
      },
      // Planned into the entities' own query: a page of entities reads every entity's reviews in its statement.
      select: (args, ctx, nestedSelection) => ({
        reviews: relationPageQuery(args, (page) =>
          nestedSelection(
            {
              where: reviewsWhere({ merchant: isModerator(ctx), status: args.status }),
              orderBy: NEWEST_FIRST,
              ...page,
            },
            ["edges", "node"],
          ),
        ),
      }),
      resolve: async (entity, args, ctx) => ({
        ...(await relationConnection(args, ctx, entity.reviews, {
          field: "CatalogEntity.reviews",
          model: ctx.prisma.catalogEntity,
          parentId: entity.id,
          relation: "reviews",
          where: reviewsWhere({ merchant: isModerator(ctx), status: args.status }),
        })),
        entityId: entity.id,
      }),
    },
    {
      name: "ProductReviewConnection",
      fields: (t) => ({
        ...totalCountField(t),
        ratingSummary: t.field({
          type: RatingSummary,
          description: "The entity's ratingSummary (published reviews), here too for clients that read one list.",
          resolve: (connection, _args, ctx) => ratingSummaryOf(ctx, (connection as { entityId: string }).entityId),
        }),
      }),
    },
  ),
  ratingSummary: t.field({
    type: RatingSummary,
    description: "Average and count per star of the published reviews (one statement for every entity of the request).",
    resolve: (entity, _args, ctx) => ratingSummaryOf(ctx, entity.id),
  }),
}));

const ProductReviewFilter = builder.inputType("ProductReviewFilter", {
  fields: (t) => ({ status: t.field({ type: ProductReviewStatusEnum }), entityId: t.id() }),
});

builder.queryFields((t) => ({
  productReviews: t.connection(
    {
      type: ProductReview,
      complexity: pageComplexity,
      description:
        "Every review of the store, newest first (merchants: reviews:read), e.g. the pending ones to moderate.",
      authScopes: { permission: "reviews:read" },
      args: { filter: t.arg({ type: ProductReviewFilter }) },
      resolve: (_root, args, ctx, info) =>
        modelConnection(args, ctx, info, {
          typeName: "ProductReview",
          model: ctx.prisma.productReview,
          where: reviewListWhere(ctx.storeId, args.filter ?? {}),
          orderBy: NEWEST_FIRST,
        }),
    },
    { name: "ProductReviewListConnection", fields: totalCountField },
  ),
}));

const WriteProductReviewInput = builder.inputType("WriteProductReviewInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    rating: t.int({ required: true, description: "1 to 5." }),
    title: t.string({ required: true }),
    text: t.string({ required: true }),
  }),
});

const ModerateProductReviewInput = builder.inputType("ModerateProductReviewInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    status: t.field({ type: ProductReviewStatusEnum, description: "published or hidden." }),
    reply: t.string({ description: "The merchant's public answer; null removes it." }),
  }),
});

builder.mutationFields((t) => ({
  writeProductReview: t.field({
    type: ProductReview,
    description:
      `The signed-in customer reviews a product they received (a fulfilled line of one of their orders; FORBIDDEN otherwise), ` +
      `once (CONFLICT for a second). The review is ${DEFAULT_REVIEW_STATUS} until a merchant publishes it.`,
    authScopes: { customer: true },
    args: { input: t.arg({ type: WriteProductReviewInput, required: true }) },
    errors: mutationResult("WriteProductReview", "review"),
    resolve: (_root, { input }, ctx) => writeReview(ctx.scope, input),
  }),
  moderateProductReview: t.field({
    type: ProductReview,
    description: "Publish or hide a review (pending -> published | hidden, published <-> hidden) and/or reply to it.",
    authScopes: { permission: "reviews:moderate" },
    args: { input: t.arg({ type: ModerateProductReviewInput, required: true }) },
    errors: mutationResult("ModerateProductReview", "review"),
    resolve: (_root, { input }, ctx) => moderateReview(ctx.scope, input),
  }),
}));
