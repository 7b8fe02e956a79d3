import { z } from "zod";
import type { Prisma, ProductReview } from "../../generated/prisma/client.js";
import type { Db } from "../../infra/db.js";
import { changedBy, recordChange } from "../audit/record.js";
import { requireCustomer } from "../customers/customers.js";
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";

/**
 * Product reviews (seed 004's "comments"): a customer who received a product (an order line of theirs
 * with a fulfilled unit) reviews it once; the merchant moderates. New reviews wait for the merchant
 * (`pending`), as in Magento, BigCommerce and Salesforce Commerce: a merchant expects nothing to appear on
 * a product page before someone has read it. The public sees published reviews only.
 */
export const REVIEW_STATUSES = ["pending", "published", "hidden"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const DEFAULT_REVIEW_STATUS: ReviewStatus = "pending";

/** Which moderation move may follow which status: a hidden review may be published again and the reverse. */
export const REVIEW_TRANSITIONS: Record<ReviewStatus, readonly ReviewStatus[]> = {
  pending: ["published", "hidden"],
  published: ["hidden"],
  hidden: ["published"],
};

const text = (max: number) => z.string().trim().min(1).max(max);

export const WriteReviewInput = z.object({
  entityId: z.string().min(1),
  rating: z.number().int().min(1).max(5),
  title: text(200),
  text: text(5000),
});

export const ModerateReviewInput = z
  .object({
    id: z.string().min(1),
    status: z.enum(REVIEW_STATUSES).exclude(["pending"]).nullish(),
    /** The merchant's public answer; null removes it. */
    reply: z.string().trim().max(5000).nullish(),
  })
  .refine((v) => v.status != null || v.reply !== undefined, {
    message: "Give a status, a reply, or both.",
    path: ["status"],
  });

/** The reviews a caller may read: the public only published ones; merchants (reviews:read) any, or one status. */
export function reviewsWhere(options: {
  merchant: boolean;
  status?: ReviewStatus | null;
}): Prisma.ProductReviewWhereInput {
  if (!options.merchant) return { status: "published" };
  return options.status ? { status: options.status } : {};
}

/**
 * Writes the signed-in customer's review of a product they received. 404 for a product they cannot see,
 * 403 without a fulfilled order line of it, 409 for a second review of the same product.
 */
export async function writeReview(scope: Scope, input: unknown): Promise<ProductReview> {
  const customerId = requireCustomer(scope);
  const data = parseInput(WriteReviewInput, input);
  const entity = isUuid(data.entityId)
    ? await scope.prisma.catalogEntity.findFirst({
        where: { id: data.entityId, storeId: scope.storeId, status: "active" },
        select: { id: true },
      })
    : null;
  if (!entity) throw new NotFoundError("CatalogEntity", data.entityId);
  return withPrismaErrors("review", () =>
    scope.prisma.$transaction(async (tx) => {
      const delivered = await tx.orderLine.findFirst({
        where: { entityId: entity.id, fulfilledQuantity: { gt: 0 }, order: { storeId: scope.storeId, customerId } },
        select: { orderId: true },
        orderBy: { order: { createdAt: "asc" } },
      });
      if (!delivered) throw new ForbiddenError("Only a customer who received this product can review it.");
      const existing = await tx.productReview.findUnique({
        where: { entityId_customerId: { entityId: entity.id, customerId } },
        select: { id: true },
      });
      if (existing) throw new ConflictError("You have already reviewed this product.", "entityId");
      const customer = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, select: { name: true } });
      // The unique index (entity, customer) settles two concurrent first reviews: the second is a 409.
      const review = await tx.productReview.create({
        data: {
          storeId: scope.storeId,
          entityId: entity.id,
          customerId,
          orderId: delivered.orderId,
          rating: data.rating,
          title: data.title,
          body: data.text,
          status: DEFAULT_REVIEW_STATUS,
          authorName: customer.name ?? null,
        },
      });
      await recordChange(tx, {
        ...changedBy(scope),
        event: "reviews.create",
        entityType: "product_review",
        entityId: review.id,
        after: review,
      });
      return review;
    }),
  );
}

/**
 * A merchant's moderation: publish or hide (a conditional update along REVIEW_TRANSITIONS, 409 with the
 * allowed moves otherwise) and/or reply (null removes the reply). Audited as reviews.moderate.
 */
export async function moderateReview(scope: Scope, input: unknown): Promise<ProductReview> {
  const data = parseInput(ModerateReviewInput, input);
  if (!isUuid(data.id)) throw new NotFoundError("ProductReview", data.id);
  return scope.prisma.$transaction(async (tx) => {
    const before = await tx.productReview.findFirst({ where: { id: data.id, storeId: scope.storeId } });
    if (!before) throw new NotFoundError("ProductReview", data.id);
    const now = new Date();
    const changes: Prisma.ProductReviewUpdateManyMutationInput = {};
    if (data.status && data.status !== before.status) {
      const from = (Object.keys(REVIEW_TRANSITIONS) as ReviewStatus[]).filter((s) =>
        REVIEW_TRANSITIONS[s].includes(data.status!),
      );
      changes.status = data.status;
      if (data.status === "published" && !before.publishedAt) changes.publishedAt = now;
      const { count } = await tx.productReview.updateMany({
        where: { id: before.id, status: { in: from } },
        data: changes,
      });
      if (count === 0) {
        const current = before.status as ReviewStatus;
        throw new InvalidTransitionError("review", current, data.status, REVIEW_TRANSITIONS[current] ?? []);
      }
    }
    if (data.reply !== undefined) {
      const reply = data.reply ? data.reply : null;
      await tx.productReview.update({ where: { id: before.id }, data: { reply, repliedAt: reply ? now : null } });
    }
    const after = await tx.productReview.findUniqueOrThrow({ where: { id: before.id } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "reviews.moderate",
      entityType: "product_review",
      entityId: after.id,
      before,
      after,
    });
    return after;
  });
}

export interface RatingSummary {
  /** Mean of the published ratings, rounded to two decimals; null without any. */
  average: number | null;
  count: number;
  /** Published reviews per star, 1 to 5 (zeros included). */
  counts: { rating: number; count: number }[];
}

/** The published rating summary of each entity, in one grouped statement however many entities. */
export async function ratingSummaries(
  db: Pick<Db, "productReview">,
  entityIds: readonly string[],
): Promise<RatingSummary[]> {
  const rows = entityIds.length
    ? await db.productReview.groupBy({
        by: ["entityId", "rating"],
        where: { entityId: { in: [...entityIds] }, status: "published" },
        _count: { _all: true },
      })
    : [];
  return entityIds.map((entityId) => {
    const counts = [1, 2, 3, 4, 5].map((rating) => ({
      rating,
      count: rows.find((r) => r.entityId === entityId && r.rating === rating)?._count._all ?? 0,
    }));
    const count = counts.reduce((sum, c) => sum + c.count, 0);
    const total = counts.reduce((sum, c) => sum + c.rating * c.count, 0);
    return { average: count ? Math.round((total / count) * 100) / 100 : null, count, counts };
  });
}

/** A merchant filter on review lists: one status, one entity. */
export function reviewListWhere(
  storeId: string,
  filter: { status?: ReviewStatus | null; entityId?: string | null },
): Prisma.ProductReviewWhereInput {
  if (filter.entityId && !isUuid(filter.entityId)) throw ValidationError.field("entityId", "invalid", "must be a UUID");
  return {
    storeId,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
  };
}
