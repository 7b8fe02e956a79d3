import { effectOf, type PricedLine, type PromotionRule, subtotalOf } from "../promotions/rules.js";

/** The store's charges (seed 003's store config): tax rate, flat shipping, free-shipping threshold. */
export interface StoreCharges {
  /** Basis points: 1000 = 10%. */
  taxRateBps: number;
  shippingEnabled: boolean;
  flatShippingAmount: number;
  freeShippingThreshold: number | null;
}

export interface LineTotals {
  key: string;
  subtotal: number;
  discount: number;
  total: number;
}

export interface Totals {
  subtotal: number;
  discount: number;
  tax: number;
  shipping: number;
  total: number;
  lines: LineTotals[];
  /** The promotions that gave something, with what each gave. */
  appliedPromotions: { id: string; code: string; amount: number; freeShipping: boolean }[];
}

/**
 * Splits `amount` over lines in proportion to their weights, in whole minor units that add up exactly
 * (largest remainder), so every order line carries its share of an order-level discount.
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || amount === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (amount * w) / total);
  const shares = exact.map(Math.floor);
  let rest = amount - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (rest-- <= 0) break;
    shares[i]! += 1;
  }
  return shares;
}

/**
 * The server's totals for priced lines: promotions in the order given (item-level first, then order
 * level), discount never above the subtotal, shipping from the store's flat rate unless free, tax on the
 * discounted subtotal. All integer minor units.
 */
export function computeTotals(
  lines: readonly PricedLine[],
  promotions: readonly PromotionRule[],
  charges: StoreCharges,
): Totals {
  const subtotal = subtotalOf(lines);
  const remaining = new Map(lines.map((line) => [line.key, line.unitPrice * line.quantity]));
  const lineDiscount = new Map(lines.map((line) => [line.key, 0]));
  const appliedPromotions: Totals["appliedPromotions"] = [];
  let freeShipping = false;

  const ordered = [...promotions].sort(
    (a, b) => Number(b.type === "percentage_off_item") - Number(a.type === "percentage_off_item"),
  );
  for (const rule of ordered) {
    const effect = effectOf(rule, lines, remaining);
    let given = 0;
    for (const [key, amount] of effect.lineDiscounts) {
      remaining.set(key, remaining.get(key)! - amount);
      lineDiscount.set(key, lineDiscount.get(key)! + amount);
      given += amount;
    }
    if (effect.orderDiscount > 0) {
      const keys = [...remaining.keys()];
      const shares = allocate(
        effect.orderDiscount,
        keys.map((k) => remaining.get(k)!),
      );
      keys.forEach((key, i) => {
        remaining.set(key, remaining.get(key)! - shares[i]!);
        lineDiscount.set(key, lineDiscount.get(key)! + shares[i]!);
      });
      given += effect.orderDiscount;
    }
    freeShipping ||= effect.freeShipping;
    if (given > 0 || effect.freeShipping) {
      appliedPromotions.push({ id: rule.id, code: rule.code, amount: given, freeShipping: effect.freeShipping });
    }
  }

  const discount = [...lineDiscount.values()].reduce((a, b) => a + b, 0);
  const discounted = subtotal - discount;
  const qualifiesForFree = charges.freeShippingThreshold !== null && discounted >= charges.freeShippingThreshold;
  const shipping =
    !charges.shippingEnabled || lines.length === 0 || freeShipping || qualifiesForFree ? 0 : charges.flatShippingAmount;
  const tax = Math.floor((discounted * charges.taxRateBps + 5_000) / 10_000);
  return {
    subtotal,
    discount,
    tax,
    shipping,
    total: discounted + tax + shipping,
    lines: lines.map((line) => {
      const lineSubtotal = line.unitPrice * line.quantity;
      const d = lineDiscount.get(line.key)!;
      return { key: line.key, subtotal: lineSubtotal, discount: d, total: lineSubtotal - d };
    }),
    appliedPromotions,
  };
}
