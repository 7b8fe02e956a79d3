import { describe, expect, it } from "vitest";
import { resolvePrices } from "../../../src/domain/pricing/resolve.js";
import { useTestApp } from "../../helpers/app.js";

const t = useTestApp();

async function entity(slug: string) {
  return (await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug, status: "active" } })).body
    .data as { id: string };
}

describe("POST /api/pricing/prices", () => {
  it("creates price records (201) and validates them", async () => {
    const product = await entity("priced");
    const res = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: product.id, currency: "USD", amount: 2999 },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      entityId: product.id,
      variantId: null,
      currency: "USD",
      amount: 2999,
      minQuantity: 1,
    });
    const fractional = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: product.id, currency: "USD", amount: 1.5 },
    });
    expect(fractional.status).toBe(422);
    expect(fractional.body.error.details[0].path).toBe("amount");
    const lowercase = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: product.id, currency: "usd", amount: 10 },
    });
    expect(lowercase.body.error.details[0].path).toBe("currency");
    const window = await t.request("POST", "/api/pricing/prices", {
      body: {
        entityId: product.id,
        currency: "USD",
        amount: 1,
        validFrom: "2025-02-01T00:00:00Z",
        validUntil: "2025-01-01T00:00:00Z",
      },
    });
    expect(window.body.error.details[0].path).toBe("validUntil");
    expect(
      (
        await t.request("POST", "/api/pricing/prices", {
          body: { entityId: "00000000-0000-4000-8000-000000000000", currency: "USD", amount: 1 },
        })
      ).status,
    ).toBe(404);
    const otherVariant = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: product.id, variantId: "00000000-0000-4000-8000-000000000000", currency: "USD", amount: 1 },
    });
    expect(otherVariant.body.error.details[0].path).toBe("variantId");
  });

  it("needs pricing:create to write and pricing:update to list", async () => {
    const product = await entity("priced-perm");
    expect(
      (
        await t.request("POST", "/api/pricing/prices", {
          key: null,
          body: { entityId: product.id, currency: "USD", amount: 1 },
        })
      ).status,
    ).toBe(401);
    const reader = await t.createKey(["catalog:read"]);
    expect(
      (
        await t.request("POST", "/api/pricing/prices", {
          key: reader,
          body: { entityId: product.id, currency: "USD", amount: 1 },
        })
      ).status,
    ).toBe(403);
    const creator = await t.createKey(["pricing:create"]);
    expect(
      (
        await t.request("POST", "/api/pricing/prices", {
          key: creator,
          body: { entityId: product.id, currency: "USD", amount: 1 },
        })
      ).status,
    ).toBe(201);
    expect((await t.request("GET", "/api/pricing/prices", { key: creator })).status).toBe(403);
    expect((await t.request("GET", "/api/pricing/prices", { key: await t.createKey(["pricing:update"]) })).status).toBe(
      200,
    );
  });
});

describe("GET /api/pricing/prices and PATCH", () => {
  it("filters by entity, currency and group, and updates a price", async () => {
    const a = await entity("list-a");
    const b = await entity("list-b");
    const group = (await t.request("POST", "/api/customer-groups", { body: { name: "Wholesale" } })).body.data;
    expect(group.slug).toBe("wholesale");
    await t.request("POST", "/api/pricing/prices", { body: { entityId: a.id, currency: "USD", amount: 100 } });
    await t.request("POST", "/api/pricing/prices", { body: { entityId: a.id, currency: "EUR", amount: 90 } });
    const wholesale = (
      await t.request("POST", "/api/pricing/prices", {
        body: { entityId: a.id, currency: "USD", amount: 80, customerGroupId: group.id },
      })
    ).body.data;
    await t.request("POST", "/api/pricing/prices", { body: { entityId: b.id, currency: "USD", amount: 200 } });

    const amounts = async (query: string) =>
      (await t.request("GET", `/api/pricing/prices?${query}`)).body.data
        .map((p: { amount: number }) => p.amount)
        .sort();
    expect(await amounts(`entityId=${a.id}`)).toEqual([100, 80, 90].sort());
    expect(await amounts(`entityId=${a.id}&currency=USD`)).toEqual([100, 80].sort());
    expect(await amounts(`customerGroupId=${group.id}`)).toEqual([80]);
    expect((await t.request("GET", "/api/pricing/prices?entityId=nope")).status).toBe(422);
    const list = await t.request("GET", `/api/pricing/prices?entityId=${a.id}&limit=2`);
    expect(list.body.meta.pagination).toMatchObject({ limit: 2, total: 3, totalPages: 2 });

    const patched = await t.request("PATCH", `/api/pricing/prices/${wholesale.id}`, { body: { amount: 75 } });
    expect(patched.body.data.amount).toBe(75);
    expect(
      (await t.request("PATCH", "/api/pricing/prices/00000000-0000-4000-8000-000000000000", { body: { amount: 1 } }))
        .status,
    ).toBe(404);
  });
});

