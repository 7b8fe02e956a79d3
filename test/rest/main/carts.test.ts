import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { createCustomer, createPromotion, updateStoreSettings } from "../../helpers/merchant.js";

const t = useTestApp();
const guest = { key: null };

/** Guest carts are anonymous; attaching a customer is a merchant's call (the admin key). */
async function newCart(body: Record<string, unknown> = { currency: "USD" }) {
  const res = await t.request("POST", "/api/carts", { ...(body.customerId ? {} : guest), body });
  expect(res.status).toBe(201);
  return res.body.data as { id: string };
}

describe("carts", () => {
  it("creates a guest cart and adds items at the server's price with server totals", async () => {
    await updateStoreSettings(t, { taxRateBps: 800, flatShippingAmount: 500, freeShippingThreshold: null });
    const product = await productWithStock(t, { price: 1999 });
    const cart = await newCart();
    const added = await t.request("POST", `/api/carts/${cart.id}/items`, {
      ...guest,
      body: { entityId: product.id, quantity: 2, unitPriceSnapshot: 1999 },
    });
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({
      currency: "USD",
      status: "active",
      items: [
        {
          entityId: product.id,
          quantity: 2,
          unitPrice: 1999,
          subtotal: 3998,
          discount: 0,
          total: 3998,
          title: `Title of ${product.slug}`,
        },
      ],
      totals: { subtotal: 3998, discount: 0, tax: 320, shipping: 500, total: 4818 },
    });
    const again = await t.request("POST", `/api/carts/${cart.id}/items`, {
      ...guest,
      body: { entityId: product.id, quantity: 1 },
    });
    expect(again.body.data.items).toHaveLength(1);
    expect(again.body.data.items[0].quantity).toBe(3);
    const read = await t.request("GET", `/api/carts/${cart.id}`, guest);
    expect(read.body.data.totals.subtotal).toBe(5997);
  });

  it("refuses a stale client price with 409 and the typed details", async () => {
    const product = await productWithStock(t, { price: 2500 });
    const cart = await newCart();
    const res = await t.request("POST", `/api/carts/${cart.id}/items`, {
      ...guest,
      body: { entityId: product.id, quantity: 1, unitPriceSnapshot: 1 },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "CONFLICT",
      details: { expectedAmount: 2500, givenAmount: 1, currency: "USD" },
    });
    expect((await t.request("GET", `/api/carts/${cart.id}`, guest)).body.data.items).toEqual([]);
  });

  it("validates items: unknown or draft entities, missing prices, quantities, variants", async () => {
    const cart = await newCart();
    const add = (body: Record<string, unknown>) => t.request("POST", `/api/carts/${cart.id}/items`, { ...guest, body });
    const draft = (await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug: "cart-draft" } }))
      .body.data;
    expect((await add({ entityId: draft.id, quantity: 1 })).body.error.details[0].path).toBe("entityId");
    const unpriced = (
      await t.request("POST", "/api/catalog/entities", {
        body: { type: "product", slug: "cart-unpriced", status: "active" },
      })
    ).body.data;
    const noPrice = await add({ entityId: unpriced.id, quantity: 1 });
    expect(noPrice.status).toBe(422);
    expect(noPrice.body.error.details[0]).toMatchObject({ path: "entityId", code: "no_price" });
    const product = await productWithStock(t);
    expect((await add({ entityId: product.id, quantity: 0 })).body.error.details[0].path).toBe("quantity");
    expect((await add({ entityId: product.id, quantity: 1000 })).status).toBe(422);
    await t.request("POST", `/api/catalog/entities/${product.id}/options`, {
      body: { name: "Size", values: [{ value: "S" }] },
    });
    await t.request("POST", `/api/catalog/entities/${product.id}/variants/generate`, { body: {} });
    expect((await add({ entityId: product.id, quantity: 1 })).body.error.details[0].path).toBe("variantId");
    expect(
      (
        await t.request("POST", "/api/carts/00000000-0000-4000-8000-000000000000/items", {
          ...guest,
          body: { entityId: product.id, quantity: 1 },
        })
      ).status,
    ).toBe(404);
    expect((await t.request("POST", "/api/carts", { ...guest, body: { currency: "usd" } })).status).toBe(422);
  });

  it("updates and removes items, and refuses changes to a checked-out cart", async () => {
    const product = await productWithStock(t, { price: 1000 });
    const cart = await newCart();
    const item = (
      await t.request("POST", `/api/carts/${cart.id}/items`, { ...guest, body: { entityId: product.id, quantity: 1 } })
    ).body.data.items[0];
    const updated = await t.request("PATCH", `/api/carts/${cart.id}/items/${item.id}`, {
      ...guest,
      body: { quantity: 4 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data.totals.subtotal).toBe(4000);
    expect(
      (
        await t.request("PATCH", `/api/carts/${cart.id}/items/00000000-0000-4000-8000-000000000000`, {
          ...guest,
          body: { quantity: 1 },
        })
      ).status,
    ).toBe(404);
    const removed = await t.request("DELETE", `/api/carts/${cart.id}/items/${item.id}`, guest);
    expect(removed.body.data.items).toEqual([]);
    // Checked out through the API (one line again, as checkout needs).
    await t.request("POST", `/api/carts/${cart.id}/items`, { ...guest, body: { entityId: product.id, quantity: 1 } });
    const placed = await t.request("POST", "/api/checkout", { ...guest, body: checkoutBody(cart.id) });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(
      (
        await t.request("POST", `/api/carts/${cart.id}/items`, {
          ...guest,
          body: { entityId: product.id, quantity: 1 },
        })
      ).status,
    ).toBe(409);
  });

  it("prices by the customer's group", async () => {
    const product = await productWithStock(t, { price: 1000 });
    const group = (await t.request("POST", "/api/customer-groups", { body: { name: "Members" } })).body.data;
    await t.request("POST", "/api/pricing/prices", {
      body: { entityId: product.id, currency: "USD", amount: 800, customerGroupId: group.id },
    });
    const customer = await createCustomer(t, { email: "member@example.com", groupIds: [group.id] });
    const memberCart = await newCart({ currency: "USD", customerId: customer.id });
    const added = await t.request("POST", `/api/carts/${memberCart.id}/items`, {
      body: { entityId: product.id, quantity: 1 },
    });
    expect(added.body.data.items[0].unitPrice).toBe(800);
    // the customer's cart is theirs (and their merchant's): to anyone else it does not exist
    expect(
      (
        await t.request("POST", `/api/carts/${memberCart.id}/items`, {
          ...guest,
          body: { entityId: product.id, quantity: 1 },
        })
      ).status,
    ).toBe(404);
    expect((await t.request("GET", `/api/carts/${memberCart.id}`, guest)).status).toBe(404);
    const guestCart = await newCart();
    expect(
      (
        await t.request("POST", `/api/carts/${guestCart.id}/items`, {
          ...guest,
          body: { entityId: product.id, quantity: 1 },
        })
      ).body.data.items[0].unitPrice,
    ).toBe(1000);
    expect(
      (
        await t.request("POST", "/api/carts", {
          body: { currency: "USD", customerId: "00000000-0000-4000-8000-000000000000" },
        })
      ).status,
    ).toBe(422);
    // a shopper cannot claim a customer (and their group prices) by id
    expect(
      (await t.request("POST", "/api/carts", { ...guest, body: { currency: "USD", customerId: customer.id } })).status,
    ).toBe(403);
  });

  it("applies and removes promotion codes, explaining refusals", async () => {
    const product = await productWithStock(t, { price: 4000 });
    await createPromotion(t, {
      code: "TAKE5",
      name: "5 off",
      type: "fixed_amount_off_order",
      value: 500,
      currency: "USD",
    });
    await createPromotion(t, {
      code: "BIGSPEND",
      name: "min",
      type: "percentage_off_order",
      value: 10,
      minSubtotal: 100_000,
    });
    const cart = await newCart();
    await t.request("POST", `/api/carts/${cart.id}/items`, { ...guest, body: { entityId: product.id, quantity: 1 } });
    const applied = await t.request("POST", `/api/carts/${cart.id}/promotions`, { ...guest, body: { code: "take5" } });
    expect(applied.status).toBe(200);
    expect(applied.body.data).toMatchObject({ promotionCodes: ["TAKE5"], totals: { subtotal: 4000, discount: 500 } });
    const refused = await t.request("POST", `/api/carts/${cart.id}/promotions`, {
      ...guest,
      body: { code: "BIGSPEND" },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0]).toMatchObject({ path: "code", code: "MIN_SUBTOTAL_NOT_MET" });
    expect(
      (await t.request("POST", `/api/carts/${cart.id}/promotions`, { ...guest, body: { code: "NOSUCH" } })).body.error
        .details[0].code,
    ).toBe("NOT_FOUND");
    const removed = await t.request("DELETE", `/api/carts/${cart.id}/promotions/TAKE5`, guest);
    expect(removed.body.data).toMatchObject({ promotionCodes: [], totals: { discount: 0 } });
  });

  it("never loses a quantity under concurrent adds", async () => {
    const product = await productWithStock(t, { price: 100 });
    const cart = await newCart();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.request("POST", `/api/carts/${cart.id}/items`, { ...guest, body: { entityId: product.id, quantity: 1 } }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect((await t.request("GET", `/api/carts/${cart.id}`, guest)).body.data.items[0].quantity).toBe(20);
  });

  it("is served over GraphQL with the same typed errors", async () => {
    const product = await productWithStock(t, { price: 300 });
    const cart = await newCart();
    const res = await t.graphql(
      `mutation ($input: AddCartItemInput!) { addCartItem(input: $input) { __typename
        ... on AddCartItemPayload { cart { totals { subtotal } items { quantity } } }
        ... on PriceMismatchError { expectedAmount givenAmount } } }`,
      { input: { cartId: cart.id, entityId: product.id, quantity: 2, unitPriceSnapshot: 299 } },
      null,
    );
    expect(res.body.data.addCartItem).toEqual({
      __typename: "PriceMismatchError",
      expectedAmount: 300,
      givenAmount: 299,
    });
    const read = await t.graphql(`query ($id: ID!) { cart(id: $id) { id items { id } } }`, { id: cart.id }, null);
    expect(read.body.data.cart).toEqual({ id: cart.id, items: [] });
  });
});
