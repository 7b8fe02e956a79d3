import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { type TestApp, useTestApp } from "../helpers/app.js";
import { cartWith, productWithStock } from "../helpers/commerce.js";
import { signUp } from "../helpers/customers.js";

/**
 * The public response cache over POST /graphql. A cached answer runs no SQL at all, which is what these
 * tests observe (the statement counter), besides the answers themselves.
 */
const redisUrl = process.env.TEST_REDIS_URL;

const PRODUCT = /* GraphQL */ `
  query ($slug: String!) {
    catalogEntity(slug: $slug) { id slug prices { id amount currency } inventory { available onHand reserved } }
  }`;

const UPDATE_PRICE = /* GraphQL */ `
  mutation ($input: UpdatePriceInput!) { updatePrice(input: $input) { __typename ... on UpdatePricePayload { price { amount } } } }`;

const ADJUST = /* GraphQL */ `
  mutation ($input: AdjustInventoryInput!) { adjustInventory(input: $input) { __typename } }`;

/** Sends a GraphQL request and says how many SQL statements it ran. */
async function counted(
  t: TestApp,
  query: string,
  variables: Record<string, unknown>,
  options: { key?: string | null; headers?: Record<string, string> } = {},
) {
  const before = t.app.db.statementCount();
  const res = await t.request("POST", "/graphql", {
    body: { query, variables },
    key: options.key,
    headers: options.headers,
  });
  return { res, statements: t.app.db.statementCount() - before };
}