describe("price resolution", () => {
  it("picks the most specific valid price and applies modifiers, in two statements for any number of items", async () => {
    const product = await entity("resolve");
    const option = (
      await t.request("POST", `/api/catalog/entities/${product.id}/options`, {
        body: { name: "Size", values: [{ value: "S" }, { value: "M" }] },
      })
    ).body.data;
    const variants = (await t.request("POST", `/api/catalog/entities/${product.id}/variants/generate`, { body: {} }))
      .body.data.variants;
    const [small, medium] = variants as { id: string }[];
    const group = (await t.request("POST", "/api/customer-groups", { body: { name: "VIP" } })).body.data;
    const price = (body: Record<string, unknown>) =>
      t.request("POST", "/api/pricing/prices", { body: { entityId: product.id, currency: "USD", ...body } });
    await price({ amount: 1000 });
    await price({ amount: 900, variantId: small!.id });
    await price({ amount: 800, variantId: small!.id, customerGroupId: group.id });
    await price({ amount: 950, customerGroupId: group.id });
    await price({ amount: 700, variantId: small!.id, minQuantity: 10 });
    await price({ amount: 1, validFrom: "2099-01-01T00:00:00Z" });
    const modifier = await t.request("POST", "/api/pricing/modifiers", {
      body: { name: "M is 10% off", type: "percentage_off", value: 10, variantId: medium!.id, entityId: product.id },
    });
    expect(modifier.status).toBe(201);
    expect(option.values).toHaveLength(2);

    const before = t.app.db.statementCount();
    const resolved = await resolvePrices(
      t.app.db.prisma,
      t.app.defaultStoreId,
      [
        { entityId: product.id, variantId: null, quantity: 1 },
        { entityId: product.id, variantId: small!.id, quantity: 1 },
        { entityId: product.id, variantId: small!.id, quantity: 12 },
        { entityId: product.id, variantId: medium!.id, quantity: 1 },
      ],
      { currency: "USD", customerGroupIds: [], now: new Date() },
    );
    expect(t.app.db.statementCount() - before).toBeLessThanOrEqual(2);
    expect(resolved.map((r) => r?.amount)).toEqual([1000, 900, 700, 900]);
    const vip = await resolvePrices(
      t.app.db.prisma,
      t.app.defaultStoreId,
      [
        { entityId: product.id, variantId: small!.id, quantity: 1 },
        { entityId: product.id, variantId: null, quantity: 1 },
      ],
      {
        currency: "USD",
        customerGroupIds: [group.id],
        now: new Date(),
      },
    );
    expect(vip.map((r) => r?.amount)).toEqual([800, 950]);
    expect(
      (
        await resolvePrices(
          t.app.db.prisma,
          t.app.defaultStoreId,
          [{ entityId: product.id, variantId: null, quantity: 1 }],
          { currency: "GBP", customerGroupIds: [], now: new Date() },
        )
      )[0],
    ).toBeNull();
  });

  it("serves storefront prices on variants through one batch per request", async () => {
    const count = async (n: number, prefix: string) => {
      for (let i = 0; i < n; i++) {
        const e = await entity(`${prefix}-${i}`);
        await t.request("POST", "/api/pricing/prices", { body: { entityId: e.id, currency: "USD", amount: 100 + i } });
      }
      const before = t.app.db.statementCount();
      const res = await t.graphql(
        `{ catalogEntities(first: ${n}, filter: { type: "product" }, sort: [{ field: createdAt, direction: desc }]) { edges { node { price(currency: "USD") { amount currency } } } } }`,
        undefined,
        null,
      );
      expect(res.body.data.catalogEntities.edges[0].node.price).toMatchObject({ currency: "USD" });
      return t.app.db.statementCount() - before;
    };
    expect(await count(3, "few")).toBe(await count(12, "many"));
  });

  it("validates modifiers", async () => {
    const bad = await t.request("POST", "/api/pricing/modifiers", {
      body: { name: "x", type: "percentage_off", value: 150 },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe("value");
    const noCurrency = await t.request("POST", "/api/pricing/modifiers", {
      body: { name: "x", type: "fixed_off", value: 100 },
    });
    expect(noCurrency.body.error.details[0].path).toBe("currency");
  });
});
