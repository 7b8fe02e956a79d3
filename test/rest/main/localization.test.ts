import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { signUp } from "../../helpers/customers.js";
import { ok, product } from "../../helpers/storefront.js";

const t = useTestApp();

let bag: { id: string; slug: string };
let italianOnly: { id: string };
let germanyOnly: { id: string };

beforeAll(async () => {
  bag = await product(t, { titles: { en: "Bag", de: "Tasche", "de-CH": "Täschli", fr: "Sac" } });
  italianOnly = await product(t, { titles: { it: "Borsa" } });
  germanyOnly = await product(t, { titles: { "de-DE": "Beutel" } });
  await ok(t, "POST", "/api/pricing/prices", { body: { entityId: bag.id, currency: "EUR", amount: 900 } });
  await ok(t, "POST", "/api/pricing/prices", { body: { entityId: bag.id, currency: "CHF", amount: 950 } });
});

const localizedTitle = async (id: string, acceptLanguage?: string) => {
  const res = await t.request("GET", `/api/catalog/entities/${id}`, {
    key: null,
    headers: acceptLanguage ? { "accept-language": acceptLanguage } : {},
  });
  expect(res.status).toBe(200);
  return res.body.data.localized?.title as string | undefined;
};

describe("Accept-Language picks localized attributes: tag -> base language -> store default -> any", () => {
  it("takes the exact tag, case-insensitively", async () => {
    expect(await localizedTitle(bag.id, "de-CH")).toBe("Täschli");
    expect(await localizedTitle(bag.id, "DE-ch")).toBe("Täschli");
    expect(await localizedTitle(bag.id, "fr-FR;q=0.4, de-CH")).toBe("Täschli");
  });

  it("falls back to the base language, and to a regional text of that language", async () => {
    expect(await localizedTitle(bag.id, "de-AT")).toBe("Tasche");
    expect(await localizedTitle(germanyOnly.id, "de")).toBe("Beutel");
  });

  it("tries the client's languages in order of preference before the store's default", async () => {
    expect(await localizedTitle(bag.id, "pt-BR, fr;q=0.8, de;q=0.5")).toBe("Sac");
  });

  it("falls back to the store's default locale, then to any text", async () => {
    expect(await localizedTitle(bag.id, "ja")).toBe("Bag");
    expect(await localizedTitle(bag.id)).toBe("Bag");
    expect(await localizedTitle(italianOnly.id, "ja")).toBe("Borsa");
    await ok(t, "PATCH", `/api/stores/${t.app.defaultStoreId}`, { body: { defaultLocale: "fr" } });
    try {
      expect(await localizedTitle(bag.id, "ja")).toBe("Sac");
    } finally {
      await ok(t, "PATCH", `/api/stores/${t.app.defaultStoreId}`, { body: { defaultLocale: "en" } });
    }
  });

  it("lets GraphQL's locale argument win over the header, and refuses a malformed one", async () => {
    const query = `query ($id: ID!, $locale: String) { catalogEntity(id: $id) { localized(locale: $locale) { locale title } } }`;
    const send = (locale: string | null) =>
      t.request("POST", "/graphql", {
        key: null,
        headers: { "accept-language": "de-CH" },
        body: { query, variables: { id: bag.id, locale } },
      });
    expect((await send(null)).body.data.catalogEntity.localized).toEqual({ locale: "de-CH", title: "Täschli" });
    expect((await send("fr-CA")).body.data.catalogEntity.localized).toEqual({ locale: "fr", title: "Sac" });
    const bad = await send("not a locale!");
    expect(bad.body.errors[0].extensions.code).toBe("VALIDATION_FAILED");
  });
});

describe("prices resolve for the customer's currency or region where prices exist", () => {
  const priceQuery = `query ($id: ID!, $currency: String) { catalogEntity(id: $id) { price(currency: $currency) { amount currency } } }`;
  const priceWith = async (
    headers: Record<string, string>,
    currency?: string,
    as: { key?: string | null; headers?: Record<string, string> } = { key: null },
  ) => {
    const res = await t.request("POST", "/graphql", {
      ...as,
      headers: { ...as.headers, ...headers },
      body: { query: priceQuery, variables: { id: bag.id, currency } },
    });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.catalogEntity.price;
  };

  it("uses X-Currency, else the region's currency (X-Region, then the Accept-Language region), else the store's", async () => {
    expect(await priceWith({})).toEqual({ amount: 1000, currency: "USD" });
    expect(await priceWith({ "x-currency": "EUR" })).toEqual({ amount: 900, currency: "EUR" });
    expect(await priceWith({ "x-region": "CH" })).toEqual({ amount: 950, currency: "CHF" });
    expect(await priceWith({ "accept-language": "de-CH" })).toEqual({ amount: 950, currency: "CHF" });
    expect(await priceWith({ "accept-language": "de-AT", "x-region": "DE" })).toEqual({ amount: 900, currency: "EUR" });
  });

  it("falls back to the store's currency where the regional one has no price; an explicit currency is taken as asked", async () => {
    expect(await priceWith({ "x-region": "JP" })).toEqual({ amount: 1000, currency: "USD" });
    expect(await priceWith({ "x-region": "CH" }, "JPY")).toBeNull();
    expect(await priceWith({ "x-region": "CH" }, "EUR")).toEqual({ amount: 900, currency: "EUR" });
  });

  it("uses a signed-in customer's country (default shipping address) when the request names no region", async () => {
    const me = await signUp(t);
    await ok(t, "POST", "/api/me/addresses", {
      ...me.as,
      body: { line1: "Hauptstr. 1", city: "Berlin", country: "DE" },
    });
    expect(await priceWith({}, undefined, me.as)).toEqual({ amount: 900, currency: "EUR" });
    expect(await priceWith({ "x-region": "CH" }, undefined, me.as)).toEqual({ amount: 950, currency: "CHF" });
  });
});
