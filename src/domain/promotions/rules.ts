/**
 * What a promotion is and whether it applies: pure functions over a promotion row and a priced cart,
 * shared by promotion validation, cart totals and checkout.
 */
export const PROMOTION_TYPES = [
  "percentage_off_order",
  "fixed_amount_off_order",
  "percentage_off_item",
  "free_shipping",
] as const;
export type PromotionType = (typeof PROMOTION_TYPES)[number];

/** Why a code does not apply; clients branch on these. */
export const PROMOTION_REJECTIONS = [
  "NOT_FOUND",
  "INACTIVE",
  "NOT_STARTED",
  "EXPIRED",
  "USAGE_LIMIT_REACHED",
  "CUSTOMER_LIMIT_REACHED",
  "MIN_SUBTOTAL_NOT_MET",
  "CURRENCY_MISMATCH",
  "NO_ELIGIBLE_ITEMS",
] as const;
export type PromotionRejection = (typeof PROMOTION_REJECTIONS)[number];

export interface PromotionRule {
  id: string;
  code: string;
  type: string;
  /** Percent (0-100) for percentage types, minor units for fixed amounts. */
  value: number;
  currency: string | null;
  minSubtotal: number | null;
  entityIds: string[];
  validFrom: Date | null;
  validUntil: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  usageCount: number;
  active: boolean;
}

export interface PricedLine {
  /** Identifies the line (cart item id, or an index) so discounts can be attributed to it. */
  key: string;
  entityId: string;
  variantId: string | null;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
}

export interface PromotionContext {
  currency: string;
  lines: readonly PricedLine[];
  now: Date;
  /** How often this customer (or email) already redeemed the promotion. */
  customerRedemptions?: number;
}

export function subtotalOf(lines: readonly PricedLine[]): number {
  return lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
}

function eligibleLines(rule: PromotionRule, lines: readonly PricedLine[]): readonly PricedLine[] {
  if (rule.type !== "percentage_off_item" || rule.entityIds.length === 0) return lines;
  return lines.filter((line) => rule.entityIds.includes(line.entityId));
}

/** null when the promotion applies to this cart, else the first reason it does not. */
export function rejectionFor(rule: PromotionRule, context: PromotionContext): PromotionRejection | null {
  if (!rule.active) return "INACTIVE";
  if (rule.validFrom && context.now < rule.validFrom) return "NOT_STARTED";
  if (rule.validUntil && context.now > rule.validUntil) return "EXPIRED";
  if (rule.usageLimit !== null && rule.usageCount >= rule.usageLimit) return "USAGE_LIMIT_REACHED";
  if (rule.perCustomerLimit !== null && (context.customerRedemptions ?? 0) >= rule.perCustomerLimit) {
    return "CUSTOMER_LIMIT_REACHED";
  }
  if (rule.currency && rule.currency !== context.currency) return "CURRENCY_MISMATCH";
  if (rule.minSubtotal !== null && subtotalOf(context.lines) < rule.minSubtotal) return "MIN_SUBTOTAL_NOT_MET";
  if (eligibleLines(rule, context.lines).length === 0) return "NO_ELIGIBLE_ITEMS";
  return null;
}

/** Integer percentage of an amount, rounded half up (money stays in minor units). */
export function percentOf(amount: number, percent: number): number {
  return Math.floor((amount * percent + 50) / 100);
}

export interface PromotionEffect {
  /** Discount per line key (item-level promotions), minor units. */
  lineDiscounts: Map<string, number>;
  /** Discount on the order as a whole, minor units. */
  orderDiscount: number;
  freeShipping: boolean;
}

/**
 * The discount a promotion gives on lines already reduced by earlier promotions (`remaining`: what
 * is left of each line's subtotal). Never more than what is left.
 */
export function effectOf(
  rule: PromotionRule,
  lines: readonly PricedLine[],
  remaining: Map<string, number>,
): PromotionEffect {
  const effect: PromotionEffect = { lineDiscounts: new Map(), orderDiscount: 0, freeShipping: false };
  const left = [...remaining.values()].reduce((a, b) => a + b, 0);
  switch (rule.type as PromotionType) {
    case "percentage_off_item":
      for (const line of eligibleLines(rule, lines)) {
        const base = remaining.get(line.key) ?? 0;
        effect.lineDiscounts.set(line.key, Math.min(base, percentOf(base, rule.value)));
      }
      break;
    case "percentage_off_order":
      effect.orderDiscount = Math.min(left, percentOf(left, rule.value));
      break;
    case "fixed_amount_off_order":
      effect.orderDiscount = Math.min(left, rule.value);
      break;
    case "free_shipping":
      effect.freeShipping = true;
      break;
  }
  return effect;
}
