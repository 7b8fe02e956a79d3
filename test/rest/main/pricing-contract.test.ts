import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { createStore } from "../../helpers/merchant.js";

const t = useTestApp();

const MISSING = "00000000-0000-4000-8000-000000000000";
const DAY = 24 * 60 * 60 * 1000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${randomUUID().slice(0, 8)}`;

async function createEntity(status: "active" | "draft" = "active") {
  const res = await t.request("POST", "/api/catalog/entities", {
    body: { type: "product", slug: unique("priced"), status },
  });
  expect(res.status).toBe(201);
  return res.body.data as { id: string; slug: string };
}

async function entityWithVariants() {
  const entity = await createEntity();
  const options = await t.request("POST", `/api/catalog/entities/${entity.id}/options`, {
    body: { name: "Size", values: [{ value: "S" }, { value: "M" }] },
  });
  expect(options.status).toBe(201);
  const generated = await t.request("POST", `/api/catalog/entities/${entity.id}/variants/generate`, {
    body: { skuPrefix: entity.slug.toUpperCase() },
  });
  expect(generated.status).toBe(201);
  const [small, medium] = generated.body.data.variants as { id: string; sku: string }[];
  return { entity, small: small!, medium: medium! };
}

async function createGroup(name = unique("Group")) {
  const res = await t.request("POST", "/api/customer-groups", { body: { name } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; name: string; slug: string };
}

async function createPrice(body: Record<string, unknown>) {
  const res = await t.request("POST", "/api/pricing/prices", { body: { currency: "USD", ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; amount: number; [key: string]: unknown };
}

const paths = (res: { body: { error: { details: { path: string }[] } } }) =>
  res.body.error.details.map((d) => d.path).sort();

describe("POST /api/pricing/prices", () => {
  it("creates entity, variant and group prices and answers 201 with the record", async () => {
    const { entity, small } = await entityWithVariants();
    const group = await createGroup();
    const base = await createPrice({ entityId: entity.id, amount: 1999 });
    expect(base).toMatchObject({
      entityId: entity.id,
      variantId: null,
      currency: "USD",
      amount: 1999,
      customerGroupId: null,
      minQuantity: 1,
      validFrom: null,
      validUntil: null,
    });
    const validFrom = iso(-DAY);
    const validUntil = iso(DAY);
    const specific = await createPrice({
      entityId: entity.id,
      variantId: small.id,
      customerGroupId: group.id,
      amount: 1500,
      minQuantity: 10,
      validFrom,
      validUntil,
    });
    expect(specific).toMatchObject({
      variantId: small.id,
      customerGroupId: group.id,
      minQuantity: 10,
      validFrom,
      validUntil,
    });
  });

  it("answers 422 with field paths for bad input", async () => {
    const entity = await createEntity();
    const bad = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: entity.id, currency: "usd", amount: -1 },
    });
    expect(bad.status).toBe(422);
    expect(paths(bad)).toEqual(["amount", "currency"]);
    const fractional = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: entity.id, currency: "USD", amount: 9.99 },
    });
    expect(paths(fractional)).toEqual(["amount"]);
    const missing = await t.request("POST", "/api/pricing/prices", { body: { currency: "USD" } });
    expect(paths(missing)).toEqual(["amount", "entityId"]);
    const window = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: entity.id, currency: "USD", amount: 1, validFrom: iso(DAY), validUntil: iso(-DAY) },
    });
    expect(paths(window)).toEqual(["validUntil"]);
    const badDate = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: entity.id, currency: "USD", amount: 1, validFrom: "next tuesday" },
    });
    expect(badDate.status).toBe(422);
    expect(paths(badDate)).toEqual(["validFrom"]);
    const zeroQuantity = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: entity.id, currency: "USD", amount: 1, minQuantity: 0 },
    });
    expect(paths(zeroQuantity)).toEqual(["minQuantity"]);
  });

  it("checks that the entity, variant and group are the store's", async () => {
    const { entity } = await entityWithVariants();
    const other = await entityWithVariants();
    const unknownEntity = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: MISSING, currency: "USD", amount: 1 },
    });
    expect([404, 422]).toContain(unknownEntity.status);
    const malformed = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: "nope", currency: "USD", amount: 1 },
    });
    expect([404, 422]).toContain(malformed.status);
    const foreignVariant = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: entity.id, variantId: other.small.id, currency: "USD", amount: 1 },
    });
    expect(foreignVariant.status).toBe(422);
    expect(paths(foreignVariant)).toEqual(["variantId"]);
    const unknownGroup = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: entity.id, customerGroupId: MISSING, currency: "USD", amount: 1 },
    });
    expect(paths(unknownGroup)).toEqual(["customerGroupId"]);
    const store = await createStore(t, { slug: unique("store"), name: "Other" });
    const foreignKey = await t.createKey(["pricing:*"], store.id);
    const crossStore = await t.request("POST", "/api/pricing/prices", {
      key: foreignKey,
      body: { entityId: entity.id, currency: "USD", amount: 1 },
    });
    expect([404, 422]).toContain(crossStore.status);
  });

  it("needs a key (401) with pricing:create (403)", async () => {
    const entity = await createEntity();
    const body = { entityId: entity.id, currency: "USD", amount: 100 };
    expect((await t.request("POST", "/api/pricing/prices", { key: null, body })).status).toBe(401);
    const updater = await t.createKey(["pricing:update"]);
    expect((await t.request("POST", "/api/pricing/prices", { key: updater, body })).status).toBe(403);
    const creator = await t.createKey(["pricing:create"]);
    expect((await t.request("POST", "/api/pricing/prices", { key: creator, body })).status).toBe(201);
  });
});

describe("GET /api/pricing/prices", () => {
  it("filters by entity, variant, currency and group, with page/limit", async () => {
    const { entity, small } = await entityWithVariants();
    const group = await createGroup();
    await createPrice({ entityId: entity.id, amount: 1000 });
    await createPrice({ entityId: entity.id, amount: 900, currency: "EUR" });
    await createPrice({ entityId: entity.id, variantId: small.id, amount: 800 });
    await createPrice({ entityId: entity.id, customerGroupId: group.id, amount: 700 });
    const amounts = async (query: string) =>
      (await t.request("GET", `/api/pricing/prices?${query}`)).body.data
        .map((p: { amount: number }) => p.amount)
        .sort();
    expect(await amounts(`entityId=${entity.id}`)).toEqual([1000, 700, 800, 900].sort());
    expect(await amounts(`entityId=${entity.id}&currency=EUR`)).toEqual([900]);
    expect(await amounts(`variantId=${small.id}`)).toEqual([800]);
    expect(await amounts(`customerGroupId=${group.id}`)).toEqual([700]);
    const page = await t.request("GET", `/api/pricing/prices?entityId=${entity.id}&limit=3&page=2`);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.meta.pagination).toEqual({ page: 2, limit: 3, total: 4, totalPages: 2 });
  });

  it("rejects malformed filters with 422 and needs pricing:update", async () => {
    const bad = await t.request("GET", "/api/pricing/prices?entityId=nope");
    expect(bad.status).toBe(422);
    expect(paths(bad)).toEqual(["entityId"]);
    expect((await t.request("GET", "/api/pricing/prices", { key: null })).status).toBe(401);
    const creator = await t.createKey(["pricing:create"]);
    expect((await t.request("GET", "/api/pricing/prices", { key: creator })).status).toBe(403);
  });
});

describe("PATCH /api/pricing/prices/:id", () => {
  it("changes the amount and the validity window, null clears a bound", async () => {
    const entity = await createEntity();
    const price = await createPrice({ entityId: entity.id, amount: 1000 });
    const validUntil = iso(DAY);
    const res = await t.request("PATCH", `/api/pricing/prices/${price.id}`, { body: { amount: 1200, validUntil } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: price.id, amount: 1200, validUntil, validFrom: null });
    const cleared = await t.request("PATCH", `/api/pricing/prices/${price.id}`, { body: { validUntil: null } });
    expect(cleared.body.data).toMatchObject({ amount: 1200, validUntil: null });
  });

  it("checks the window against the stored bounds", async () => {
    const entity = await createEntity();
    const price = await createPrice({ entityId: entity.id, amount: 1000, validFrom: iso(-DAY) });
    const before = await t.request("PATCH", `/api/pricing/prices/${price.id}`, { body: { validUntil: iso(-2 * DAY) } });
    expect(before.status).toBe(422);
    expect(paths(before)).toEqual(["validUntil"]);
    const clearedStart = await t.request("PATCH", `/api/pricing/prices/${price.id}`, {
      body: { validFrom: null, validUntil: iso(-2 * DAY) },
    });
    expect(clearedStart.status, JSON.stringify(clearedStart.body)).toBe(200);
    const negative = await t.request("PATCH", `/api/pricing/prices/${price.id}`, { body: { amount: -5 } });
    expect(paths(negative)).toEqual(["amount"]);
    const nullAmount = await t.request("PATCH", `/api/pricing/prices/${price.id}`, { body: { amount: null } });
    expect(nullAmount.status, JSON.stringify(nullAmount.body)).toBe(422);
  });

  it("answers 404 for unknown, malformed and other stores' prices, 403 without pricing:update", async () => {
    const entity = await createEntity();
    const price = await createPrice({ entityId: entity.id, amount: 1000 });
    expect((await t.request("PATCH", `/api/pricing/prices/${MISSING}`, { body: { amount: 1 } })).status).toBe(404);
    expect((await t.request("PATCH", "/api/pricing/prices/nope", { body: { amount: 1 } })).status).toBe(404);
    const store = await createStore(t, { slug: unique("store"), name: "Other" });
    const foreignKey = await t.createKey(["pricing:*"], store.id);
    expect(
      (await t.request("PATCH", `/api/pricing/prices/${price.id}`, { key: foreignKey, body: { amount: 1 } })).status,
    ).toBe(404);
    const creator = await t.createKey(["pricing:create"]);
    expect(
      (await t.request("PATCH", `/api/pricing/prices/${price.id}`, { key: creator, body: { amount: 1 } })).status,
    ).toBe(403);
  });
});

describe("POST /api/pricing/modifiers", () => {
  it("creates a modifier and answers 201 with it", async () => {
    const { entity, small } = await entityWithVariants();
    const group = await createGroup();
    const res = await t.request("POST", "/api/pricing/modifiers", {
      body: {
        name: "Wholesale 20%",
        type: "percentage_off",
        value: 20,
        entityId: entity.id,
        variantId: small.id,
        customerGroupId: group.id,
        minQuantity: 5,
        priority: 2,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data).toMatchObject({
      type: "percentage_off",
      value: 20,
      variantId: small.id,
      customerGroupId: group.id,
      minQuantity: 5,
      priority: 2,
      active: true,
    });
  });

  it("validates type, value, currency and targets", async () => {
    const { entity } = await entityWithVariants();
    const other = await entityWithVariants();
    const check = async (body: Record<string, unknown>, expected: string[]) => {
      const res = await t.request("POST", "/api/pricing/modifiers", { body: { name: "M", ...body } });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(paths(res), JSON.stringify(body)).toEqual(expected);
    };
    await check({ type: "percentage_off", value: 101 }, ["value"]);
    await check({ type: "half_off", value: 1 }, ["type"]);
    await check({ type: "fixed_off", value: 100 }, ["currency"]);
    await check({ type: "fixed_price", value: -1, currency: "USD" }, ["value"]);
    await check({ type: "percentage_off", value: 10, entityId: entity.id, variantId: other.small.id }, ["variantId"]);
    await check({ type: "percentage_off", value: 10, customerGroupId: MISSING }, ["customerGroupId"]);
    await check({ type: "percentage_off", value: 10, validFrom: iso(DAY), validUntil: iso(0) }, ["validUntil"]);
  });

  it("needs pricing:create", async () => {
    const body = { name: "M", type: "percentage_off", value: 10 };
    expect((await t.request("POST", "/api/pricing/modifiers", { key: null, body })).status).toBe(401);
    const updater = await t.createKey(["pricing:update"]);
    expect((await t.request("POST", "/api/pricing/modifiers", { key: updater, body })).status).toBe(403);
  });
});

describe("customer groups", () => {
  it("creates, lists, 409 on a taken slug, 422 on bad input, permissions", async () => {
    const created = await t.request("POST", "/api/customer-groups", { body: { name: "VIP Buyers" } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ name: "VIP Buyers", slug: "vip-buyers" });
    expect(
      (await t.request("POST", "/api/customer-groups", { body: { name: "Other", slug: "vip-buyers" } })).status,
    ).toBe(409);
    const noName = await t.request("POST", "/api/customer-groups", { body: { slug: "x" } });
    expect(paths(noName)).toEqual(["name"]);
    await t.request("POST", "/api/customer-groups", { body: { name: "Another Group" } });
    const all = (await t.request("GET", "/api/customer-groups?limit=100")).body;
    const names = all.data.map((g: { name: string }) => g.name);
    expect(names).toEqual(expect.arrayContaining(["Another Group", "VIP Buyers"]));
    const second = await t.request("GET", "/api/customer-groups?limit=1&page=2");
    expect(second.status).toBe(200);
    expect(second.body.data).toEqual([all.data[1]]);
    expect(second.body.meta.pagination).toMatchObject({ page: 2, limit: 1, total: all.meta.pagination.total });
    expect((await t.request("GET", "/api/customer-groups", { key: null })).status).toBe(401);
    const reader = await t.createKey(["customers:read"]);
    expect((await t.request("POST", "/api/customer-groups", { key: reader, body: { name: "Reader" } })).status).toBe(
      403,
    );
    expect((await t.request("GET", "/api/customer-groups", { key: reader })).status).toBe(200);
    const cataloguer = await t.createKey(["catalog:*"]);
    expect((await t.request("GET", "/api/customer-groups", { key: cataloguer })).status).toBe(403);
  });
});

describe("pricing through GraphQL", () => {
  it("resolves storefront prices on variants and entities, per currency and group", async () => {
    const { entity, small, medium } = await entityWithVariants();
    const group = await createGroup();
    await createPrice({ entityId: entity.id, amount: 2000 });
    await createPrice({ entityId: entity.id, variantId: small.id, amount: 1800 });
    await createPrice({ entityId: entity.id, customerGroupId: group.id, amount: 1600 });
    await createPrice({ entityId: entity.id, amount: 1700, currency: "EUR" });
    await t.request("POST", "/api/pricing/modifiers", {
      body: { name: "EUR sale", type: "percentage_off", value: 10, currency: "EUR", entityId: entity.id },
    });
    const query = `query ($id: ID!, $currency: String!, $groups: [ID!]) {
      catalogEntity(id: $id) {
        price(currency: $currency, customerGroupIds: $groups) { amount currency }
        variants { sku price(currency: $currency, customerGroupIds: $groups) { amount currency } }
      }
    }`;
    const usd = await t.graphql(query, { id: entity.id, currency: "USD" }, null);
    expect(usd.body.errors).toBeUndefined();
    expect(usd.body.data.catalogEntity.price).toEqual({ amount: 2000, currency: "USD" });
    const byVariant = Object.fromEntries(
      usd.body.data.catalogEntity.variants.map((v: { sku: string; price: unknown }) => [v.sku, v.price]),
    );
    expect(byVariant[small.sku]).toEqual({ amount: 1800, currency: "USD" });
    expect(byVariant[medium.sku]).toEqual({ amount: 2000, currency: "USD" });
    const grouped = await t.graphql(query, { id: entity.id, currency: "USD", groups: [group.id] }, null);
    expect(grouped.body.data.catalogEntity.price.amount).toBe(1600);
    expect(
      grouped.body.data.catalogEntity.variants.map((v: { price: { amount: number } }) => v.price.amount).sort(),
    ).toEqual([1600, 1800]);
    const eur = await t.graphql(query, { id: entity.id, currency: "EUR" }, null);
    expect(eur.body.data.catalogEntity.price).toEqual({ amount: 1530, currency: "EUR" });
    const none = await t.graphql(query, { id: entity.id, currency: "GBP" }, null);
    expect(none.body.data.catalogEntity.price).toBeNull();
    const malformedGroup = await t.graphql(query, { id: entity.id, currency: "USD", groups: ["nope"] }, null);
    expect(malformedGroup.body.errors).toBeUndefined();
    expect(malformedGroup.body.data.catalogEntity.price.amount).toBe(2000);
  });

  it("costs the same number of statements for 20 products with variant prices as for 5", async () => {
    for (let i = 0; i < 20; i++) {
      const entity = await t.request("POST", "/api/catalog/entities", {
        body: { type: "pricedKit", slug: unique("kit"), status: "active" },
      });
      expect(entity.status, JSON.stringify(entity.body)).toBe(201);
      const variant = await t.request("POST", `/api/catalog/entities/${entity.body.data.id}/variants`, {
        body: { sku: unique("KIT") },
      });
      expect(variant.status, JSON.stringify(variant.body)).toBe(201);
      await createPrice({ entityId: entity.body.data.id, amount: 100 + i });
    }
    const query = `query ($first: Int!) {
      catalogEntities(first: $first, filter: { type: "pricedKit" }) {
        edges { node { id price(currency: "USD") { amount } variants { sku price(currency: "USD") { amount } } } }
      }
    }`;
    const statementsFor = async (first: number) => {
      const before = t.app.db.statementCount();
      const res = await t.graphql(query, { first }, null);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.catalogEntities.edges).toHaveLength(first);
      for (const { node } of res.body.data.catalogEntities.edges)
        expect(node.variants[0].price.amount).toBe(node.price.amount);
      return t.app.db.statementCount() - before;
    };
    const five = await statementsFor(5);
    const twenty = await statementsFor(20);
    expect(twenty).toBe(five);
    console.log("storefront statements", five);
  });
});
