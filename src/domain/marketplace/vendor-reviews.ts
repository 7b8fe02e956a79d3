import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { customerIdOf, vendorOf } from "../auth/actor.js";
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from "../errors.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { isUuid, parseInput } from "../validation.js";
import { isMarketplaceAdmin, MARKETPLACE_ADMIN } from "./vendors.js";

type Db = Pick<Scope["prisma"], "$queryRaw">;

/**
 * Whether a buyer may review a vendor: the order that proves a delivered purchase from it, or null:
 * an order of the customer with a delivered sub-order of the vendor. The one place that decides it.
 */
export async function reviewEligibleOrder(
  db: Db,
  storeId: string,
  customerId: string,
  vendorId: string,
): Promise<string | null> {
  // A delivered sub-order of this vendor in an order of the customer (marketplace/sub-orders.ts).
  const [row] = await db.$queryRaw<{ id: string }[]>`
    SELECT o.id FROM "order" o
      JOIN sub_order s ON s."orderId" = o.id
     WHERE o."storeId" = ${storeId}::uuid AND o."customerId" = ${customerId}::uuid
       AND s."vendorId" = ${vendorId}::uuid AND s.status = 'delivered'
     ORDER BY o."createdAt" LIMIT 1`;
  return row?.id ?? null;
}

/** The reviews of a vendor the caller sees: hidden ones only for the admin and the vendor itself. */
export function vendorReviewsWhere(scope: Pick<Scope, "actor">, vendorId: string): Prisma.VendorReviewWhereInput {
  const seesHidden = isMarketplaceAdmin(scope) || vendorOf(scope.actor) === vendorId;
  return seesHidden ? {} : { hidden: false };
}

const CreateReviewInput = z.object({
  vendorId: z.string(),
  rating: z.number().int().min(1).max(5),
  body: z.string().trim().max(5000).nullish(),
});

/** A buyer reviews a vendor once, after a delivered purchase from it (reviewEligibleOrder). */
export async function createVendorReview(scope: Scope, input: unknown) {
  const customerId = customerIdOf(scope.actor);
  if (!customerId) {
    if (scope.actor.kind === "anonymous" || scope.actor.kind === "publishableKey")
      throw new UnauthorizedError("Sign in as a customer to review a vendor.");
    throw new ForbiddenError("Only buyers review vendors: sign in as a customer.");
  }
  const data = parseInput(CreateReviewInput, input);
  if (vendorOf(scope.actor) === data.vendorId) throw new ForbiddenError("A vendor cannot review itself.");
  const vendor = isUuid(data.vendorId)
    ? await scope.prisma.vendor.findFirst({
        where: { id: data.vendorId, storeId: scope.storeId, status: "approved" },
        select: { id: true },
      })
    : null;
  if (!vendor) throw new NotFoundError("Vendor", data.vendorId);
  return withPrismaErrors("vendor review", () =>
    scope.prisma.$transaction(async (tx) => {
      const orderId = await reviewEligibleOrder(tx, scope.storeId, customerId, vendor.id);
      if (!orderId) {
        throw new ForbiddenError("Only a buyer with a delivered purchase from this vendor can review it.");
      }
      const review = await tx.vendorReview.create({
        data: {
          storeId: scope.storeId,
          vendorId: vendor.id,
          customerId,
          orderId,
          rating: data.rating,
          body: data.body ?? null,
        },
      });
      await recordChange(tx, {
        ...changedBy(scope),
        event: "vendor.review_created",
        entityType: "vendor_review",
        entityId: review.id,
        after: review,
      });
      return review;
    }),
  );
}

const UpdateReviewInput = z.object({
  vendorId: z.string(),
  reviewId: z.string(),
  hidden: z.boolean().nullish(),
  reply: z.string().trim().min(1).max(5000).nullish(),
});

/** The admin hides (or shows) a review; the vendor replies to one of its own. Nobody else changes reviews. */
export async function updateVendorReview(scope: Scope, input: unknown) {
  const data = parseInput(UpdateReviewInput, input);
  const admin = isMarketplaceAdmin(scope);
  const own = vendorOf(scope.actor) === data.vendorId;
  if (!admin && !own) {
    if (vendorOf(scope.actor)) throw new NotFoundError("Vendor review", data.reviewId);
    throw new ForbiddenError(`Hiding reviews needs ${MARKETPLACE_ADMIN}; replying is for the vendor.`);
  }
  if (data.hidden != null && !admin)
    throw ValidationError.field("hidden", "admin_only", "Only the marketplace admin hides reviews.");
  if (data.reply != null && !own)
    throw ValidationError.field("reply", "vendor_only", "Only the vendor replies to its reviews.");
  if (data.hidden == null && data.reply == null)
    throw ValidationError.field("hidden", "required", "Give hidden (admin) or reply (vendor).");
  return scope.prisma.$transaction(async (tx) => {
    const before =
      isUuid(data.reviewId) && isUuid(data.vendorId)
        ? await tx.vendorReview.findFirst({
            where: { id: data.reviewId, vendorId: data.vendorId, storeId: scope.storeId },
          })
        : null;
    if (!before) throw new NotFoundError("Vendor review", data.reviewId);
    const review = await tx.vendorReview.update({
      where: { id: before.id },
      data: {
        ...(data.hidden != null ? { hidden: data.hidden } : {}),
        ...(data.reply != null ? { reply: data.reply, repliedAt: new Date() } : {}),
      },
    });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "vendor.review_updated",
      entityType: "vendor_review",
      entityId: review.id,
      before,
      after: review,
    });
    return review;
  });
}

/** Average rating (two decimals) and count of the visible reviews of each vendor, in one statement. */
export async function vendorRatings(prisma: Scope["prisma"], vendorIds: readonly string[]) {
  const rows = await prisma.vendorReview.groupBy({
    by: ["vendorId"],
    where: { vendorId: { in: [...vendorIds] }, hidden: false },
    _avg: { rating: true },
    _count: { _all: true },
  });
  const byId = new Map(
    rows.map((r) => [
      r.vendorId,
      { average: r._avg.rating == null ? null : Math.round(r._avg.rating * 100) / 100, count: r._count._all },
    ]),
  );
  return vendorIds.map((id) => byId.get(id) ?? { average: null, count: 0 });
}
