import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type PriceContext, type PriceRequest, resolvePrices } from "../../src/domain/pricing/resolve.js";
import { useTestApp } from "../helpers/app.js";

// The resolution rules, against real rows (the validity and currency filters are SQL), one entity per test.
// Rows written directly, not through the API: a unit test of resolvePrices, and some rows are ones the API
// refuses on purpose (a lower-case currency, a back-dated createdAt) to prove the resolver's own filters.
const t = useTestApp();

const DAY = 24 * 60 * 60 * 1000;
const now = new Date();
const usd = (customerGroupIds: string[] = []): PriceContext => ({ currency: "USD", customerGroupIds, now });

async function fixture() {
  const { prisma } = t.app.db;
  const storeId = t.app.defaultStoreId;
  const entity = await prisma.catalogEntity.create({
    data: { storeId, type: "product", slug: `rules-${randomUUID()}`, status: "active" },
  });
  const variant = await prisma.variant.create({
    data: { storeId, entityId: entity.id, sku: `R-${randomUUID()}`, optionKey: "a" },
  });
  const other = await prisma.variant.create({
    data: { storeId, entityId: entity.id, sku: `R-${randomUUID()}`, optionKey: "b" },
  });
  const group = await prisma.customerGroup.create({ data: { storeId, name: "G", slug: `g-${randomUUID()}` } });
  const price = (data: {
    amount: number;
    variantId?: string;
    customerGroupId?: string;
    minQuantity?: number;
    currency?: string;
    validFrom?: Date;
    validUntil?: Date;
    createdAt?: Date;
  }) => prisma.price.create({ data: { storeId, entityId: entity.id, currency: "USD", ...data } });
  const modifier = (data: {
    type: string;
    value: number;
    priority?: number;
    variantId?: string;
    customerGroupId?: string;
    currency?: string;
    minQuantity?: number;
    active?: boolean;
    validUntil?: Date;
  }) => prisma.priceModifier.create({ data: { storeId, name: data.type, entityId: entity.id, ...data } });
  const resolve = (items: Omit<PriceRequest, "entityId">[], context = usd()) =>
    resolvePrices(
      prisma,
      storeId,
      items.map((i) => ({ entityId: entity.id, ...i })),
      context,
    );
  return { entity, variant, other, group, price, modifier, resolve };
}

describe("resolvePrices: which price record", () => {
  it("prefers variant + group, then variant, then entity + group, then entity", async () => {
    const f = await fixture();
    await f.price({ amount: 1000 });
    expect((await f.resolve([{ variantId: f.variant.id, quantity: 1 }], usd([f.group.id])))[0]?.amount).toBe(1000);
    await f.price({ amount: 900, customerGroupId: f.group.id });
    expect((await f.resolve([{ variantId: f.variant.id, quantity: 1 }], usd([f.group.id])))[0]?.amount).toBe(900);
    await f.price({ amount: 950, variantId: f.variant.id });
    expect((await f.resolve([{ variantId: f.variant.id, quantity: 1 }], usd([f.group.id])))[0]?.amount).toBe(950);
    await f.price({ amount: 850, variantId: f.variant.id, customerGroupId: f.group.id });
    const [grouped, otherVariant, entityLevel] = await f.resolve(
      [
        { variantId: f.variant.id, quantity: 1 },
        { variantId: f.other.id, quantity: 1 },
        { variantId: null, quantity: 1 },
      ],
      usd([f.group.id]),
    );
    expect(grouped?.amount).toBe(850);
    expect(otherVariant?.amount).toBe(900);
    expect(entityLevel?.amount).toBe(900);
    const withoutGroup = await f.resolve([
      { variantId: f.variant.id, quantity: 1 },
      { variantId: null, quantity: 1 },
    ]);
    expect(withoutGroup.map((p) => p?.amount)).toEqual([950, 1000]);
  });

  it("takes the highest minQuantity reached, then the newest", async () => {
    const f = await fixture();
    await f.price({ amount: 1000, createdAt: new Date(now.getTime() - 2 * DAY) });
    const newest = await f.price({ amount: 990, createdAt: new Date(now.getTime() - DAY) });
    await f.price({ amount: 800, minQuantity: 10 });
    await f.price({ amount: 700, minQuantity: 50 });
    const [one, nine, ten, fifty] = await f.resolve([1, 9, 10, 75].map((quantity) => ({ variantId: null, quantity })));
    expect(one).toMatchObject({ amount: 990, baseAmount: 990, priceId: newest.id, modifierIds: [] });
    expect(nine?.amount).toBe(990);
    expect(ten?.amount).toBe(800);
    expect(fifty?.amount).toBe(700);
  });

  it("uses only prices valid now and in exactly the currency asked for", async () => {
    const f = await fixture();
    await f.price({ amount: 1000 });
    await f.price({ amount: 1, validFrom: new Date(now.getTime() + DAY) });
    await f.price({ amount: 2, validUntil: new Date(now.getTime() - DAY) });
    await f.price({ amount: 3, currency: "usd" });
    await f.price({ amount: 4, currency: "EUR" });
    await f.price({ amount: 950, validFrom: new Date(now.getTime() - DAY), validUntil: new Date(now.getTime() + DAY) });
    expect((await f.resolve([{ variantId: null, quantity: 1 }]))[0]?.amount).toBe(950);
    expect((await f.resolve([{ variantId: null, quantity: 1 }], { ...usd(), currency: "EUR" }))[0]?.amount).toBe(4);
    expect((await f.resolve([{ variantId: null, quantity: 1 }], { ...usd(), currency: "GBP" }))[0]).toBeNull();
  });

  it("answers null for an item without a price, and ignores group prices of other groups", async () => {
    const f = await fixture();
    await f.price({ amount: 500, customerGroupId: f.group.id });
    expect(await f.resolve([{ variantId: null, quantity: 1 }])).toEqual([null]);
    expect(await f.resolve([{ variantId: null, quantity: 1 }], usd([randomUUID()]))).toEqual([null]);
  });
});

