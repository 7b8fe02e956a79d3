import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { startFakeStripe } from "../../helpers/fake-stripe.js";
import { ADDRESS, mintToken, product, sf } from "./support.js";

// Stripe through the storefront dialect: the fake of test/helpers stands in for api.stripe.com.
const WEBHOOK_SECRET = "whsec_storefront";
const fake = await startFakeStripe();
const t = useTestApp({ stripeSecretKey: "sk_test_sf", stripeWebhookSecret: WEBHOOK_SECRET, stripeApiBase: fake.url });
const stripe = new Stripe("sk_test_sf");
let token: string;

beforeAll(async () => {
  expect((await t.request("PATCH", "/api/store/settings", { body: { paymentProvider: "stripe" } })).status).toBe(200);
  token = await mintToken(t, ["orders:update"]);
});
afterAll(async () => {
  await fake.close();
});

let eventSeq = 0;
/** A signed Stripe event about a PaymentIntent or its charge, to the payment webhook. */
function deliver(type: string, intentId: string) {
  const id = `evt_sf_${++eventSeq}_${intentId}`;
  const object = type.startsWith("charge.")
    ? { id: `ch_${eventSeq}`, object: "charge", payment_intent: intentId, metadata: {} }
    : { id: intentId, object: "payment_intent", metadata: {} };
  const payload = JSON.stringify({
    id,
    object: "event",
    type,
    api_version: "2025-01-01",
    created: Math.floor(Date.now() / 1000),
    data: { object },
  });
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  return t.request("POST", "/api/payments/webhook", {
    key: null,
    raw: payload,
    headers: { "content-type": "application/json", "stripe-signature": signature },
  });
}

const merchant = (method: string, path: string, body?: unknown) =>
  sf(t, method, `/merchant/orders${path}`, { bearer: token, body });

describe("storefront v1 with Stripe", () => {
  it("checks out with a coupon into a PaymentIntent, confirms on the webhook, refunds partly then fully as Stripe settles", async () => {
    const tote = await product(t, { price: 2500, stock: 5 });
    expect(
      (
        await t.request("POST", "/api/promotions", {
          body: { code: "WELCOME20", name: "Welcome", type: "percentage_off_order", value: 20 },
        })
      ).status,
    ).toBe(201);
    const cart = await sf(t, "POST", "/stores/default/carts", { body: { currency: "USD" } });
    await sf(t, "POST", `/stores/default/carts/${cart.body.id}/line_items`, {
      body: { product_id: tote.id, quantity: 2 },
    });
    expect(
      (await sf(t, "POST", `/stores/default/carts/${cart.body.id}/coupons`, { body: { code: "WELCOME20" } })).status,
    ).toBe(200);

    const placed = await sf(t, "POST", `/stores/default/carts/${cart.body.id}/checkout`, {
      body: { email: "buyer@example.com", shipping_address: ADDRESS, payment_method_id: "pm_card_visa" },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const order = placed.body;
    expect(order).toMatchObject({
      status: "pending",
      payment_status: "unpaid",
      totals: { subtotal: 5000, discount: 1000 },
      payment: {
        provider: "stripe",
        status: "pending",
        intent_id: expect.stringMatching(/^pi_/),
        client_secret: expect.stringMatching(/^pi_.*_secret_/),
      },
    });
    const intent = fake.requests.find(
      (r) => r.path === "/v1/payment_intents" && r.params.get("metadata[orderId]") === order.id,
    )!;
    expect(intent.params.get("amount")).toBe(String(order.totals.total));
    expect(intent.params.get("payment_method")).toBe("pm_card_visa");

    // Stripe payments are never captured by hand.
    expect((await merchant("POST", `/${order.id}/capture`, {})).status).toBe(409);
    expect((await deliver("payment_intent.succeeded", order.payment.intent_id)).status).toBe(200);
    expect((await merchant("GET", `/${order.id}`)).body).toMatchObject({ status: "pending", payment_status: "paid" });
    expect((await merchant("POST", `/${order.id}/fulfill`, { carrier: "USPS" })).status).toBe(201);

    const part = await merchant("POST", `/${order.id}/refund`, { amount: 1000, reason: "Scratched" });
    expect(part.status, JSON.stringify(part.body)).toBe(201);
    expect(part.body).toMatchObject({ amount: 1000, status: "pending" });
    expect((await merchant("GET", `/${order.id}`)).body).toMatchObject({ status: "fulfilled", payment_status: "paid" });
    expect((await deliver("charge.refunded", order.payment.intent_id)).status).toBe(200);
    expect((await merchant("GET", `/${order.id}`)).body).toMatchObject({
      status: "fulfilled",
      payment_status: "partially_refunded",
      refunds: [{ id: part.body.id, status: "succeeded" }],
    });

    const rest = await merchant("POST", `/${order.id}/refund`, { reason: "Returned" });
    expect(rest.body).toMatchObject({ amount: order.totals.total - 1000, status: "pending" });
    expect((await deliver("charge.refunded", order.payment.intent_id)).status).toBe(200);
    expect((await merchant("GET", `/${order.id}`)).body).toMatchObject({
      status: "refunded",
      payment_status: "refunded",
    });
  });
});
