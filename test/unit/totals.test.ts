import { describe, expect, it } from "vitest";
import { allocate, computeTotals, type StoreCharges } from "../../src/domain/checkout/totals.js";
import { type PricedLine, type PromotionRule, rejectionFor } from "../../src/domain/promotions/rules.js";

const charges: StoreCharges = {
  taxRateBps: 1000,
  shippingEnabled: true,
  flatShippingAmount: 500,
  freeShippingThreshold: 10_000,
};
const line = (key: string, unitPrice: number, quantity = 1, entityId = `e-${key}`): PricedLine => ({
  key,
  entityId,
  variantId: null,
  unitPrice,
  quantity,
});
const rule = (overrides: Partial<PromotionRule>): PromotionRule => ({
  id: "p",
  code: "CODE",
  type: "percentage_off_order",
  value: 10,
  currency: null,
  minSubtotal: null,
  entityIds: [],
  validFrom: null,
  validUntil: null,
  usageLimit: null,
  perCustomerLimit: null,
  usageCount: 0,
  active: true,
  ...overrides,
});

describe("computeTotals", () => {
  it("adds tax on the discounted subtotal and flat shipping below the threshold", () => {
    const totals = computeTotals([line("a", 2000, 2)], [], charges);
    expect(totals).toMatchObject({ subtotal: 4000, discount: 0, tax: 400, shipping: 500, total: 4900 });
  });

  it("ships free from the threshold, after discounts", () => {
    expect(computeTotals([line("a", 10_000)], [], charges).shipping).toBe(0);
    expect(computeTotals([line("a", 10_000)], [rule({ value: 10 })], charges).shipping).toBe(500);
    expect(computeTotals([line("a", 100)], [rule({ type: "free_shipping" })], charges).shipping).toBe(0);
  });

  it("applies item discounts before order discounts and allocates order discounts to lines exactly", () => {
    const totals = computeTotals(
      [line("a", 1000, 1, "x"), line("b", 2001, 1, "y")],
      [
        rule({ type: "fixed_amount_off_order", value: 100 }),
        rule({ id: "q", code: "ITEM", type: "percentage_off_item", value: 50, entityIds: ["x"] }),
      ],
      charges,
    );
    expect(totals.lines.find((l) => l.key === "a")!.discount).toBeGreaterThanOrEqual(500);
    expect(totals.discount).toBe(600);
    expect(totals.lines.reduce((s, l) => s + l.discount, 0)).toBe(600);
    expect(totals.appliedPromotions.map((p) => [p.code, p.amount])).toEqual([
      ["ITEM", 500],
      ["CODE", 100],
    ]);
  });

  it("never discounts below zero", () => {
    const totals = computeTotals([line("a", 300)], [rule({ type: "fixed_amount_off_order", value: 5000 })], charges);
    expect(totals.discount).toBe(300);
    expect(totals.tax).toBe(0);
  });
});

describe("allocate", () => {
  it("splits in whole units that add up", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
    expect(allocate(7, [0, 0])).toEqual([0, 0]);
  });
});

describe("rejectionFor", () => {
  const context = { currency: "USD", lines: [line("a", 5000)], now: new Date("2025-06-01") };
  it("names why a promotion does not apply", () => {
    expect(rejectionFor(rule({}), context)).toBeNull();
    expect(rejectionFor(rule({ active: false }), context)).toBe("INACTIVE");
    expect(rejectionFor(rule({ validFrom: new Date("2025-07-01") }), context)).toBe("NOT_STARTED");
    expect(rejectionFor(rule({ validUntil: new Date("2025-05-01") }), context)).toBe("EXPIRED");
    expect(rejectionFor(rule({ usageLimit: 1, usageCount: 1 }), context)).toBe("USAGE_LIMIT_REACHED");
    expect(rejectionFor(rule({ perCustomerLimit: 1 }), { ...context, customerRedemptions: 1 })).toBe(
      "CUSTOMER_LIMIT_REACHED",
    );
    expect(rejectionFor(rule({ currency: "EUR" }), context)).toBe("CURRENCY_MISMATCH");
    expect(rejectionFor(rule({ minSubtotal: 6000 }), context)).toBe("MIN_SUBTOTAL_NOT_MET");
    expect(rejectionFor(rule({ type: "percentage_off_item", entityIds: ["other"] }), context)).toBe(
      "NO_ELIGIBLE_ITEMS",
    );
  });
});