describe("resolvePrices: modifiers", () => {
  it("rounds percentage_off half up and never goes below 0 with fixed_off", async () => {
    const f = await fixture();
    await f.price({ amount: 999 });
    const percent = await f.modifier({ type: "percentage_off", value: 15 });
    // 15% of 999 = 149.85 -> 150 off
    expect((await f.resolve([{ variantId: null, quantity: 1 }]))[0]).toMatchObject({
      amount: 849,
      baseAmount: 999,
      modifierIds: [percent.id],
    });
    await f.modifier({ type: "fixed_off", value: 5000, currency: "USD", priority: -1 });
    expect((await f.resolve([{ variantId: null, quantity: 1 }]))[0]?.amount).toBe(0);
  });

  it("applies in priority order (higher first); fixed_price replaces what came before", async () => {
    const f = await fixture();
    await f.price({ amount: 1000 });
    const fixed = await f.modifier({ type: "fixed_price", value: 500, currency: "USD", priority: 1 });
    const percent = await f.modifier({ type: "percentage_off", value: 10, priority: 2 });
    expect((await f.resolve([{ variantId: null, quantity: 1 }]))[0]).toMatchObject({
      amount: 500,
      modifierIds: [percent.id, fixed.id],
    });
  });

  it("applies only modifiers matching variant, group, currency, quantity, validity and active", async () => {
    const f = await fixture();
    await f.price({ amount: 1000 });
    await f.modifier({ type: "percentage_off", value: 50, variantId: f.other.id });
    await f.modifier({ type: "percentage_off", value: 50, customerGroupId: f.group.id });
    await f.modifier({ type: "fixed_off", value: 100, currency: "EUR" });
    await f.modifier({ type: "percentage_off", value: 50, minQuantity: 10 });
    await f.modifier({ type: "percentage_off", value: 50, active: false });
    await f.modifier({ type: "percentage_off", value: 50, validUntil: new Date(now.getTime() - DAY) });
    expect((await f.resolve([{ variantId: f.variant.id, quantity: 1 }]))[0]).toMatchObject({
      amount: 1000,
      modifierIds: [],
    });
    expect((await f.resolve([{ variantId: f.other.id, quantity: 1 }]))[0]?.amount).toBe(500);
    expect((await f.resolve([{ variantId: f.variant.id, quantity: 1 }], usd([f.group.id])))[0]?.amount).toBe(500);
    expect((await f.resolve([{ variantId: f.variant.id, quantity: 10 }]))[0]?.amount).toBe(500);
  });

  it("does not invent a price: modifiers need a price record", async () => {
    const f = await fixture();
    await f.modifier({ type: "fixed_price", value: 100, currency: "USD" });
    expect(await f.resolve([{ variantId: null, quantity: 1 }])).toEqual([null]);
  });
});

describe("resolvePrices: statements", () => {
  it("uses at most 2 SQL statements for any number of items, none for no items", async () => {
    const f = await fixture();
    await f.price({ amount: 1000 });
    await f.modifier({ type: "percentage_off", value: 10 });
    const count = async (items: number) => {
      const before = t.app.db.statementCount();
      const prices = await f.resolve(
        Array.from({ length: items }, (_, i) => ({ variantId: i % 2 ? f.variant.id : null, quantity: 1 + i })),
      );
      expect(prices).toHaveLength(items);
      return t.app.db.statementCount() - before;
    };
    expect(await count(0)).toBe(0);
    expect(await count(1)).toBeLessThanOrEqual(2);
    expect(await count(50)).toBeLessThanOrEqual(2);
  });
});