function suite(label: string, redis: string | undefined) {
  describe(`public response cache over GraphQL (${label})`, () => {
    const t = useTestApp({ responseCache: { enabled: true, ttlSeconds: 60 }, redisUrl: redis });

    it("answers an anonymous catalog read again without SQL, and shows a price or stock change on the next request", async () => {
      const product = await productWithStock(t, { price: 1000, stock: 5 });
      const first = await counted(t, PRODUCT, { slug: product.slug }, { key: null });
      expect(first.res.status).toBe(200);
      const entity = first.res.body.data.catalogEntity;
      expect(entity.prices[0].amount).toBe(1000);
      expect(entity.inventory[0]).toEqual({ available: 5, onHand: null, reserved: null });
      expect(first.statements).toBeGreaterThan(0);

      const again = await counted(t, PRODUCT, { slug: product.slug }, { key: null });
      expect(again.res.body).toEqual(first.res.body);
      expect(again.statements).toBe(0);
      // The cache's own metadata (headers, hit flags) stays out of the body.
      expect(again.res.body.extensions?.http).toBeUndefined();
      expect(again.res.body.extensions?.responseCache).toBeUndefined();

      // A price change (a merchant's mutation) is visible on the very next request.
      const updated = await t.graphql(UPDATE_PRICE, { input: { id: entity.prices[0].id, amount: 2500 } });
      expect(updated.body.data.updatePrice.__typename).toBe("UpdatePricePayload");
      const afterPrice = await counted(t, PRODUCT, { slug: product.slug }, { key: null });
      expect(afterPrice.res.body.data.catalogEntity.prices[0].amount).toBe(2500);
      expect(afterPrice.statements).toBeGreaterThan(0);

      // So is a stock change.
      const warehouses = await t.request("GET", "/api/inventory/warehouses");
      const adjusted = await t.graphql(ADJUST, {
        input: { entityId: product.id, warehouseId: warehouses.body.data[0].id, type: "restock", quantity: 3 },
      });
      expect(adjusted.body.data.adjustInventory.__typename).toBe("AdjustInventoryPayload");
      const afterStock = await counted(t, PRODUCT, { slug: product.slug }, { key: null });
      expect(afterStock.res.body.data.catalogEntity.inventory[0].available).toBe(8);
      expect((await counted(t, PRODUCT, { slug: product.slug }, { key: null })).statements).toBe(0);
    });

    it("keys answers by variables, store and Accept-Language", async () => {
      const a = await productWithStock(t, { price: 111 });
      const b = await productWithStock(t, { price: 222 });
      const ofA = await counted(t, PRODUCT, { slug: a.slug }, { key: null });
      const ofB = await counted(t, PRODUCT, { slug: b.slug }, { key: null });
      expect([
        ofA.res.body.data.catalogEntity.prices[0].amount,
        ofB.res.body.data.catalogEntity.prices[0].amount,
      ]).toEqual([111, 222]);
      expect(ofB.statements).toBeGreaterThan(0);
      const french = await counted(t, PRODUCT, { slug: a.slug }, { key: null, headers: { "accept-language": "fr" } });
      expect(french.statements).toBeGreaterThan(0);
      expect(
        (await counted(t, PRODUCT, { slug: a.slug }, { key: null, headers: { "accept-language": "fr" } })).statements,
      ).toBe(0);

      // Another store's publishable key: its own store's answer (nothing), never the default store's.
      const store = await t.request("POST", "/api/stores", { body: { name: "Other", slug: `other-${Date.now()}` } });
      const publishable = await t.request("POST", "/api/api-keys", {
        body: { name: "storefront", kind: "publishable", storeId: store.body.data.id },
      });
      const elsewhere = await counted(t, PRODUCT, { slug: a.slug }, { key: publishable.body.data.secret });
      expect(elsewhere.res.body.data.catalogEntity).toBeNull();
      const own = await t.request("POST", "/api/api-keys", {
        body: { name: "own storefront", kind: "publishable", storeId: t.app.defaultStoreId },
      });
      const viaKey = await counted(t, PRODUCT, { slug: a.slug }, { key: own.body.data.secret });
      expect(viaKey.res.body.data.catalogEntity.prices[0].amount).toBe(111);
      const viaKeyAgain = await counted(t, PRODUCT, { slug: a.slug }, { key: own.body.data.secret });
      expect(viaKeyAgain.statements).toBe(0);
    });

    it("never answers a merchant key or a signed-in customer from the cache, and never stores their answers", async () => {
      const product = await productWithStock(t, { price: 700, stock: 4 });
      // The merchant asks first: its answer (with onHand) must not become the public one.
      const merchant = await counted(t, PRODUCT, { slug: product.slug });
      expect(merchant.res.body.data.catalogEntity.inventory[0].onHand).toBe(4);
      const anonymous = await counted(t, PRODUCT, { slug: product.slug }, { key: null });
      expect(anonymous.statements).toBeGreaterThan(0);
      expect(anonymous.res.body.data.catalogEntity.inventory[0].onHand).toBeNull();
      // Now cached for the public, but the merchant still gets its own, executed answer.
      expect((await counted(t, PRODUCT, { slug: product.slug }, { key: null })).statements).toBe(0);
      const merchantAgain = await counted(t, PRODUCT, { slug: product.slug });
      expect(merchantAgain.statements).toBeGreaterThan(0);
      expect(merchantAgain.res.body.data.catalogEntity.inventory[0].onHand).toBe(4);

      const customer = await signUp(t);
      const other = await productWithStock(t, { price: 800 });
      for (let i = 0; i < 2; i++) {
        const asCustomer = await counted(t, PRODUCT, { slug: other.slug }, customer.as);
        expect(asCustomer.res.body.data.catalogEntity.prices[0].amount).toBe(800);
        expect(asCustomer.statements).toBeGreaterThan(0);
      }
      // The customer's reads stored nothing: the first anonymous read executes.
      expect((await counted(t, PRODUCT, { slug: other.slug }, { key: null })).statements).toBeGreaterThan(0);
    });

    it("never caches mutations or non-public reads (a guest cart)", async () => {
      const product = await productWithStock(t);
      const create = `mutation { createCart(input: { currency: "USD" }) { __typename ... on CreateCartPayload { cart { id } } } }`;
      const first = await t.graphql(create, {}, null);
      const second = await t.graphql(create, {}, null);
      expect(first.body.data.createCart.cart.id).not.toBe(second.body.data.createCart.cart.id);

      const cartId = await cartWith(t, []);
      const read = `query ($id: ID!) { cart(id: $id) { id items { quantity } } }`;
      expect((await t.graphql(read, { id: cartId }, null)).body.data.cart.items).toEqual([]);
      const added = await t.request("POST", `/api/carts/${cartId}/items`, {
        key: null,
        body: { entityId: product.id, quantity: 2 },
      });
      expect(added.status).toBeLessThan(300);
      expect((await t.graphql(read, { id: cartId }, null)).body.data.cart.items).toEqual([{ quantity: 2 }]);
    });

    it("answers 304 to If-None-Match with the ETag of a cached answer", async () => {
      const product = await productWithStock(t);
      const first = await counted(t, PRODUCT, { slug: product.slug }, { key: null });
      const etag = first.res.headers.get("etag");
      expect(etag).toBeTruthy();
      const revalidated = await t.request("POST", "/graphql", {
        key: null,
        body: { query: PRODUCT, variables: { slug: product.slug } },
        headers: { "if-none-match": etag! },
      });
      expect(revalidated.status).toBe(304);
      // A merchant gets no ETag.
      expect((await counted(t, PRODUCT, { slug: product.slug })).res.headers.get("etag")).toBeNull();
    });
  });
}

suite("in memory", undefined);
if (redisUrl) suite("Redis", redisUrl);

describe("RESPONSE_CACHE", () => {
  it("is on by default and off with RESPONSE_CACHE=off", () => {
    expect(loadConfig({}).responseCache).toEqual({ enabled: true, ttlSeconds: 60 });
    expect(loadConfig({ RESPONSE_CACHE: "off" }).responseCache.enabled).toBe(false);
    expect(() => loadConfig({ RESPONSE_CACHE: "maybe" })).toThrow(/RESPONSE_CACHE/);
  });
});
