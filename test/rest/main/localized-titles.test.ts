import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";

const t = useTestApp();

describe("titles of cart items and order lines", () => {
  it("are in the store's locale, falling back to its language and then to any title", async () => {
    const moved = await t.request("PATCH", `/api/stores/${t.app.defaultStoreId}`, { body: { defaultLocale: "de-AT" } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const product = await productWithStock(t, { price: 900, stock: 5 }); // titled in en
    expect(
      (await t.request("PUT", `/api/catalog/entities/${product.id}/attributes/de`, { body: { title: "Blaues Ding" } }))
        .status,
    ).toBe(200);
    const englishOnly = await productWithStock(t, { price: 500, stock: 5 });

    const cartId = await cartWith(t, [
      { entityId: product.id, quantity: 1 },
      { entityId: englishOnly.id, quantity: 1 },
    ]);
    const cart = await t.request("GET", `/api/carts/${cartId}`, { key: null });
    const cartTitles = (cart.body.data.items as { entityId: string; title: string }[]).map((i) => [
      i.entityId,
      i.title,
    ]);
    expect(Object.fromEntries(cartTitles)).toEqual({
      [product.id]: "Blaues Ding",
      [englishOnly.id]: `Title of ${englishOnly.slug}`,
    });

    const placed = await t.request("POST", "/api/checkout", {
      key: null,
      body: checkoutBody(cartId, { currency: "USD" }),
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const lineTitles = (placed.body.data.lines as { entityId: string; title: string }[]).map((l) => [
      l.entityId,
      l.title,
    ]);
    expect(Object.fromEntries(lineTitles)).toEqual({
      [product.id]: "Blaues Ding",
      [englishOnly.id]: `Title of ${englishOnly.slug}`,
    });
  });
});
