import { describe, expect, it } from "vitest";
import { type Sent, useTestApp } from "../../helpers/app.js";
import { cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { signUp } from "../../helpers/customers.js";

/**
 * Idempotency keys belong to their caller. A stranger who sends someone's key (and request) is not
 * answered with their stored outcome: the request is their own, checked as any other.
 */
const t = useTestApp();

const SECRET_ADDRESS = {
  line1: "7 Private Road",
  city: "Hometown",
  postalCode: "12345",
  country: "US",
  name: "Carla Buyer",
};

function expectNothingOf(res: Sent, label: string, secrets: string[]) {
  const text = JSON.stringify(res.body ?? "");
  for (const secret of secrets)
    expect(text.includes(secret), `${label} leaks ${secret}: ${text.slice(0, 300)}`).toBe(false);
}

describe("a checkout's Idempotency-Key sent by a stranger", () => {
  it("is not answered with the customer's order, on REST or GraphQL; the customer's own retry still replays", async () => {
    const product = await productWithStock(t, { price: 2100 });
    const carla = await signUp(t, { name: "Carla Buyer" });
    const cart = (await t.request("POST", "/api/carts", { ...carla.as, body: { currency: "USD" } })).body.data;
    await t.request("POST", `/api/carts/${cart.id}/items`, {
      ...carla.as,
      body: { entityId: product.id, quantity: 1 },
    });
    const body = checkoutBody(cart.id, { email: carla.email, shippingAddress: SECRET_ADDRESS });
    const key = { "idempotency-key": cart.id };
    const placed = await t.request("POST", "/api/checkout", {
      ...carla.as,
      body,
      headers: { ...carla.as.headers, ...key },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const order = placed.body.data;
    const secrets = [carla.email, SECRET_ADDRESS.line1, order.id, order.number, order.payment.id];

    // no credentials, the same key and body
    const anonymous = await t.request("POST", "/api/checkout", { key: null, body, headers: key });
    expect(anonymous.status).toBe(422);
    expect(anonymous.body.error.details.reason).toBe("CART_NOT_FOUND");
    expectNothingOf(anonymous, "anonymous replay", secrets);
    // another customer
    const mallory = await signUp(t, { name: "Mallory" });
    const other = await t.request("POST", "/api/checkout", {
      ...mallory.as,
      body,
      headers: { ...mallory.as.headers, ...key },
    });
    expect(other.status).toBe(422);
    expect(other.body.error.details.reason).toBe("CART_NOT_FOUND");
    expectNothingOf(other, "other customer's replay", secrets);
    // a key without order permissions
    const cartKey = await t.createKey(["carts:*"]);
    const keyed = await t.request("POST", "/api/checkout", { key: cartKey, body, headers: key });
    expect(keyed.status).toBe(403);
    expectNothingOf(keyed, "cart key's replay", secrets);
    // GraphQL, no credentials
    const gql = await t.graphql(
      `mutation ($input: CheckoutInput!, $key: String) { checkout(input: $input, idempotencyKey: $key) {
        __typename ... on CheckoutFailedError { reason } ... on CheckoutPayload { checkout { order { email } payment { clientSecret } } } } }`,
      { input: body, key: cart.id },
      null,
    );
    expect(gql.body.data.checkout).toEqual({ __typename: "CheckoutFailedError", reason: "CART_NOT_FOUND" });
    expectNothingOf(gql, "GraphQL replay", secrets);

    // Carla's own retry is a replay of her order; nothing else was created.
    const retry = await t.request("POST", "/api/checkout", {
      ...carla.as,
      body,
      headers: { ...carla.as.headers, ...key },
    });
    expect(retry.status).toBe(201);
    expect(retry.body.data).toMatchObject({ id: order.id, email: carla.email, payment: { id: order.payment.id } });
    const orders = await t.request("GET", `/api/orders?limit=100`);
    expect(orders.body.data.filter((o: { cartId: string }) => o.cartId === cart.id)).toHaveLength(1);
  });

  it("of a guest is answered only to a holder of the guest cart acting as a guest", async () => {
    const product = await productWithStock(t);
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const body = checkoutBody(cartId, { shippingAddress: SECRET_ADDRESS });
    const key = { "idempotency-key": `guest-${cartId}` };
    const placed = await t.request("POST", "/api/checkout", { key: null, body, headers: key });
    expect(placed.status).toBe(201);
    // the cart id is the guest's capability: a retry with it is the guest's
    const retry = await t.request("POST", "/api/checkout", { key: null, body, headers: key });
    expect(retry.status).toBe(201);
    expect(retry.body.data.id).toBe(placed.body.data.id);
    // a signed-in customer is another caller, and the guest's order is not theirs
    const customer = await signUp(t);
    const stranger = await t.request("POST", "/api/checkout", {
      ...customer.as,
      body,
      headers: { ...customer.as.headers, ...key },
    });
    expect(stranger.status).toBe(422);
    expectNothingOf(stranger, "customer replaying a guest's key", [
      placed.body.data.id,
      placed.body.data.number,
      SECRET_ADDRESS.line1,
    ]);
  });
});

describe("a refund's Idempotency-Key sent by another caller", () => {
  it("is that caller's own request, not a replay of the first caller's refund", async () => {
    const product = await productWithStock(t, { price: 3000 });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const order = (await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cartId) })).body.data;
    const captured = await t.graphql(
      `mutation ($orderId: ID!) { capturePayment(input: { orderId: $orderId }) { __typename } }`,
      { orderId: order.id },
    );
    expect(captured.body.data.capturePayment.__typename, JSON.stringify(captured.body)).toBe("CapturePaymentPayload");

    const refunderA = await t.createKey(["orders:update"]);
    const refunderB = await t.createKey(["orders:update"]);
    const key = { "idempotency-key": `refund-${order.id}` };
    const refund = (as: string | null) =>
      t.request("POST", `/api/orders/${order.id}/refunds`, { key: as, body: { reason: "damaged" }, headers: key });

    const first = await refund(refunderA);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // B's request with A's key runs as B's: the order is already fully refunded, so it is refused
    // (a replay would have been 201 with A's refund).
    const byB = await refund(refunderB);
    expect(byB.status).toBe(409);
    expectNothingOf(byB, "B's refund", [first.body.data.id]);
    // without the permission or any credentials: refused before anything runs
    expect((await refund(await t.createKey(["orders:read"]))).status).toBe(403);
    expect((await refund(null)).status).toBe(401);
    // A's retry replays A's refund
    const retry = await refund(refunderA);
    expect(retry.status).toBe(201);
    expect(retry.body.data.id).toBe(first.body.data.id);
    const refunds = (await t.request("GET", `/api/orders/${order.id}`)).body.data.payments[0];
    expect(refunds.refundedAmount).toBe(order.totals.total);
  });
});
