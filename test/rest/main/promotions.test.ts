import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CheckoutFailedError } from "../../../src/domain/errors.js";
import { redeemPromotions } from "../../../src/domain/promotions/redeem.js";
import { useTestApp } from "../../helpers/app.js";
import { insertOrder as placeOrder } from "../../helpers/orders.js";

const t = useTestApp();

const DAY = 24 * 60 * 60 * 1000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

let seq = 0;
/** A code no other test uses (the file shares one database). */
const uniqueCode = (prefix: string) => `${prefix}${++seq}`;

interface PromotionBody {
  id: string;
  code: string;
  active: boolean;
  usageCount: number;
  [key: string]: unknown;
}

async function createPromotion(body: Record<string, unknown>): Promise<PromotionBody> {
  const res = await t.request("POST", "/api/promotions", {
    body: { code: uniqueCode("PROMO"), name: "A promotion", type: "percentage_off_order", value: 10, ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

/** An active product through REST; in another store with a key of that store. */
async function createEntity(storeId = t.app.defaultStoreId): Promise<{ id: string }> {
  const key = storeId === t.app.defaultStoreId ? undefined : await t.createKey(["catalog:create"], storeId);
  const res = await t.request("POST", "/api/catalog/entities", {
    key,
    body: { type: "product", slug: `promo-entity-${randomUUID()}`, status: "active" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

/** An order to hang redemptions on, placed through the public API (test/helpers/orders.ts). */
const insertOrder = (storeId = t.app.defaultStoreId) => placeOrder(t, { storeId });

async function otherStore(): Promise<{ id: string }> {
  const res = await t.request("POST", "/api/stores", { body: { slug: `store-${randomUUID()}`, name: "Other store" } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

const ENTITY_A = randomUUID();
const ENTITY_B = randomUUID();
/** 2 × 19.99 of A and 1 × 10.00 of B: subtotal 4998. */
const LINES = [
  { entityId: ENTITY_A, entityType: "product", quantity: 2, unitPrice: 1999, totalPrice: 3998 },
  { entityId: ENTITY_B, entityType: "product", quantity: 1, unitPrice: 1000, totalPrice: 1000 },
];

function validate(code: string, extra: Record<string, unknown> = {}, key: string | null = null) {
  return t.request("POST", "/api/promotions/validate", {
    key,
    body: { code, currency: "USD", subtotal: 4998, lineItems: LINES, ...extra },
  });
}

/**
 * The error paths, dotted. GraphQL's own coercion errors (a string where an Int goes) print list
 * indices as `lineItems[0]` (rest/operation-errors.ts), zod's as `lineItems.0`: compared in one form.
 */
function detailPaths(res: { body: any }): string[] {
  return res.body.error.details.map((d: { path: string }) => d.path.replace(/\[(\d+)\]/g, ".$1")).sort();
}

/** A body with a single line item changed by `patch` (and no subtotal to disagree with it). */
function oneLine(patch: Record<string, unknown>) {
  return { subtotal: undefined, lineItems: [{ ...LINES[0], ...patch }] };
}

describe("POST /api/promotions", () => {
  it("creates seed 002's promotion: 201, code upper-cased, dates coerced", async () => {
    const res = await t.request("POST", "/api/promotions", {
      body: {
        code: "save10",
        name: "Save 10%",
        type: "percentage_off_order",
        value: 10,
        validFrom: "2025-01-01T00:00:00Z",
        validUntil: "2025-12-31T23:59:59Z",
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      code: "SAVE10",
      name: "Save 10%",
      type: "percentage_off_order",
      value: 10,
      currency: null,
      minSubtotal: null,
      entityIds: [],
      validFrom: "2025-01-01T00:00:00.000Z",
      validUntil: "2025-12-31T23:59:59.000Z",
      usageLimit: null,
      perCustomerLimit: null,
      usageCount: 0,
      active: true,
      metadata: {},
    });
    expect(res.body.data.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("takes the optional fields, and a free_shipping promotion without a value", async () => {
    const entity = await createEntity();
    const item = await createPromotion({
      type: "percentage_off_item",
      value: 25,
      currency: "USD",
      minSubtotal: 1000,
      usageLimit: 100,
      perCustomerLimit: 1,
      entityIds: [entity.id, entity.id],
      metadata: { campaign: "spring" },
    });
    expect(item).toMatchObject({
      entityIds: [entity.id],
      minSubtotal: 1000,
      usageLimit: 100,
      perCustomerLimit: 1,
      metadata: { campaign: "spring" },
    });
    const shipping = await createPromotion({ type: "free_shipping", value: undefined });
    expect(shipping).toMatchObject({ type: "free_shipping", value: 0, validFrom: null, validUntil: null });
  });

  it("refuses a duplicate code in any case with 409", async () => {
    const code = uniqueCode("DUP");
    await createPromotion({ code });
    const res = await t.request("POST", "/api/promotions", {
      body: { code: code.toLowerCase(), name: "Again", type: "free_shipping" },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
    expect(res.body.error.message).toContain("code");
  });

  it("allows the same code in another store", async () => {
    const code = uniqueCode("SHARED");
    await createPromotion({ code });
    const store = await otherStore();
    const key = await t.createKey(["promotions:create"], store.id);
    const res = await t.request("POST", "/api/promotions", { key, body: { code, name: "B's", type: "free_shipping" } });
    expect(res.status).toBe(201);
  });

  it.each([
    ["an unknown type", { type: "half_price" }, ["type"]],
    ["a percentage of 0", { value: 0 }, ["value"]],
    ["a percentage over 100", { type: "percentage_off_item", value: 101 }, ["value"]],
    ["a percentage without value", { value: undefined }, ["value"]],
    ["a fixed amount without currency", { type: "fixed_amount_off_order", value: 500 }, ["currency"]],
    ["a fixed amount of 0", { type: "fixed_amount_off_order", value: 0, currency: "USD" }, ["value"]],
    ["a lower-case currency", { type: "fixed_amount_off_order", value: 500, currency: "usd" }, ["currency"]],
    ["a value on free_shipping", { type: "free_shipping", value: 5 }, ["value"]],
    [
      "validUntil before validFrom",
      { validFrom: "2025-06-01T00:00:00Z", validUntil: "2025-05-01T00:00:00Z" },
      ["validUntil"],
    ],
    [
      "validUntil equal to validFrom",
      { validFrom: "2025-06-01T00:00:00Z", validUntil: "2025-06-01T00:00:00Z" },
      ["validUntil"],
    ],
    ["a date that is not ISO 8601", { validFrom: "next tuesday" }, ["validFrom"]],
    ["entityIds on an order promotion", { entityIds: [randomUUID()] }, ["entityIds"]],
    ["a malformed entity id", { type: "percentage_off_item", entityIds: ["nope"] }, ["entityIds.0"]],
    ["an unknown entity", { type: "percentage_off_item", entityIds: [randomUUID()] }, ["entityIds.0"]],
    ["a code with spaces", { code: "SAVE 10" }, ["code"]],
    ["a negative minimum subtotal", { minSubtotal: -1 }, ["minSubtotal"]],
    ["a usage limit of 0", { usageLimit: 0 }, ["usageLimit"]],
    ["an unknown field (GraphQL refuses it before the rest)", { name: " ", colour: "red" }, ["colour"]],
  ])("answers 422 with field paths for %s", async (_label, patch, paths) => {
    const body = { code: uniqueCode("BAD"), name: "Bad", type: "percentage_off_order", value: 10, ...patch };
    const res = await t.request("POST", "/api/promotions", { body });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(detailPaths(res)).toEqual(paths);
  });

  it("reports missing required fields by path", async () => {
    const res = await t.request("POST", "/api/promotions", { body: { value: 10 } });
    expect(res.status).toBe(422);
    expect(detailPaths(res)).toEqual(["code", "name", "type"]);
  });

  it("refuses entities of another store", async () => {
    const store = await otherStore();
    const foreign = await createEntity(store.id);
    const own = await createEntity();
    const res = await t.request("POST", "/api/promotions", {
      body: {
        code: uniqueCode("XSTORE"),
        name: "x",
        type: "percentage_off_item",
        value: 5,
        entityIds: [own.id, foreign.id],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: "entityIds.1", code: "not_found" })]);
  });

  it("needs a key (401) with promotions:create (403)", async () => {
    const body = { code: uniqueCode("AUTH"), name: "x", type: "free_shipping" };
    const anonymous = await t.request("POST", "/api/promotions", { key: null, body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("UNAUTHORIZED");
    for (const permissions of [["promotions:read"], ["promotions:update"], ["catalog:*"]]) {
      const res = await t.request("POST", "/api/promotions", { key: await t.createKey(permissions), body });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
    }
    const ok = await t.request("POST", "/api/promotions", { key: await t.createKey(["promotions:create"]), body });
    expect(ok.status).toBe(201);
  });
});

describe("GET /api/promotions", () => {
  it("lists only active promotions: flag set and now within the window", async () => {
    const current = await createPromotion({ validFrom: iso(-DAY), validUntil: iso(DAY) });
    const open = await createPromotion({});
    const expired = await createPromotion({ validFrom: iso(-2 * DAY), validUntil: iso(-DAY) });
    const future = await createPromotion({ validFrom: iso(DAY) });
    const inactive = await createPromotion({});
    await t.request("POST", `/api/promotions/${inactive.id}/deactivate`);

    const res = await t.request("GET", "/api/promotions?limit=100");
    expect(res.status).toBe(200);
    const codes = res.body.data.map((p: PromotionBody) => p.code);
    expect(codes).toEqual(expect.arrayContaining([current.code, open.code]));
    expect(codes).not.toContain(expired.code);
    expect(codes).not.toContain(future.code);
    expect(codes).not.toContain(inactive.code);
    expect(res.body.data.every((p: PromotionBody) => p.active)).toBe(true);

    const all = await t.request("GET", "/api/promotions?limit=100&includeInactive=true");
    expect(all.body.data.map((p: PromotionBody) => p.code)).toEqual(
      expect.arrayContaining([current.code, open.code, expired.code, future.code, inactive.code]),
    );
  });

  it("paginates newest first with meta.pagination", async () => {
    const a = await createPromotion({});
    const b = await createPromotion({});
    const page1 = await t.request("GET", "/api/promotions?limit=1");
    expect(page1.body.data.map((p: PromotionBody) => p.id)).toEqual([b.id]);
    expect(page1.body.meta.pagination).toMatchObject({ page: 1, limit: 1 });
    expect(page1.body.meta.pagination.total).toBeGreaterThanOrEqual(2);
    const page2 = await t.request("GET", "/api/promotions?limit=1&page=2");
    expect(page2.body.data.map((p: PromotionBody) => p.id)).toEqual([a.id]);
    expect((await t.request("GET", "/api/promotions?page=0")).status).toBe(422);
  });

  it("needs promotions:read, which create and update imply", async () => {
    const anonymous = await t.request("GET", "/api/promotions", { key: null });
    expect(anonymous.status).toBe(401);
    expect((await t.request("GET", "/api/promotions", { key: await t.createKey(["catalog:*"]) })).status).toBe(403);
    for (const permission of ["promotions:read", "promotions:create", "promotions:update"]) {
      expect((await t.request("GET", "/api/promotions", { key: await t.createKey([permission]) })).status).toBe(200);
    }
  });

  it("shows a store only its own promotions", async () => {
    const mine = await createPromotion({});
    const store = await otherStore();
    const res = await t.request("GET", "/api/promotions?limit=100", {
      key: await t.createKey(["promotions:read"], store.id),
    });
    expect(res.status).toBe(200);
    expect(res.body.data.map((p: PromotionBody) => p.id)).not.toContain(mine.id);
  });
});

describe("POST /api/promotions/validate", () => {
  it("is public and answers seed 002's body with the discount", async () => {
    const promotion = await createPromotion({ value: 10, name: "Ten off" });
    const res = await validate(promotion.code.toLowerCase(), {}, null);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      valid: true,
      code: promotion.code,
      reason: null,
      // 10% of 4998, rounded half up.
      discount: 500,
      freeShipping: false,
      promotion: {
        id: promotion.id,
        code: promotion.code,
        name: "Ten off",
        type: "percentage_off_order",
        value: 10,
        currency: null,
      },
    });
  });

  it("answers an unknown code with valid false and NOT_FOUND, not 404", async () => {
    const res = await validate("no-such-code");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      valid: false,
      code: "NO-SUCH-CODE",
      reason: "NOT_FOUND",
      discount: 0,
      freeShipping: false,
      promotion: null,
    });
  });

  describe("discount per promotion type", () => {
    it("percentage_off_order takes the percent of the subtotal", async () => {
      const p = await createPromotion({ type: "percentage_off_order", value: 15 });
      // 15% of 4998 = 749.7 -> 750
      expect((await validate(p.code)).body.data).toMatchObject({ valid: true, discount: 750 });
    });

    it("fixed_amount_off_order takes the amount, never more than the subtotal", async () => {
      const p = await createPromotion({ type: "fixed_amount_off_order", value: 1500, currency: "USD" });
      expect((await validate(p.code)).body.data).toMatchObject({ valid: true, discount: 1500 });
      const big = await createPromotion({ type: "fixed_amount_off_order", value: 10_000, currency: "USD" });
      expect((await validate(big.code)).body.data).toMatchObject({ valid: true, discount: 4998 });
    });

    it("percentage_off_item discounts only the listed entities' lines", async () => {
      const entity = await createEntity();
      const lines = [
        { entityId: entity.id, entityType: "product", quantity: 2, unitPrice: 1999, totalPrice: 3998 },
        { entityId: ENTITY_B, entityType: "product", quantity: 1, unitPrice: 1000, totalPrice: 1000 },
      ];
      const p = await createPromotion({ type: "percentage_off_item", value: 25, entityIds: [entity.id] });
      // 25% of 3998 = 999.5 -> 1000; the other line gets nothing.
      expect((await validate(p.code, { lineItems: lines })).body.data).toMatchObject({ valid: true, discount: 1000 });
      const none = await validate(p.code);
      expect(none.body.data).toMatchObject({ valid: false, reason: "NO_ELIGIBLE_ITEMS", discount: 0 });
      const everything = await createPromotion({ type: "percentage_off_item", value: 50 });
      // No entities listed: every line, 1999 + 500.
      expect((await validate(everything.code)).body.data).toMatchObject({ valid: true, discount: 2499 });
    });

    it("free_shipping gives no discount but free shipping", async () => {
      const p = await createPromotion({ type: "free_shipping", value: 0 });
      expect((await validate(p.code)).body.data).toMatchObject({
        valid: true,
        discount: 0,
        freeShipping: true,
        reason: null,
      });
    });
  });

  describe("rejection reasons", () => {
    it("EXPIRED after validUntil", async () => {
      const p = await createPromotion({ validFrom: iso(-2 * DAY), validUntil: iso(-DAY) });
      const res = await validate(p.code);
      expect(res.body.data).toMatchObject({ valid: false, reason: "EXPIRED", discount: 0, freeShipping: false });
      expect(res.body.data.promotion.id).toBe(p.id);
    });

    it("NOT_STARTED before validFrom", async () => {
      const p = await createPromotion({ validFrom: iso(DAY) });
      expect((await validate(p.code)).body.data).toMatchObject({ valid: false, reason: "NOT_STARTED" });
    });

    it("USAGE_LIMIT_REACHED once usageCount reaches usageLimit", async () => {
      const p = await createPromotion({ usageLimit: 1 });
      expect((await validate(p.code)).body.data.valid).toBe(true);
      const order = await insertOrder();
      await t.app.db.prisma.$transaction((tx) =>
        redeemPromotions(tx, {
          storeId: t.app.defaultStoreId,
          orderId: order.id,
          applied: [{ id: p.id, code: p.code, amount: 500 }],
        }),
      );
      expect((await validate(p.code)).body.data).toMatchObject({ valid: false, reason: "USAGE_LIMIT_REACHED" });
    });

    it("CUSTOMER_LIMIT_REACHED for a customer with a redemption, per customer", async () => {
      const p = await createPromotion({ perCustomerLimit: 1 });
      const customerId = randomUUID();
      const order = await insertOrder();
      await t.app.db.prisma.$transaction((tx) =>
        redeemPromotions(tx, {
          storeId: t.app.defaultStoreId,
          orderId: order.id,
          customerId,
          applied: [{ id: p.id, code: p.code, amount: 500 }],
        }),
      );
      expect((await validate(p.code, { customerId })).body.data).toMatchObject({
        valid: false,
        reason: "CUSTOMER_LIMIT_REACHED",
      });
      expect((await validate(p.code, { customerId: randomUUID() })).body.data.valid).toBe(true);
      expect((await validate(p.code)).body.data.valid).toBe(true);
    });

    it("MIN_SUBTOTAL_NOT_MET below minSubtotal", async () => {
      const p = await createPromotion({ minSubtotal: 5000 });
      expect((await validate(p.code)).body.data).toMatchObject({ valid: false, reason: "MIN_SUBTOTAL_NOT_MET" });
      const enough = await validate(p.code, {
        subtotal: 5000,
        lineItems: [{ entityId: ENTITY_A, entityType: "product", quantity: 1, unitPrice: 5000, totalPrice: 5000 }],
      });
      expect(enough.body.data).toMatchObject({ valid: true, discount: 500 });
    });

    it("CURRENCY_MISMATCH in another currency", async () => {
      const p = await createPromotion({ type: "fixed_amount_off_order", value: 500, currency: "USD" });
      expect((await validate(p.code, { currency: "EUR" })).body.data).toMatchObject({
        valid: false,
        reason: "CURRENCY_MISMATCH",
      });
    });

    it("INACTIVE after deactivate", async () => {
      const p = await createPromotion({});
      await t.request("POST", `/api/promotions/${p.id}/deactivate`);
      expect((await validate(p.code)).body.data).toMatchObject({ valid: false, reason: "INACTIVE" });
    });

    it("NOT_FOUND for a code of another store", async () => {
      const p = await createPromotion({});
      const store = await otherStore();
      const res = await validate(p.code, {}, await t.createKey(["catalog:read"], store.id));
      expect(res.body.data).toMatchObject({ valid: false, reason: "NOT_FOUND", promotion: null });
    });
  });

  it.each([
    ["a missing code and lineItems", { code: undefined, lineItems: undefined }, ["code", "lineItems"]],
    ["a lower-case currency", { currency: "usd" }, ["currency"]],
    ["a zero quantity", oneLine({ quantity: 0, totalPrice: 0 }), ["lineItems.0.quantity"]],
    ["a string quantity", oneLine({ quantity: "two" }), ["lineItems.0.quantity"]],
    ["a malformed entity id", oneLine({ entityId: "widget" }), ["lineItems.0.entityId"]],
    ["a negative unit price", oneLine({ unitPrice: -1, totalPrice: undefined }), ["lineItems.0.unitPrice"]],
    ["a wrong totalPrice", oneLine({ totalPrice: 1 }), ["lineItems.0.totalPrice"]],
    ["a subtotal that is not the lines' sum", { subtotal: 1 }, ["subtotal"]],
    ["a malformed customerId", { customerId: "customer-1" }, ["customerId"]],
    ["an unknown field", { coupon: "x" }, ["coupon"]],
    ["lineItems that are not a list of objects", { lineItems: [1], subtotal: undefined }, ["lineItems.0"]],
    [
      "amounts beyond an Int's range",
      {
        lineItems: [{ ...LINES[0], quantity: 100_000, unitPrice: 2_000_000, totalPrice: undefined }],
        subtotal: undefined,
      },
      ["lineItems"],
    ],
  ])("answers 422 with field paths for %s", async (_label, patch, paths) => {
    const res = await validate("ANY", patch);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(detailPaths(res)).toEqual(paths);
  });

  it("accepts an empty cart (nothing to discount) and customerGroupIds", async () => {
    const p = await createPromotion({});
    const res = await validate(p.code, { subtotal: 0, lineItems: [], customerGroupIds: [randomUUID()] });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ valid: false, reason: "NO_ELIGIBLE_ITEMS" });
  });

  it("answers malformed JSON with 400", async () => {
    const res = await t.request("POST", "/api/promotions/validate", {
      raw: "{nope",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
  });
});

describe("PATCH /api/promotions/:id", () => {
  it("changes the given fields and keeps the id from the path", async () => {
    const p = await createPromotion({ validFrom: iso(-DAY), validUntil: iso(DAY) });
    const other = await createPromotion({});
    const res = await t.request("PATCH", `/api/promotions/${p.id}`, {
      body: {
        id: other.id,
        name: "Renamed",
        value: 20,
        usageLimit: 50,
        perCustomerLimit: 2,
        minSubtotal: 1000,
        validUntil: null,
        metadata: { a: 1 },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: p.id,
      code: p.code,
      name: "Renamed",
      value: 20,
      usageLimit: 50,
      perCustomerLimit: 2,
      minSubtotal: 1000,
      validFrom: p.validFrom,
      validUntil: null,
      metadata: { a: 1 },
    });
    const untouched = await t.request("GET", "/api/promotions?limit=100&includeInactive=true");
    expect(untouched.body.data.find((x: PromotionBody) => x.id === other.id).name).toBe("A promotion");
  });

  it("deactivates and reactivates through active", async () => {
    const p = await createPromotion({});
    expect((await t.request("PATCH", `/api/promotions/${p.id}`, { body: { active: false } })).body.data.active).toBe(
      false,
    );
    expect((await t.request("PATCH", `/api/promotions/${p.id}`, { body: { active: true } })).body.data.active).toBe(
      true,
    );
  });

  it("checks the value against the type and the window against the other bound", async () => {
    const p = await createPromotion({ validFrom: "2030-01-01T00:00:00Z", validUntil: "2030-02-01T00:00:00Z" });
    const value = await t.request("PATCH", `/api/promotions/${p.id}`, { body: { value: 150 } });
    expect(value.status).toBe(422);
    expect(detailPaths(value)).toEqual(["value"]);
    const from = await t.request("PATCH", `/api/promotions/${p.id}`, { body: { validFrom: "2030-03-01T00:00:00Z" } });
    expect(from.status).toBe(422);
    expect(detailPaths(from)).toEqual(["validFrom"]);
    const until = await t.request("PATCH", `/api/promotions/${p.id}`, { body: { validUntil: "2029-12-31T00:00:00Z" } });
    expect(detailPaths(until)).toEqual(["validUntil"]);
    const both = await t.request("PATCH", `/api/promotions/${p.id}`, {
      body: { validFrom: "2030-03-01T00:00:00Z", validUntil: "2030-04-01T00:00:00Z" },
    });
    expect(both.status).toBe(200);
    const fixed = await createPromotion({ type: "fixed_amount_off_order", value: 500, currency: "USD" });
    expect((await t.request("PATCH", `/api/promotions/${fixed.id}`, { body: { value: 2500 } })).body.data.value).toBe(
      2500,
    );
  });

  it("refuses null for fields that cannot be cleared, and fields that are fixed", async () => {
    const p = await createPromotion({});
    const nulls = await t.request("PATCH", `/api/promotions/${p.id}`, { body: { name: null, active: null } });
    expect(nulls.status).toBe(422);
    expect(detailPaths(nulls)).toEqual(["active", "name"]);
    const fixed = await t.request("PATCH", `/api/promotions/${p.id}`, {
      body: { code: "OTHER", type: "free_shipping" },
    });
    expect(fixed.status).toBe(422);
    expect(detailPaths(fixed)).toEqual(["code", "type"]);
  });

  it("answers 404 for unknown and malformed ids", async () => {
    expect((await t.request("PATCH", `/api/promotions/${randomUUID()}`, { body: { name: "x" } })).status).toBe(404);
    const malformed = await t.request("PATCH", "/api/promotions/nope", { body: { name: "x" } });
    expect(malformed.status).toBe(404);
    expect(malformed.body.error.code).toBe("NOT_FOUND");
  });

  it("answers 404 for another store's promotion", async () => {
    const p = await createPromotion({});
    const store = await otherStore();
    const key = await t.createKey(["promotions:update"], store.id);
    expect((await t.request("PATCH", `/api/promotions/${p.id}`, { key, body: { name: "x" } })).status).toBe(404);
  });

  it("needs promotions:update", async () => {
    const p = await createPromotion({});
    expect((await t.request("PATCH", `/api/promotions/${p.id}`, { key: null, body: { name: "x" } })).status).toBe(401);
    const creator = await t.createKey(["promotions:create"]);
    expect((await t.request("PATCH", `/api/promotions/${p.id}`, { key: creator, body: { name: "x" } })).status).toBe(
      403,
    );
    const updater = await t.createKey(["promotions:update"]);
    expect((await t.request("PATCH", `/api/promotions/${p.id}`, { key: updater, body: { name: "x" } })).status).toBe(
      200,
    );
  });
});

describe("POST /api/promotions/:id/deactivate", () => {
  it("answers the promotion with active false, idempotently", async () => {
    const p = await createPromotion({});
    const first = await t.request("POST", `/api/promotions/${p.id}/deactivate`);
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ id: p.id, active: false });
    const second = await t.request("POST", `/api/promotions/${p.id}/deactivate`);
    expect(second.status).toBe(200);
    expect(second.body.data).toEqual(first.body.data);
  });

  it("answers 404 for unknown and malformed ids", async () => {
    expect((await t.request("POST", `/api/promotions/${randomUUID()}/deactivate`)).status).toBe(404);
    expect((await t.request("POST", "/api/promotions/xyz/deactivate")).status).toBe(404);
  });

  it("needs promotions:update", async () => {
    const p = await createPromotion({});
    expect((await t.request("POST", `/api/promotions/${p.id}/deactivate`, { key: null })).status).toBe(401);
    const creator = await t.createKey(["promotions:create"]);
    expect((await t.request("POST", `/api/promotions/${p.id}/deactivate`, { key: creator })).status).toBe(403);
    const all = await t.createKey(["promotions:*"]);
    expect((await t.request("POST", `/api/promotions/${p.id}/deactivate`, { key: all })).status).toBe(200);
  });
});

describe("GraphQL", () => {
  const CREATE = `mutation ($input: CreatePromotionInput!) {
    createPromotion(input: $input) {
      __typename
      ... on CreatePromotionPayload { promotion { id code type value active } }
      ... on ValidationError { fieldErrors { path } }
      ... on ConflictError { target }
    }
  }`;

  it("creates promotions with typed errors for invalid input and duplicates", async () => {
    const code = uniqueCode("GQL");
    const ok = await t.graphql(CREATE, { input: { code, name: "GraphQL", type: "percentage_off_order", value: 5 } });
    expect(ok.body.data.createPromotion).toMatchObject({
      __typename: "CreatePromotionPayload",
      promotion: { code, type: "percentage_off_order", value: 5, active: true },
    });
    const dup = await t.graphql(CREATE, { input: { code, name: "Again", type: "free_shipping" } });
    expect(dup.body.data.createPromotion).toEqual({ __typename: "ConflictError", target: "code" });
    const invalid = await t.graphql(CREATE, {
      input: { code: uniqueCode("GQL"), name: "x", type: "percentage_off_order", value: 500 },
    });
    expect(invalid.body.data.createPromotion).toEqual({
      __typename: "ValidationError",
      fieldErrors: [{ path: "value" }],
    });
    const anonymous = await t.graphql(
      CREATE,
      { input: { code: uniqueCode("GQL"), name: "x", type: "free_shipping" } },
      null,
    );
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHORIZED");
  });

  it("lists promotions as a connection, all or active only", async () => {
    const active = await createPromotion({});
    const inactive = await createPromotion({});
    await t.request("POST", `/api/promotions/${inactive.id}/deactivate`);
    const query = `query ($activeOnly: Boolean) {
      promotions(first: 100, activeOnly: $activeOnly) { totalCount edges { node { id active } } }
    }`;
    const all = await t.graphql(query, {});
    const allIds = all.body.data.promotions.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(allIds).toEqual(expect.arrayContaining([active.id, inactive.id]));
    expect(all.body.data.promotions.totalCount).toBe(allIds.length);
    const onlyActive = await t.graphql(query, { activeOnly: true });
    const activeIds = onlyActive.body.data.promotions.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(activeIds).toContain(active.id);
    expect(activeIds).not.toContain(inactive.id);
    const anonymous = await t.graphql(query, {}, null);
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHORIZED");
    const reader = await t.graphql(query, {}, await t.createKey(["catalog:read"]));
    expect(reader.body.errors[0].extensions.code).toBe("FORBIDDEN");
  });

  it("validates a code publicly, with the rejection reason as an enum", async () => {
    const p = await createPromotion({ type: "fixed_amount_off_order", value: 700, currency: "USD" });
    const query = `query ($input: ValidatePromotionInput!) {
      validatePromotion(input: $input) { valid code reason discount freeShipping promotion { id type currency } }
    }`;
    const input = { code: p.code, currency: "USD", lineItems: [{ entityId: ENTITY_A, quantity: 1, unitPrice: 5000 }] };
    const ok = await t.graphql(query, { input }, null);
    expect(ok.body.data.validatePromotion).toEqual({
      valid: true,
      code: p.code,
      reason: null,
      discount: 700,
      freeShipping: false,
      promotion: { id: p.id, type: "fixed_amount_off_order", currency: "USD" },
    });
    const mismatch = await t.graphql(query, { input: { ...input, currency: "GBP" } }, null);
    expect(mismatch.body.data.validatePromotion.reason).toBe("CURRENCY_MISMATCH");
    const invalid = await t.graphql(query, { input: { ...input, currency: "pounds" } }, null);
    expect(invalid.body.errors[0].extensions).toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: [expect.objectContaining({ path: "currency" })],
    });
  });

  it("updates and deactivates with result unions", async () => {
    const p = await createPromotion({});
    const update = await t.graphql(
      `mutation ($input: UpdatePromotionInput!) {
        updatePromotion(input: $input) { __typename ... on UpdatePromotionPayload { promotion { name usageLimit } } ... on NotFoundError { resource } }
      }`,
      { input: { id: p.id, name: "GraphQL rename", usageLimit: 3 } },
    );
    expect(update.body.data.updatePromotion).toEqual({
      __typename: "UpdatePromotionPayload",
      promotion: { name: "GraphQL rename", usageLimit: 3 },
    });
    const DEACTIVATE = `mutation ($input: IdInput!) {
      deactivatePromotion(input: $input) { __typename ... on DeactivatePromotionPayload { promotion { active } } ... on NotFoundError { resource } }
    }`;
    expect((await t.graphql(DEACTIVATE, { input: { id: p.id } })).body.data.deactivatePromotion).toEqual({
      __typename: "DeactivatePromotionPayload",
      promotion: { active: false },
    });
    expect((await t.graphql(DEACTIVATE, { input: { id: randomUUID() } })).body.data.deactivatePromotion).toEqual({
      __typename: "NotFoundError",
      resource: "Promotion",
    });
    const forbidden = await t.graphql(DEACTIVATE, { input: { id: p.id } }, await t.createKey(["promotions:create"]));
    expect(forbidden.body.errors[0].extensions.code).toBe("FORBIDDEN");
  });

  it("finds a promotion by node(id) only with promotions:read", async () => {
    const p = await createPromotion({});
    const query = `query ($id: ID!) { node(id: $id) { __typename id ... on Promotion { code } } }`;
    expect((await t.graphql(query, { id: p.id })).body.data.node).toEqual({
      __typename: "Promotion",
      id: p.id,
      code: p.code,
    });
    expect((await t.graphql(query, { id: p.id }, null)).body.data.node).toBeNull();
  });
});

describe("redeemPromotions", () => {
  const redeem = (promotion: PromotionBody, orderId: string, who: { customerId?: string; email?: string } = {}) =>
    t.app.db.prisma.$transaction(
      (tx) =>
        redeemPromotions(tx, {
          storeId: t.app.defaultStoreId,
          orderId,
          ...who,
          applied: [{ id: promotion.id, code: promotion.code, amount: 250 }],
        }),
      { maxWait: 20_000, timeout: 20_000 },
    );

  it("lets exactly usageLimit of 30 racing checkouts redeem", async () => {
    const p = await createPromotion({ usageLimit: 5 });
    const orders = await Promise.all(Array.from({ length: 30 }, () => insertOrder()));
    const results = await Promise.allSettled(orders.map((order) => redeem(p, order.id)));
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(5);
    expect(rejected).toHaveLength(25);
    for (const failure of rejected) {
      expect(failure.reason).toBeInstanceOf(CheckoutFailedError);
      expect(failure.reason).toMatchObject({ code: "CHECKOUT_FAILED", reason: "PROMOTION_INVALID" });
    }
    const row = await t.app.db.prisma.promotion.findUniqueOrThrow({ where: { id: p.id } });
    expect(row.usageCount).toBe(5);
    expect(await t.app.db.prisma.promotionRedemption.count({ where: { promotionId: p.id } })).toBe(5);
  });

  it("records redemptions with the email lower-cased and enforces the per-customer limit", async () => {
    const p = await createPromotion({ perCustomerLimit: 1 });
    const first = await insertOrder();
    await redeem(p, first.id, { email: "  Buyer@Example.COM " });
    const [redemption] = await t.app.db.prisma.promotionRedemption.findMany({ where: { promotionId: p.id } });
    expect(redemption).toMatchObject({ orderId: first.id, email: "buyer@example.com", amount: 250, customerId: null });

    const second = await insertOrder();
    await expect(redeem(p, second.id, { email: "buyer@example.com" })).rejects.toMatchObject({
      reason: "PROMOTION_INVALID",
    });
    // The refused redemption rolled back with its transaction: the count did not move.
    expect((await t.app.db.prisma.promotion.findUniqueOrThrow({ where: { id: p.id } })).usageCount).toBe(1);
    await redeem(p, second.id, { email: "someone-else@example.com" });
    expect((await validate(p.code, { customerId: randomUUID() })).body.data.valid).toBe(true);
  });

  it("refuses a deactivated promotion and one of another store", async () => {
    const p = await createPromotion({});
    await t.request("POST", `/api/promotions/${p.id}/deactivate`);
    await expect(redeem(p, (await insertOrder()).id)).rejects.toBeInstanceOf(CheckoutFailedError);
    const store = await otherStore();
    const q = await createPromotion({});
    const order = await insertOrder(store.id);
    await expect(
      t.app.db.prisma.$transaction((tx) =>
        redeemPromotions(tx, {
          storeId: store.id,
          orderId: order.id,
          applied: [{ id: q.id, code: q.code, amount: 1 }],
        }),
      ),
    ).rejects.toMatchObject({ reason: "PROMOTION_INVALID" });
  });
});
