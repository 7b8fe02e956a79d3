import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { signUp } from "../../helpers/customers.js";
import { ok, product } from "../../helpers/storefront.js";

const t = useTestApp();

const address = { line1: "1 Main St", city: "Springfield", country: "US" };

describe("seed 004: a client-generated reference de-duplicates order and payment retries", () => {
  it("answers a guest's retry with the first order and payment, and keeps the reference on the order", async () => {
    const item = await product(t, { price: 2500 });
    const cart = await ok(t, "POST", "/api/carts", { key: null, body: { currency: "USD" } });
    await ok(t, "POST", `/api/carts/${cart.id}/items`, { key: null, body: { entityId: item.id, quantity: 1 } });
    const body = {
      cartId: cart.id,
      email: "guest@example.com",
      shippingAddress: address,
      clientReference: "app-guest-0001",
    };

    const first = await t.request("POST", "/api/checkout", { key: null, body });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.data).toMatchObject({ clientReference: "app-guest-0001", totals: { total: 2500 } });
    const retry = await t.request("POST", "/api/checkout", { key: null, body });
    expect(retry.status).toBe(201);
    expect(retry.body.data.id).toBe(first.body.data.id);
    expect(retry.body.data.payment.id).toBe(first.body.data.payment.id);
    expect(await t.app.db.prisma.order.count({ where: { cartId: cart.id } })).toBe(1);

    // The same reference with another body is a client bug, not a retry.
    const changed = await t.request("POST", "/api/checkout", {
      key: null,
      body: { ...body, email: "other@example.com" },
    });
    expect(changed.status).toBe(422);
  });

  it("does the same for a member's order, and the reference shows in their order history", async () => {
    const me = await signUp(t);
    const item = await product(t);
    const cart = await ok(t, "POST", "/api/carts", { ...me.as, body: { currency: "USD" } });
    await ok(t, "POST", `/api/carts/${cart.id}/items`, { ...me.as, body: { entityId: item.id, quantity: 2 } });
    const body = { cartId: cart.id, shippingAddress: address, clientReference: "app-member-0001" };
    const first = await ok(t, "POST", "/api/checkout", { ...me.as, body });
    const retry = await ok(t, "POST", "/api/checkout", { ...me.as, body });
    expect(retry.id).toBe(first.id);
    expect(retry.payment.id).toBe(first.payment.id);
    const mine = await ok(t, "GET", `/api/me/orders/${first.id}`, me.as);
    expect(mine.clientReference).toBe("app-member-0001");

    // GraphQL: the same input field and Order.clientReference.
    const gql = await t.request("POST", "/graphql", {
      ...me.as,
      body: {
        query: `query ($id: String!) { me { order(idOrNumber: $id) { clientReference } } }`,
        variables: { id: first.id },
      },
    });
    expect(gql.body.data.me.order.clientReference).toBe("app-member-0001");
  });

  it("leaves orders without a reference as before, and refuses an over-long reference with a field error", async () => {
    const item = await product(t);
    const cart = await ok(t, "POST", "/api/carts", { key: null, body: { currency: "USD" } });
    await ok(t, "POST", `/api/carts/${cart.id}/items`, { key: null, body: { entityId: item.id, quantity: 1 } });
    const tooLong = await t.request("POST", "/api/checkout", {
      key: null,
      body: { cartId: cart.id, email: "g@example.com", shippingAddress: address, clientReference: "x".repeat(256) },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.details.map((d: any) => d.path)).toContain("clientReference");
    const plain = await ok(t, "POST", "/api/checkout", {
      key: null,
      body: { cartId: cart.id, email: "g@example.com", shippingAddress: address },
    });
    expect(plain.clientReference).toBeNull();
  });
});
