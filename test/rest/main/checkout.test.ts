import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { availableOf, cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { createCustomer, createPromotion, updateStoreSettings } from "../../helpers/merchant.js";

const t = useTestApp();

const checkout = (body: unknown, headers: Record<string, string> = {}) =>
  t.request("POST", "/api/checkout", { key: null, body, headers });

describe("POST /api/checkout", () => {
  it("creates a numbered pending order priced by the server, with tax and shipping from the store settings", async () => {
    await updateStoreSettings(t, { taxRateBps: 1000, flatShippingAmount: 500, freeShippingThreshold: 10_000 });
    const product = await productWithStock(t, { price: 2000, stock: 5 });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 2 }]);
    const res = await checkout(checkoutBody(cartId));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const order = res.body.data;
    expect(order).toMatchObject({
      number: expect.stringMatching(new RegExp(`^ORD-${new Date().getUTCFullYear()}-\\d{6}$`)),
      status: "pending",
      currency: "USD",
      email: "buyer@example.com",
      cartId,
      totals: { subtotal: 4000, discount: 0, tax: 400, shipping: 500, total: 4900 },
      shippingAddress: { line1: "123 Main St", country: "US" },
      payment: { provider: "manual", status: "pending" },
    });
    expect(order.lines).toEqual([
      expect.objectContaining({
        entityId: product.id,
        quantity: 2,
        unitPrice: 2000,
        subtotal: 4000,
        total: 4000,
        title: `Title of ${product.slug}`,
      }),
    ]);
    expect(await availableOf(t, product.id)).toBe(3);
    expect(res.body.meta).toBeUndefined();
  });

  it("refuses to check out a cart twice", async () => {
    const product = await productWithStock(t);
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    expect((await checkout(checkoutBody(cartId))).status).toBe(201);
    const again = await checkout(checkoutBody(cartId));
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({
      code: "CHECKOUT_FAILED",
      details: { reason: "CART_ALREADY_CHECKED_OUT" },
    });
  });

  it("fails with typed reasons and leaves no order and no reservation behind", async () => {
    const product = await productWithStock(t, { stock: 1 });
    const tooMany = await cartWith(t, [{ entityId: product.id, quantity: 2 }]);
    const ordersBefore = await t.app.db.prisma.order.count();
    const stock = await checkout(checkoutBody(tooMany));
    expect(stock.status).toBe(422);
    expect(stock.body.error.details).toMatchObject({ reason: "INSUFFICIENT_STOCK", requested: 2, available: 1 });
    expect(await t.app.db.prisma.order.count()).toBe(ordersBefore);
    expect(await availableOf(t, product.id)).toBe(1);
    expect((await t.app.db.prisma.cart.findUniqueOrThrow({ where: { id: tooMany } })).status).toBe("active");

    const emptyCart = (await t.request("POST", "/api/carts", { key: null, body: { currency: "USD" } })).body.data.id;
    expect((await checkout(checkoutBody(emptyCart))).body.error.details.reason).toBe("CART_EMPTY");
    expect((await checkout(checkoutBody("00000000-0000-4000-8000-000000000000"))).body.error.details.reason).toBe(
      "CART_NOT_FOUND",
    );
    const cart = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    expect((await checkout(checkoutBody(cart, { currency: "EUR" }))).body.error.details.reason).toBe(
      "CURRENCY_MISMATCH",
    );
    expect((await checkout(checkoutBody(cart, { promotionCodes: ["NOPE"] }))).body.error.details).toMatchObject({
      reason: "PROMOTION_INVALID",
      promotionReason: "NOT_FOUND",
    });
    expect(await t.app.db.prisma.order.count()).toBe(ordersBefore);
  });

  it("validates the body with field-level details", async () => {
    const res = await checkout({
      cartId: "x",
      shippingAddress: { line1: "1 St", city: "X", country: "usa" },
      email: "nope",
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(["email", "shippingAddress.country"]);
    expect((await checkout({})).status).toBe(422);
  });

  it("applies promotion codes, records the redemption and counts usage", async () => {
    const product = await productWithStock(t, { price: 5000 });
    await createPromotion(t, { code: "SAVE10", name: "Save 10%", type: "percentage_off_order", value: 10 });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const res = await checkout(checkoutBody(cartId, { promotionCodes: ["save10"] }));
    expect(res.status).toBe(201);
    expect(res.body.data.totals).toMatchObject({ subtotal: 5000, discount: 500 });
    expect(res.body.data.promotionCodes).toEqual(["SAVE10"]);
    const promotion = await t.app.db.prisma.promotion.findFirstOrThrow({ where: { code: "SAVE10" } });
    expect(promotion.usageCount).toBe(1);
    expect(await t.app.db.prisma.promotionRedemption.count({ where: { orderId: res.body.data.id } })).toBe(1);
  });

  it("releases the stock when the order is cancelled", async () => {
    const product = await productWithStock(t, { stock: 4 });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 3 }]);
    const order = (await checkout(checkoutBody(cartId))).body.data;
    expect(await availableOf(t, product.id)).toBe(1);
    const cancelled = await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "cancelled" } });
    expect(cancelled.status).toBe(200);
    expect(await availableOf(t, product.id)).toBe(4);
  });

  it("lets only merchants check out for a named customer", async () => {
    const product = await productWithStock(t);
    const customer = await createCustomer(t, { email: "named@example.com" });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const guest = await checkout(checkoutBody(cartId, { customerId: customer.id }));
    expect(guest.status).toBe(403);
    const merchant = await t.request("POST", "/api/checkout", {
      body: checkoutBody(cartId, { customerId: customer.id }),
    });
    expect(merchant.status).toBe(201);
    expect(merchant.body.data.customerId).toBe(customer.id);
  });

  it("sells items without inventory levels as untracked stock", async () => {
    const download = await productWithStock(t, { stock: null });
    const cartId = await cartWith(t, [{ entityId: download.id, quantity: 3 }]);
    expect((await checkout(checkoutBody(cartId))).status).toBe(201);
  });
});

