import { describe, expect, it } from "vitest";
import { type TestApp, useTestApp } from "../helpers/app.js";
import { cartWith, checkoutBody, productWithStock } from "../helpers/commerce.js";
import { signUp } from "../helpers/customers.js";
import { createProject, productOf, storefront } from "./projects/project.js";

/**
 * The public response cache on the REST side: public GET routes (catalog, search, categories, settings)
 * answer anonymous and publishable-key callers from the cache, with an ETag and `Cache-Control: public,
 * no-cache`, and 304 on If-None-Match; merchants and customers get `private, no-store` and executed
 * answers. A cached answer runs no SQL, which is what the statement counter observes.
 */
const redisUrl = process.env.TEST_REDIS_URL;

async function counted(
  t: TestApp,
  path: string,
  options: { key?: string | null; headers?: Record<string, string> } = {},
) {
  const before = t.app.db.statementCount();
  const res = await t.request("GET", path, options);
  return { res, statements: t.app.db.statementCount() - before };
}

function suite(label: string, redis: string | undefined) {
  describe(`public response cache over REST (${label})`, () => {
    const t = useTestApp({ responseCache: { enabled: true, ttlSeconds: 60 }, redisUrl: redis });
    const entityPath = (slug: string) => `/api/catalog/entities/${slug}?include=pricing,inventory`;

    it("answers anonymous catalog reads from the cache with an ETag, 304 on If-None-Match, and shows price and stock changes at once", async () => {
      const product = await productWithStock(t, { price: 1500, stock: 6 });
      const first = await counted(t, entityPath(product.slug), { key: null });
      expect(first.res.status).toBe(200);
      expect(first.statements).toBeGreaterThan(0);
      expect(first.res.headers.get("cache-control")).toBe("public, no-cache");
      expect(first.res.headers.get("vary")).toMatch(/Accept-Language/);
      const etag = first.res.headers.get("etag")!;
      expect(etag).toMatch(/^W\/".+"$/);
      const prices = first.res.body.data.pricing as { id: string; amount: number }[];
      expect(prices.map((p) => p.amount)).toEqual([1500]);

      const again = await counted(t, entityPath(product.slug), { key: null });
      expect(again.statements).toBe(0);
      expect(again.res.body).toEqual(first.res.body);
      expect(again.res.headers.get("etag")).toBe(etag);

      const notModified = await counted(t, entityPath(product.slug), { key: null, headers: { "if-none-match": etag } });
      expect(notModified.res.status).toBe(304);
      expect(notModified.res.body).toBeUndefined();
      expect(notModified.statements).toBe(0);

      // A price change through REST: visible on the next request, with a new ETag (the old one gets a 200).
      const patched = await t.request("PATCH", `/api/pricing/prices/${prices[0]!.id}`, { body: { amount: 1800 } });
      expect(patched.status).toBe(200);
      const afterPrice = await counted(t, entityPath(product.slug), { key: null, headers: { "if-none-match": etag } });
      expect(afterPrice.res.status).toBe(200);
      expect(afterPrice.res.body.data.pricing.map((p: { amount: number }) => p.amount)).toEqual([1800]);
      expect(afterPrice.res.headers.get("etag")).not.toBe(etag);

      // A sale reserves stock: the public availability drops on the next request.
      const availableBefore = afterPrice.res.body.data.inventory[0].available;
      const cartId = await cartWith(t, [{ entityId: product.id, quantity: 2 }]);
      const order = await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cartId) });
      expect(order.status, JSON.stringify(order.body)).toBe(201);
      const afterSale = await counted(t, entityPath(product.slug), { key: null });
      expect(afterSale.res.body.data.inventory[0].available).toBe(availableBefore - 2);
      expect(afterSale.statements).toBeGreaterThan(0);
    });

    it("caches lists, search and categories per query string and Accept-Language", async () => {
      await productWithStock(t, { price: 100 });
      for (const path of ["/api/catalog/entities?limit=5", "/api/catalog/categories", "/api/store/settings"]) {
        const first = await counted(t, path, { key: null });
        expect(first.res.status, `${path}: ${JSON.stringify(first.res.body)}`).toBe(200);
        expect((await counted(t, path, { key: null })).statements, path).toBe(0);
      }
      expect((await counted(t, "/api/catalog/entities?limit=6", { key: null })).statements).toBeGreaterThan(0);
      expect(
        (await counted(t, "/api/catalog/entities?limit=5", { key: null, headers: { "accept-language": "de" } }))
          .statements,
      ).toBeGreaterThan(0);
    });

    it("never serves or stores a merchant's or a customer's answer", async () => {
      const product = await productWithStock(t, { price: 900, stock: 3 });
      const merchant = await counted(t, entityPath(product.slug));
      expect(merchant.res.status).toBe(200);
      expect(merchant.res.headers.get("cache-control")).toBe("private, no-store");
      expect(merchant.res.headers.get("etag")).toBeNull();
      expect(merchant.res.body.data.inventory[0].onHand).toBe(3);

      // The merchant's read stored nothing: the public one executes, and shows no onHand.
      const anonymous = await counted(t, entityPath(product.slug), { key: null });
      expect(anonymous.statements).toBeGreaterThan(0);
      expect(anonymous.res.body.data.inventory[0].onHand ?? null).toBeNull();
      expect((await counted(t, entityPath(product.slug), { key: null })).statements).toBe(0);

      // With the public answer cached, the merchant still gets its own.
      const merchantAgain = await counted(t, entityPath(product.slug));
      expect(merchantAgain.statements).toBeGreaterThan(0);
      expect(merchantAgain.res.body.data.inventory[0].onHand).toBe(3);

      const customer = await signUp(t);
      const fresh = await productWithStock(t, { price: 901 });
      for (let i = 0; i < 2; i++) {
        const asCustomer = await counted(t, entityPath(fresh.slug), customer.as);
        expect(asCustomer.res.status).toBe(200);
        expect(asCustomer.statements).toBeGreaterThan(0);
        expect(asCustomer.res.headers.get("cache-control")).toBe("private, no-store");
      }
      expect((await counted(t, entityPath(fresh.slug), { key: null })).statements).toBeGreaterThan(0);
    });

    it("keeps every project's storefront answers apart (seed 003, publishable keys)", async () => {
      const suffix = Math.random().toString(36).slice(2, 7);
      const one = await createProject(t, `cache-one-${suffix}`);
      const two = await createProject(t, `cache-two-${suffix}`);
      await productOf(t, one, { slug: "same-slug", price: 1000, stock: 2 });
      await productOf(t, two, { slug: "same-slug", price: 2000, stock: 2 });
      const ofOne = storefront(t, one.slug, one.publishableKey);
      const ofTwo = storefront(t, two.slug, two.publishableKey);
      const a = await ofOne("GET", "/products");
      const b = await ofTwo("GET", "/products");
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      // Seed 003 shows prices in major units.
      expect(a.body.products.map((p: { price: number }) => p.price)).toEqual([10]);
      expect(b.body.products.map((p: { price: number }) => p.price)).toEqual([20]);
      // Served from the cache: only the project's slug is looked up (a cold read runs the catalog queries too).
      let before = t.app.db.statementCount();
      await ofTwo("GET", "/products?limit=7");
      const cold = t.app.db.statementCount() - before;
      before = t.app.db.statementCount();
      expect((await ofOne("GET", "/products")).body).toEqual(a.body);
      expect(t.app.db.statementCount() - before).toBeLessThan(cold);
    });
  });
}

suite("in memory", undefined);
if (redisUrl) suite("Redis", redisUrl);
