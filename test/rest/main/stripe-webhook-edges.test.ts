import { createHmac } from "node:crypto";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { startFakeStripe } from "../../helpers/fake-stripe.js";

const WEBHOOK_SECRET = "whsec_edges";
const fake = await startFakeStripe();
const t = useTestApp({
  stripeSecretKey: "sk_test_edges",
  stripeWebhookSecret: WEBHOOK_SECRET,
  stripeApiBase: fake.url,
});
const stripe = new Stripe("sk_test_edges");
afterAll(() => fake.close());

const now = () => Math.floor(Date.now() / 1000);

/** A pending order paid with Stripe, placed through checkout; its PaymentIntent id. */
async function pendingOrder() {
  const product = await productWithStock(t, { price: 1500, stock: 5 });
  const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
  const placed = await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cartId) });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const intentId = placed.body.data.payments[0].providerRef as string;
  expect(intentId).toMatch(/^pi_/);
  return { id: placed.body.data.id as string, number: placed.body.data.number as string, intentId };
}

const statusOf = async (number: string) => (await t.request("GET", `/api/orders/${number}`)).body.data.status as string;

function succeeded(eventId: string, order: { id: string; intentId: string }) {
  return JSON.stringify({
    id: eventId,
    object: "event",
    type: "payment_intent.succeeded",
    data: { object: { id: order.intentId, object: "payment_intent", metadata: { orderId: order.id } } },
  });
}

function deliver(payload: string, signature: string) {
  return t.request("POST", "/api/payments/webhook", {
    key: null,
    raw: payload,
    headers: { "content-type": "application/json", "stripe-signature": signature },
  });
}
const signed = (payload: string, timestamp = now()) =>
  stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp });

describe("Stripe webhook timestamps", () => {
  it("refuses an event signed beyond five minutes in the future or the past with 400, and changes nothing", async () => {
    const order = await pendingOrder();
    const eventId = `evt_future_${order.id}`;
    const payload = succeeded(eventId, order);
    for (const timestamp of [now() + 3600, now() + 400, now() - 400]) {
      const res = await deliver(payload, signed(payload, timestamp));
      expect(res.status, String(timestamp - now())).toBe(400);
      expect(res.body.error.code).toBe("BAD_REQUEST");
    }
    expect(await statusOf(order.number)).toBe("pending");
    // Nothing was recorded: the same event, signed now, is processed for the first time.
    const fresh = await deliver(payload, signed(payload));
    expect(fresh.status).toBe(200);
    expect(fresh.body.data).toMatchObject({ eventId, duplicate: false });
    expect(await statusOf(order.number)).toBe("confirmed");
  });

  it("accepts a small clock skew either way", async () => {
    for (const skew of [-120, 120]) {
      const order = await pendingOrder();
      const payload = succeeded(`evt_skew_${skew}_${order.id}`, order);
      const res = await deliver(payload, signed(payload, now() + skew));
      expect(res.status, String(skew)).toBe(200);
      expect(await statusOf(order.number)).toBe("confirmed");
    }
  });

  it("refuses a signature whose time is not a number", async () => {
    const order = await pendingOrder();
    const payload = succeeded(`evt_nan_${order.id}`, order);
    // The SDK signs and verifies `${parseInt(t)}.${payload}`, so `t=soon` is checked over "NaN.<payload>".
    const v1 = createHmac("sha256", WEBHOOK_SECRET).update(`NaN.${payload}`).digest("hex");
    const res = await deliver(payload, `t=soon,v1=${v1}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("BAD_REQUEST");
    expect(await statusOf(order.number)).toBe("pending");
  });
});

describe("Stripe webhook bodies", () => {
  it("answers a correctly signed event without data or data.object with 400 in the envelope, and changes nothing", async () => {
    const order = await pendingOrder();
    const eventId = `evt_nodata_${order.id}`;
    const event = JSON.parse(succeeded(eventId, order));
    const malformed = [
      { ...event, data: undefined },
      { ...event, data: null },
      { ...event, data: {} },
      { ...event, data: { object: null } },
      { ...event, data: { object: "pi_123" } },
      { ...event, data: { object: [] } },
      { ...event, data: [] },
      { ...event, id: undefined },
      { ...event, id: 42 },
      { ...event, type: undefined },
      null,
      [],
      "event",
      42,
    ].map((body) => JSON.stringify(body));
    for (const payload of malformed) {
      const res = await deliver(payload, signed(payload));
      expect(res.status, payload).toBe(400);
      expect(res.body.error.code, payload).toBe("BAD_REQUEST");
      expect(res.body.data, payload).toBeUndefined();
    }
    expect(await statusOf(order.number)).toBe("pending");
    const valid = succeeded(eventId, order);
    const res = await deliver(valid, signed(valid));
    expect(res.body.data).toMatchObject({ eventId, duplicate: false });
    expect(await statusOf(order.number)).toBe("confirmed");
  });

  it("acknowledges a well-formed event about something that is not a payment without changing anything", async () => {
    const order = await pendingOrder();
    const payload = JSON.stringify({
      id: `evt_customer_${order.id}`,
      object: "event",
      type: "customer.created",
      data: { object: { id: "cus_1", object: "customer" } },
    });
    const res = await deliver(payload, signed(payload));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ eventType: "customer.created", duplicate: false });
    expect(await statusOf(order.number)).toBe("pending");
  });
});