describe("Idempotency-Key on checkout", () => {
  it("returns the same order for a retry with the same key and body", async () => {
    const product = await productWithStock(t);
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const key = { "idempotency-key": `key-${cartId}` };
    const first = await checkout(checkoutBody(cartId), key);
    const retry = await checkout(checkoutBody(cartId), key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.data.id).toBe(first.body.data.id);
    expect(await t.app.db.prisma.payment.count({ where: { orderId: first.body.data.id } })).toBe(1);
  });

  it("refuses the same key with a different body with 422", async () => {
    const product = await productWithStock(t);
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const key = { "idempotency-key": `key2-${cartId}` };
    expect((await checkout(checkoutBody(cartId), key)).status).toBe(201);
    const other = await checkout(checkoutBody(cartId, { email: "other@example.com" }), key);
    expect(other.status).toBe(422);
    expect(other.body.error.details[0].path).toBe("idempotencyKey");
  });
});

describe("checkout over GraphQL", () => {
  it("returns the order selection and typed failures", async () => {
    const product = await productWithStock(t);
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const mutation = `mutation ($input: CheckoutInput!) { checkout(input: $input) {
      __typename
      ... on CheckoutPayload { checkout { order { number status lines { quantity } } payment { provider } } }
      ... on CheckoutFailedError { code reason } } }`;
    const ok = await t.graphql(mutation, { input: { cartId } }, null);
    expect(ok.body.data.checkout).toMatchObject({
      __typename: "CheckoutPayload",
      checkout: { order: { status: "pending", lines: [{ quantity: 1 }] }, payment: { provider: "manual" } },
    });
    const failed = await t.graphql(mutation, { input: { cartId } }, null);
    expect(failed.body.data.checkout).toEqual({
      __typename: "CheckoutFailedError",
      code: "CHECKOUT_FAILED",
      reason: "CART_ALREADY_CHECKED_OUT",
    });
  });
});
