import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";

const t = useTestApp();

/** Creates a store through the API and its keys: a secret key holding everything, and a publishable key. */
async function storeWithKeys(slug: string) {
  const created = await t.request("POST", "/api/stores", {
    body: { name: `Store ${slug}`, slug, defaultCurrency: "EUR", taxRateBps: 2000 },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const storeId = created.body.data.id as string;
  const secret = await t.request("POST", "/api/api-keys", {
    body: { name: "back office", permissions: ["*:*"], storeId },
  });
  expect(secret.status, JSON.stringify(secret.body)).toBe(201);
  const publishable = await t.request("POST", "/api/api-keys", {
    body: { name: "storefront", kind: "publishable", storeId },
  });
  expect(publishable.status, JSON.stringify(publishable.body)).toBe(201);
  return {
    storeId,
    store: created.body.data,
    secretKey: secret.body.data.secret as string,
    publishableKey: publishable.body.data.secret as string,
  };
}

describe("stores", () => {
  it("are created by a platform-wide key with their settings, listed, and updated", async () => {
    const { storeId, store, secretKey, publishableKey } = await storeWithKeys("shop-one");
    expect(store).toMatchObject({
      slug: "shop-one",
      name: "Store shop-one",
      settings: { defaultCurrency: "EUR", currencySymbol: "€", taxPercentage: 20 },
    });
    expect(secretKey).toMatch(/^cg_/);
    expect(publishableKey).toMatch(/^pk_/);

    const listed = await t.request("GET", "/api/stores");
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((s: { slug: string }) => s.slug)).toEqual(["default", "shop-one"]);
    expect(listed.body.meta.pagination.total).toBe(2);

    expect((await t.request("POST", "/api/stores", { body: { name: "Again", slug: "shop-one" } })).status).toBe(409);
    const invalid = await t.request("POST", "/api/stores", {
      body: { name: "Bad", slug: "Not A Slug", taxRateBps: 20_000 },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["slug", "taxRateBps"]);

    const renamed = await t.request("PATCH", `/api/stores/${storeId}`, {
      body: { name: "Renamed", flatShippingAmount: 500, paymentProvider: "stripe" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({
      name: "Renamed",
      slug: "shop-one",
      settings: { flatShippingAmount: 500, paymentProvider: "stripe" },
    });
    expect((await t.request("GET", `/api/stores/${storeId}`)).body.data.name).toBe("Renamed");
  });

  it("keep the default store's slug, which start-up finds it by", async () => {
    const list = await t.request("GET", "/api/stores");
    const defaultStore = list.body.data.find((s: { slug: string }) => s.slug === "default");
    const refused = await t.request("PATCH", `/api/stores/${defaultStore.id}`, { body: { slug: "renamed-default" } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0]).toMatchObject({ path: "slug", code: "immutable" });
    expect((await t.request("PATCH", `/api/stores/${defaultStore.id}`, { body: { name: "Main shop" } })).status).toBe(
      200,
    );
  });

  it("are out of reach of keys bound to another store: they see, change and key only their own", async () => {
    const b = await storeWithKeys("shop-b");
    const listed = await t.request("GET", "/api/stores", { key: b.secretKey });
    expect(listed.body.data.map((s: { slug: string }) => s.slug)).toEqual(["shop-b"]);
    const defaultId = t.app.defaultStoreId;
    expect((await t.request("GET", `/api/stores/${defaultId}`, { key: b.secretKey })).status).toBe(404);
    expect(
      (await t.request("PATCH", `/api/stores/${defaultId}`, { key: b.secretKey, body: { name: "Taken over" } })).status,
    ).toBe(404);
    expect(
      (await t.request("POST", "/api/stores", { key: b.secretKey, body: { name: "Mine", slug: "shop-b-2" } })).status,
    ).toBe(403);
    expect(
      (await t.request("PATCH", `/api/stores/${b.storeId}`, { key: b.secretKey, body: { name: "B renamed" } })).status,
    ).toBe(200);
    const foreignKey = await t.request("POST", "/api/api-keys", {
      key: b.secretKey,
      body: { name: "x", permissions: ["catalog:read"], storeId: defaultId },
    });
    expect(foreignKey.status).toBe(403);
    const graphql = await t.graphql(
      `query { stores { edges { node { slug } } } store(id: "${defaultId}") { slug } }`,
      {},
      b.secretKey,
    );
    expect(graphql.body.data).toEqual({ stores: { edges: [{ node: { slug: "shop-b" } }] }, store: null });
    // Without stores:manage, nothing.
    const reader = await t.createKey(["catalog:read"], b.storeId);
    expect((await t.request("GET", "/api/stores", { key: reader })).status).toBe(403);
  });
});

describe("publishable keys", () => {
  it("hold no permission, are listed by kind, and act as a shopper of their store", async () => {
    const b = await storeWithKeys("shop-pk");
    const withPermissions = await t.request("POST", "/api/api-keys", {
      key: b.secretKey,
      body: { name: "bad", kind: "publishable", permissions: ["catalog:read"] },
    });
    expect(withPermissions.status).toBe(422);
    expect(withPermissions.body.error.details[0].path).toBe("permissions");
    const keys = await t.request("GET", "/api/api-keys", { key: b.secretKey });
    expect(keys.body.data.map((k: { kind: string }) => k.kind).sort()).toEqual(["publishable", "secret"]);

    const draft = await t.request("POST", "/api/catalog/entities", {
      key: b.secretKey,
      body: { type: "product", slug: "draft-one" },
    });
    const active = await t.request("POST", "/api/catalog/entities", {
      key: b.secretKey,
      body: { type: "product", slug: "live-one", status: "active" },
    });
    expect([draft.status, active.status]).toEqual([201, 201]);

    // Only the store's active catalog, like an anonymous shopper of that store.
    const seen = await t.request("GET", "/api/catalog/entities", { key: b.publishableKey });
    expect(seen.status).toBe(200);
    expect(seen.body.data.map((e: { slug: string }) => e.slug)).toEqual(["live-one"]);
    expect(
      (await t.request("GET", `/api/catalog/entities/${draft.body.data.id}`, { key: b.publishableKey })).status,
    ).toBe(404);
    // No merchant route.
    for (const [method, path] of [
      ["GET", "/api/orders"],
      ["GET", "/api/api-keys"],
      ["GET", "/api/stores"],
      ["POST", "/api/catalog/entities"],
      ["PATCH", "/api/store/settings"],
    ] as const) {
      const body = path === "/api/catalog/entities" ? { type: "product", slug: "sneaky" } : { taxRateBps: 0 };
      const response = await t.request(method, path, {
        key: b.publishableKey,
        body: method === "GET" ? undefined : body,
      });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    // A guest cart of its store.
    const cart = await t.request("POST", "/api/carts", { key: b.publishableKey, body: { currency: "EUR" } });
    expect(cart.status).toBe(201);
    expect((await t.request("GET", `/api/carts/${cart.body.data.id}`, { key: b.publishableKey })).status).toBe(200);
    expect((await t.request("GET", `/api/carts/${cart.body.data.id}`, { key: null })).status).toBe(404); // another store's cart
  });

  it("stop working once revoked", async () => {
    const b = await storeWithKeys("shop-revoke");
    const keys = await t.request("GET", "/api/api-keys", { key: b.secretKey });
    const pk = keys.body.data.find((k: { kind: string }) => k.kind === "publishable");
    expect((await t.request("DELETE", `/api/api-keys/${pk.id}`, { key: b.secretKey })).status).toBe(200);
    t.app.authenticator.forget();
    expect((await t.request("GET", "/api/catalog/entities", { key: b.publishableKey })).status).toBe(401);
  });
});

describe("payment provider setting", () => {
  it("is what checkout uses, or manual when the server is not configured for it", async () => {
    const set = await t.request("PATCH", "/api/store/settings", { body: { paymentProvider: "stripe" } });
    expect(set.status).toBe(200);
    const settings = await t.graphql(`query { storeSettings { paymentProvider activePaymentProvider } }`);
    expect(settings.body.data.storeSettings).toEqual({ paymentProvider: "stripe", activePaymentProvider: "manual" });
  });
});
