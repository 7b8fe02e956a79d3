import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CommissionRuleShape,
  commissionOf,
  ruleFor,
  splitSubOrder,
} from "../../src/domain/marketplace/commission-math.js";
import { balancesOf, payoutAmount } from "../../src/domain/marketplace/ledger-math.js";
import {
  deriveParentStatus,
  parentPath,
  SUB_ORDER_TRANSITIONS,
} from "../../src/domain/marketplace/sub-order-lifecycle.js";

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n));
const rule = (
  id: string,
  vendorId: string | null,
  categoryId: string | null,
  rateBps: number,
  fixedAmount = 0,
  created = 0,
): CommissionRuleShape => ({
  id,
  vendorId,
  categoryId,
  rateBps,
  fixedAmount,
  createdAt: at(created),
});

describe("commission rules", () => {
  const rules = [
    rule("default", null, null, 1000),
    rule("cat", null, "c1", 1500),
    rule("vendor", "v1", null, 800),
    rule("both", "v1", "c1", 500),
  ];
  it("the most specific rule wins: vendor + category > vendor > category > default", () => {
    expect(ruleFor(rules, { total: 100, vendorId: "v1", categoryIds: ["c1"] })?.id).toBe("both");
    expect(ruleFor(rules, { total: 100, vendorId: "v1", categoryIds: ["c2"] })?.id).toBe("vendor");
    expect(ruleFor(rules, { total: 100, vendorId: "v2", categoryIds: ["c1"] })?.id).toBe("cat");
    expect(ruleFor(rules, { total: 100, vendorId: "v2", categoryIds: [] })?.id).toBe("default");
    expect(ruleFor([rule("other", "v9", null, 100)], { total: 100, vendorId: "v2", categoryIds: [] })).toBeNull();
  });
  it("among equally specific rules the earliest created wins, whatever the order given", () => {
    const a = rule("a", null, "c1", 100, 0, 2);
    const b = rule("b", null, "c2", 200, 0, 1);
    const line = { total: 100, vendorId: "v", categoryIds: ["c1", "c2"] };
    expect(ruleFor([a, b], line)?.id).toBe("b");
    expect(ruleFor([b, a], line)?.id).toBe("b");
  });
  it("rounds the percentage half up per line, adds the fixed part, caps at the line total", () => {
    expect(commissionOf({ rateBps: 1250, fixedAmount: 0 }, 1004)).toBe(126); // 125.5 -> 126
    expect(commissionOf({ rateBps: 1250, fixedAmount: 0 }, 1003)).toBe(125); // 125.375 -> 125
    expect(commissionOf({ rateBps: 1000, fixedAmount: 30 }, 999)).toBe(130); // 99.9 -> 100, + 30
    expect(commissionOf({ rateBps: 0, fixedAmount: 500 }, 200)).toBe(200);
    expect(commissionOf(null, 200)).toBe(0);
    expect(commissionOf({ rateBps: 1000, fixedAmount: 5 }, 0)).toBe(0);
  });
  it("commission + vendor net = subtotal to the cent, for any lines and rules", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (totals, rateBps, fixedAmount) => {
          const split = splitSubOrder(
            [rule("r", null, null, rateBps, fixedAmount)],
            totals.map((total) => ({ total, vendorId: "v", categoryIds: [] })),
          );
          expect(split.commission + split.vendorNet).toBe(split.subtotal);
          expect(split.subtotal).toBe(totals.reduce((a, b) => a + b, 0));
          expect(split.lineCommissions.every((c, i) => c >= 0 && c <= totals[i]! && Number.isInteger(c))).toBe(true);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe("sub-order lifecycle and the parent's status", () => {
  it("a shipped sub-order cannot be cancelled; delivered and cancelled are final", () => {
    expect(SUB_ORDER_TRANSITIONS.shipped).not.toContain("cancelled");
    expect(SUB_ORDER_TRANSITIONS.delivered).toEqual([]);
    expect(SUB_ORDER_TRANSITIONS.cancelled).toEqual([]);
  });
  it("all delivered -> fulfilled, some -> partially_fulfilled, all cancelled -> cancelled", () => {
    expect(deriveParentStatus(["delivered", "delivered"])).toBe("fulfilled");
    expect(deriveParentStatus(["delivered", "cancelled"])).toBe("fulfilled");
    expect(deriveParentStatus(["delivered", "confirmed"])).toBe("partially_fulfilled");
    expect(deriveParentStatus(["shipped", "pending"])).toBe("partially_fulfilled");
    expect(deriveParentStatus(["cancelled", "cancelled"])).toBe("cancelled");
    expect(deriveParentStatus(["confirmed", "pending"])).toBeNull();
    expect(deriveParentStatus([])).toBeNull();
  });
  it("platform-owned lines count as one more part", () => {
    expect(deriveParentStatus(["delivered"], { present: true, allShipped: false })).toBe("partially_fulfilled");
    expect(deriveParentStatus(["delivered"], { present: true, allShipped: true })).toBe("fulfilled");
    expect(deriveParentStatus(["cancelled"], { present: true, allShipped: false })).toBeNull();
  });
  it("the parent walks the order table: a confirmed order passes through processing", () => {
    expect(parentPath("confirmed", "fulfilled")).toEqual(["processing", "fulfilled"]);
    expect(parentPath("partially_fulfilled", "fulfilled")).toEqual(["fulfilled"]);
    expect(parentPath("fulfilled", "partially_fulfilled")).toEqual([]);
    expect(parentPath("pending", "cancelled")).toEqual(["cancelled"]);
  });
});

describe("ledger balance", () => {
  const now = at(100);
  it("is the sum of entries; held credits are pending, debits count at once", () => {
    const [b] = balancesOf(
      [
        { amount: 1000, currency: "USD", availableAt: at(50) },
        { amount: -100, currency: "USD", availableAt: at(50) },
        { amount: 500, currency: "USD", availableAt: at(200) },
        { amount: -50, currency: "USD", availableAt: at(200) },
      ],
      now,
    );
    expect(b).toEqual({ currency: "USD", balance: 1350, payable: 850, pending: 500 });
    expect(payoutAmount(b!)).toBe(850);
  });
  it("never pays a negative balance", () => {
    const [b] = balancesOf([{ amount: -10, currency: "EUR", availableAt: at(0) }], now);
    expect(payoutAmount(b!)).toBe(0);
  });
});
