import type { Prisma } from "../../generated/prisma/client.js";
import { CheckoutFailedError } from "../errors.js";
import { redemptionsByCustomer } from "./load.js";

/** A promotion checkout applied, with what it gave (computeTotals' appliedPromotions). */
export interface AppliedPromotion {
  id: string;
  code: string;
  /** Minor units. */
  amount: number;
}

export interface RedemptionRequest {
  storeId: string;
  orderId: string;
  customerId?: string | null;
  email?: string | null;
  applied: readonly AppliedPromotion[];
}

type RedeemDb = Pick<Prisma.TransactionClient, "$executeRaw" | "promotion" | "promotionRedemption">;

/**
 * Counts the applied promotions as used by an order. Call it inside the checkout transaction, after
 * validating the codes: it is the step that cannot be checked ahead, because other checkouts race for
 * the same usage limit. Throws CHECKOUT_FAILED / PROMOTION_INVALID (rolling the checkout back) when a
 * promotion was used up, deactivated, or reached this customer's limit meanwhile.
 */
export async function redeemPromotions(tx: RedeemDb, request: RedemptionRequest): Promise<void> {
  const email = request.email?.trim().toLowerCase() || null;
  for (const promotion of request.applied) {
    // One conditional UPDATE: PostgreSQL re-checks the WHERE against the latest committed count after
    // waiting for the row lock, so racing checkouts can never push usageCount past usageLimit. The lock
    // is held until commit, which also serialises the per-customer check below.
    const updated = await tx.$executeRaw`
      UPDATE promotion SET "usageCount" = "usageCount" + 1
      WHERE id = ${promotion.id}::uuid AND "storeId" = ${request.storeId}::uuid AND active
        AND ("usageLimit" IS NULL OR "usageCount" < "usageLimit")`;
    if (updated === 0) {
      throw new CheckoutFailedError("PROMOTION_INVALID", `Promotion ${promotion.code} can no longer be redeemed.`, {
        promotionCode: promotion.code,
      });
    }

    const { perCustomerLimit } = await tx.promotion.findUniqueOrThrow({
      where: { id: promotion.id },
      select: { perCustomerLimit: true },
    });
    if (perCustomerLimit !== null && (request.customerId || email)) {
      const used =
        (await redemptionsByCustomer(tx, [promotion.id], { customerId: request.customerId, email })).get(
          promotion.id,
        ) ?? 0;
      if (used >= perCustomerLimit) {
        throw new CheckoutFailedError(
          "PROMOTION_INVALID",
          `Promotion ${promotion.code} was already used the maximum number of times by this customer.`,
          { promotionCode: promotion.code },
        );
      }
    }

    await tx.promotionRedemption.create({
      data: {
        promotionId: promotion.id,
        orderId: request.orderId,
        customerId: request.customerId ?? null,
        email,
        amount: promotion.amount,
      },
    });
  }
}
