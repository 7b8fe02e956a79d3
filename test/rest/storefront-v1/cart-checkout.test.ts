import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { ADDRESS, product, sf } from "./support.js";

const t = useTestApp();

async function coupon(code: string, percent: number) {
  const res = await t.request("POST", "/api/promotions", {
    body: { code, name: code, type: "percentage_off_order", value: percent },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

describe("storefront v1: cart and checkout", () => {
  it("runs a guest cart to an order: line items, a coupon, server totals, checkout in seed 001's order shape", async () => {
    const tote = await product(t, { price: 4200, stock: 5 });
    const mug = await product(t, { price: 1500, stock: 5 });
    await coupon("TOTE10", 10);

    const cart = await sf(t, "POST", "/stores/default/carts", {
      body: { currency: "USD", email: "buyer@example.com" },
    });
    expect(cart.status).toBe(201);
    expect(cart.body).toMatchObject({
      currency: "USD",
      status: "active",
      line_items: [],
      coupons: [],
      totals: { total: 0 },
    });

    const added = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/line_items`, {
      body: { product_id: tote.id, quantity: 2 },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.line_items).toEqual([
      expect.objectContaining({ product_id: tote.id, variant_id: null, quantity: 2, unit_price: 4200, subtotal: 8400 }),
    ]);
    const withMug = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/line_items`, {
      body: { product_id: mug.id, quantity: 3 },
    });
    const mugLine = withMug.body.line_items.find((l: { product_id: string }) => l.product_id === mug.id);

    const changed = await sf(t, "PATCH", `/stores/default/carts/${cart.body.id}/line_items/${mugLine.id}`, {
      body: { quantity: 1 },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.totals.subtotal).toBe(8400 + 1500);
    const removed = await sf(t, "DELETE", `/stores/default/carts/${cart.body.id}/line_items/${mugLine.id}`);
    expect(removed.body.line_items).toHaveLength(1);

    const withCoupon = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/coupons`, {
      body: { code: "TOTE10" },
    });
    expect(withCoupon.status, JSON.stringify(withCoupon.body)).toBe(200);
    expect(withCoupon.body).toMatchObject({ coupons: ["TOTE10"], totals: { subtotal: 8400, discount: 840 } });
    const badCoupon = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/coupons`, { body: { code: "NOPE" } });
    expect(badCoupon.status).toBe(400);
    expect(badCoupon.body.error).toMatchObject({
      code: "validation_failed",
      details: [expect.objectContaining({ path: "code" })],
    });

    const read = await sf(t, "GET", `/stores/default/carts/${cart.body.id}`);
    expect(read.body.totals).toEqual(withCoupon.body.totals);

    const order = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/checkout`, {
      body: { email: "buyer@example.com", shipping_address: ADDRESS },
      headers: { "idempotency-key": `checkout-${cart.body.id}` },
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(order.body).toMatchObject({
      site_slug: "default",
      status: "pending",
      payment_status: "unpaid",
      fulfillment_status: "unfulfilled",
      currency: "USD",
      buyer: { email: "buyer@example.com", name: "A. Buyer" },
      shipping_address: { line1: "1 Main St", postal_code: "62701", country: "US" },
      items: [
        {
          id: expect.any(String),
          product_id: tote.id,
          variant_id: null,
          quantity: 2,
          unit_price: 4200,
          subtotal: 8400,
          fulfilled_quantity: 0,
        },
      ],
      totals: { subtotal: 8400, discount: 840, total: expect.any(Number) },
      payment: { provider: "manual", status: "pending", amount: order.body.totals?.total, client_secret: null },
      fulfillments: [],
      returns: [],
      exchanges: [],
    });
    expect(order.body.id).toMatch(/^[0-9a-f-]{36}$/);

    // The same key and body replay the order; the same key with another body is an idempotency conflict.
    const replay = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/checkout`, {
      body: { email: "buyer@example.com", shipping_address: ADDRESS },
      headers: { "idempotency-key": `checkout-${cart.body.id}` },
    });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(order.body.id);
    const other = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/checkout`, {
      body: { email: "someone-else@example.com", shipping_address: ADDRESS },
      headers: { "idempotency-key": `checkout-${cart.body.id}` },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("idempotency_conflict");
  });

  it("answers validation errors with seed 000's details: snake_case paths, code, min", async () => {
    const tote = await product(t);
    const cart = await sf(t, "POST", "/stores/default/carts", { body: { currency: "USD" } });
    const zero = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/line_items`, {
      body: { product_id: tote.id, quantity: 0 },
    });
    expect(zero.status).toBe(400);
    expect(zero.body).toEqual({
      error: {
        code: "validation_failed",
        message: expect.any(String),
        details: [{ path: "quantity", code: "too_small", min: 1, message: expect.any(String) }],
      },
    });
    const missing = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/line_items`, { body: { quantity: 1 } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: "product_id", code: "required" })]);
    const badAddress = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/checkout`, {
      body: { email: "buyer@example.com", shipping_address: { ...ADDRESS, postal_code: 62701 } },
    });
    expect(badAddress.status).toBe(400);
    expect(badAddress.body.error.details[0].path).toBe("shipping_address.postal_code");
  });

  it("refuses checkout of an empty cart with 422 checkout_failed, and a cart of another store is not found", async () => {
    const cart = await sf(t, "POST", "/stores/default/carts", { body: { currency: "USD" } });
    const empty = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/checkout`, {
      body: { email: "buyer@example.com", shipping_address: ADDRESS },
    });
    expect(empty.status).toBe(422);
    expect(empty.body.error).toMatchObject({ code: "checkout_failed", details: { reason: "CART_EMPTY" } });
    const unknown = await sf(t, "GET", "/stores/default/carts/00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
  });
});
