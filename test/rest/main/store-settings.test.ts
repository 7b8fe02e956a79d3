import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadStoreCharges } from "../../../src/domain/stores/settings.js";
import { useTestApp } from "../../helpers/app.js";
import { createStore } from "../../helpers/merchant.js";

const t = useTestApp();

const DEFAULTS = {
  defaultCurrency: "USD",
  currencySymbol: "$",
  taxRateBps: 0,
  taxPercentage: 0,
  shippingEnabled: true,
  flatShippingAmount: 0,
  freeShippingThreshold: null,
  paymentProvider: "manual",
};

function patch(body: Record<string, unknown>, key?: string | null) {
  return t.request("PATCH", "/api/store/settings", { body, key });
}

function detailPaths(res: { body: any }): string[] {
  return res.body.error.details.map((d: { path: string }) => d.path).sort();
}

// Runs in order: the tests share the default store's settings.
describe("GET /api/store/settings", () => {
  it("is public and answers the store's defaults", async () => {
    const res = await t.request("GET", "/api/store/settings", { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: DEFAULTS });
  });
});

describe("PATCH /api/store/settings", () => {
  it("changes the given settings and derives the symbol and percentage", async () => {
    const key = await t.createKey(["settings:update"]);
    const res = await patch(
      {
        defaultCurrency: "EUR",
        taxRateBps: 825,
        flatShippingAmount: 499,
        freeShippingThreshold: 5000,
        paymentProvider: "stripe",
      },
      key,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      defaultCurrency: "EUR",
      currencySymbol: "€",
      taxRateBps: 825,
      taxPercentage: 8.25,
      shippingEnabled: true,
      flatShippingAmount: 499,
      freeShippingThreshold: 5000,
      paymentProvider: "stripe",
    });
    expect((await t.request("GET", "/api/store/settings", { key: null })).body.data).toEqual(res.body.data);
  });

  it("is what checkout's totals are computed with", async () => {
    await patch({ taxRateBps: 1000, shippingEnabled: false, flatShippingAmount: 500, freeShippingThreshold: 10_000 });
    expect(await loadStoreCharges(t.app.db.prisma, t.app.defaultStoreId)).toEqual({
      defaultCurrency: "EUR",
      taxRateBps: 1000,
      shippingEnabled: false,
      flatShippingAmount: 500,
      freeShippingThreshold: 10_000,
    });
  });

  it("keeps what is not given and clears the threshold with null", async () => {
    const res = await patch({ freeShippingThreshold: null, shippingEnabled: true });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      defaultCurrency: "EUR",
      taxRateBps: 1000,
      freeShippingThreshold: null,
      shippingEnabled: true,
    });
    const empty = await patch({});
    expect(empty.status).toBe(200);
    expect(empty.body.data).toEqual(res.body.data);
  });

  it("accepts the bounds: 0 and 10000 basis points, 0 amounts", async () => {
    expect(
      (await patch({ taxRateBps: 10_000, flatShippingAmount: 0, freeShippingThreshold: 0 })).body.data,
    ).toMatchObject({
      taxRateBps: 10_000,
      taxPercentage: 100,
      flatShippingAmount: 0,
      freeShippingThreshold: 0,
    });
    expect((await patch({ taxRateBps: 0 })).body.data.taxPercentage).toBe(0);
  });

  it.each([
    ["a lower-case currency", { defaultCurrency: "usd" }, ["defaultCurrency"]],
    ["a four-letter currency", { defaultCurrency: "USDT" }, ["defaultCurrency"]],
    ["a tax rate over 100%", { taxRateBps: 10_001 }, ["taxRateBps"]],
    ["a negative tax rate", { taxRateBps: -1 }, ["taxRateBps"]],
    ["a fractional tax rate", { taxRateBps: 8.5 }, ["taxRateBps"]],
    [
      "negative amounts",
      { flatShippingAmount: -1, freeShippingThreshold: -5 },
      ["flatShippingAmount", "freeShippingThreshold"],
    ],
    ["an unknown payment provider", { paymentProvider: "paypal" }, ["paymentProvider"]],
    [
      "null for a setting that cannot be cleared",
      { shippingEnabled: null, defaultCurrency: null },
      ["defaultCurrency", "shippingEnabled"],
    ],
    ["an unknown field", { taxPercentage: 10 }, ["taxPercentage"]],
  ])("answers 422 with field paths for %s", async (_label, body, paths) => {
    const res = await patch(body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(detailPaths(res)).toEqual(paths);
  });

  it("needs settings:update (401 anonymous, 403 otherwise)", async () => {
    const anonymous = await patch({ taxRateBps: 5 }, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("UNAUTHORIZED");
    for (const permissions of [["catalog:*"], ["promotions:update"], ["settings:read"]]) {
      const res = await patch({ taxRateBps: 5 }, await t.createKey(permissions));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
    }
    expect((await patch({ taxRateBps: 5 }, await t.createKey(["settings:*"]))).status).toBe(200);
  });

  it("changes only the key's store", async () => {
    const store = await createStore(t, { slug: `store-${randomUUID()}`, name: "Other", defaultLocale: "en-GB" });
    const key = await t.createKey(["settings:update"], store.id);
    const res = await patch({ defaultCurrency: "GBP", taxRateBps: 2000 }, key);
    expect(res.body.data).toMatchObject({ defaultCurrency: "GBP", currencySymbol: "£", taxRateBps: 2000 });
    const own = await t.request("GET", "/api/store/settings", { key });
    expect(own.body.data.defaultCurrency).toBe("GBP");
    const defaultStore = await t.request("GET", "/api/store/settings", { key: null });
    expect(defaultStore.body.data.defaultCurrency).toBe("EUR");
  });
});

describe("GraphQL", () => {
  it("reads storeSettings publicly", async () => {
    const res = await t.graphql(
      "{ storeSettings { defaultCurrency currencySymbol taxRateBps taxPercentage paymentProvider } }",
      {},
      null,
    );
    expect(res.body.data.storeSettings).toMatchObject({ defaultCurrency: "EUR", currencySymbol: "€" });
  });

  it("updates with a result union and typed validation errors", async () => {
    const UPDATE = `mutation ($input: UpdateStoreSettingsInput!) {
      updateStoreSettings(input: $input) {
        __typename
        ... on UpdateStoreSettingsPayload { settings { defaultCurrency currencySymbol flatShippingAmount } }
        ... on ValidationError { fieldErrors { path } }
      }
    }`;
    const ok = await t.graphql(UPDATE, { input: { defaultCurrency: "JPY", flatShippingAmount: 800 } });
    expect(ok.body.data.updateStoreSettings).toEqual({
      __typename: "UpdateStoreSettingsPayload",
      settings: { defaultCurrency: "JPY", currencySymbol: "¥", flatShippingAmount: 800 },
    });
    const invalid = await t.graphql(UPDATE, { input: { taxRateBps: 20_000 } });
    expect(invalid.body.data.updateStoreSettings).toEqual({
      __typename: "ValidationError",
      fieldErrors: [{ path: "taxRateBps" }],
    });
    const forbidden = await t.graphql(UPDATE, { input: { taxRateBps: 1 } }, await t.createKey(["catalog:update"]));
    expect(forbidden.body.errors[0].extensions.code).toBe("FORBIDDEN");
    const anonymous = await t.graphql(UPDATE, { input: { taxRateBps: 1 } }, null);
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHORIZED");
  });
});
