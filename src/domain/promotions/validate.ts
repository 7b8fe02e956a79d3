import { z } from "zod";
import { computeTotals, type StoreCharges } from "../checkout/totals.js";
import type { Scope } from "../scope.js";
import { amount, currencyCode, MAX_AMOUNT } from "../stores/currency.js";
import { parseInput, uuid } from "../validation.js";
import { normalizeCode, redemptionsByCustomer } from "./load.js";
import { type PricedLine, type PromotionRejection, type PromotionRule, rejectionFor } from "./rules.js";

/** What a shopper holding the code may know about its promotion (no limits, counts or metadata). */
export interface PromotionSummary {
  id: string;
  code: string;
  name: string;
  type: string;
  value: number;
  currency: string | null;
}

export interface PromotionValidation {
  valid: boolean;
  code: string;
  reason: PromotionRejection | null;
  /** Minor units this promotion takes off these line items (0 when not valid). */
  discount: number;
  freeShipping: boolean;
  /** null when no promotion has the code. */
  promotion: PromotionSummary | null;
}

const LineItem = z
  .object({
    entityId: uuid,
    entityType: z.string().max(40).nullish(),
    quantity: z.int().min(1).max(100_000),
    unitPrice: amount,
    totalPrice: amount.nullish(),
  })
  .superRefine((line, ctx) => {
    if (line.totalPrice != null && line.totalPrice !== line.quantity * line.unitPrice) {
      ctx.addIssue({ code: "custom", path: ["totalPrice"], message: "must be quantity × unitPrice" });
    }
  });

// Seed 002's body. customerGroupIds is accepted for compatibility: promotions have no group conditions.
export const ValidatePromotionInput = z
  .object({
    code: z.string().trim().min(1).max(100),
    currency: currencyCode,
    subtotal: amount.nullish(),
    lineItems: z.array(LineItem).max(500),
    customerId: uuid.nullish(),
    customerGroupIds: z.array(uuid).max(100).nullish(),
  })
  .superRefine((input, ctx) => {
    const sum = input.lineItems.reduce((total, line) => total + line.quantity * line.unitPrice, 0);
    if (sum > MAX_AMOUNT) {
      ctx.addIssue({ code: "custom", path: ["lineItems"], message: `must add up to at most ${MAX_AMOUNT}` });
    } else if (input.subtotal != null && input.subtotal !== sum) {
      ctx.addIssue({ code: "custom", path: ["subtotal"], message: `must be the sum of the line items (${sum})` });
    }
  });

/** Discounts do not depend on tax or shipping, so totals are computed without any. */
const NO_CHARGES: StoreCharges = {
  taxRateBps: 0,
  shippingEnabled: false,
  flatShippingAmount: 0,
  freeShippingThreshold: null,
};

/**
 * Whether a code applies to a cart the client describes, and what it would give. A what-if: the
 * prices are the client's, nothing is reserved or counted, and checkout decides again with its own.
 * The per-customer limit is only known when customerId is given.
 */
export async function validatePromotionCode(
  scope: Pick<Scope, "prisma" | "storeId">,
  input: unknown,
  now = new Date(),
): Promise<PromotionValidation> {
  const data = parseInput(ValidatePromotionInput, input);
  const code = normalizeCode(data.code);
  const rule = await scope.prisma.promotion.findUnique({ where: { storeId_code: { storeId: scope.storeId, code } } });
  if (!rule) return { valid: false, code, reason: "NOT_FOUND", discount: 0, freeShipping: false, promotion: null };

  const lines: PricedLine[] = data.lineItems.map((line, i) => ({
    key: String(i),
    entityId: line.entityId,
    variantId: null,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
  }));
  const customerRedemptions =
    rule.perCustomerLimit !== null && data.customerId
      ? ((await redemptionsByCustomer(scope.prisma, [rule.id], { customerId: data.customerId })).get(rule.id) ?? 0)
      : 0;
  const promotion: PromotionSummary = {
    id: rule.id,
    code: rule.code,
    name: rule.name,
    type: rule.type,
    value: rule.value,
    currency: rule.currency,
  };
  const asRule: PromotionRule = rule;
  const reason = rejectionFor(asRule, { currency: data.currency, lines, now, customerRedemptions });
  if (reason) return { valid: false, code: rule.code, reason, discount: 0, freeShipping: false, promotion };

  const totals = computeTotals(lines, [asRule], NO_CHARGES);
  return {
    valid: true,
    code: rule.code,
    reason: null,
    discount: totals.discount,
    freeShipping: totals.appliedPromotions.some((applied) => applied.freeShipping),
    promotion,
  };
}
