import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { startFakeStripe } from "../../helpers/fake-stripe.js";
import {
  ADDRESS,
  createProject,
  deliverWebhooks,
  type Project,
  productOf,
  storefront,
  webhookReceiver,
} from "./project.js";

// Seed 003's checkout with Stripe: a Checkout Session through the official SDK (against the local fake
// Stripe), the shopper sent to its URL, and its checkout.session.completed webhook settling the order.
const WEBHOOK_SECRET = "whsec_projects";
const fake = await startFakeStripe();
const t = useTestApp({
  stripeSecretKey: "sk_test_projects",
  stripeWebhookSecret: WEBHOOK_SECRET,
  stripeApiBase: fake.url,
  webhookAllowPrivateTargets: true,
});
const stripe = new Stripe("sk_test_projects");
const receiver = await webhookReceiver();
afterAll(async () => {
  await receiver.close();
  await fake.close();
});

let shop: Project;
let sf: ReturnType<typeof storefront>;
let productId: string;

beforeAll(async () => {
  shop = await createProject(t, "stripe-shop", { defaultCurrency: "USD", paymentProvider: "stripe" });
  sf = storefront(t, shop.slug, shop.publishableKey);
  productId = await productOf(t, shop, { slug: "hoodie", title: "Hoodie", price: 4999, stock: 5 });
  const hook = await t.request("POST", "/api/webhooks", {
    key: shop.secretKey,
    body: { url: receiver.url, events: ["order.created", "order.paid", "order.shipped"] },
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
});

/** Sends a Stripe event to our webhook endpoint, signed as Stripe signs it. */
async function stripeEvent(id: string, type: string, object: Record<string, unknown>) {
  const payload = JSON.stringify({ id, object: "event", type, data: { object } });
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  return t.request("POST", "/api/payments/webhook", {
    key: null,
    raw: payload,
    headers: { "stripe-signature": signature, "content-type": "application/json" },
  });
}

describe("checkout with Stripe", () => {
  it("creates a Checkout Session with the shopper's URLs, and its completion webhook settles the order", async () => {
    expect((await storefront(t, shop.slug, null)("GET", "/config")).body.payment_provider).toBe("stripe");
    await sf("POST", "/cart/stripe-cart-0001/items", { body: { productId, quantity: 2 } });
    const placed = await sf("POST", "/checkout", {
      body: {
        cartId: "stripe-cart-0001",
        email: "ada@example.com",
        shippingAddress: ADDRESS,
        successUrl: "https://shop.example.com/order/success",
        cancelUrl: "https://shop.example.com/cart",
      },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const { order, payment } = placed.body;
    expect(order).toMatchObject({ grand_total: 99.98, status: "pending", payment_status: "unpaid" });
    expect(payment).toEqual({
      id: expect.stringMatching(/^cs_/),
      provider: "stripe",
      status: "pending",
      url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\//),
    });

    const call = fake.requests.find(
      (r) => r.path === "/v1/checkout/sessions" && r.params.get("metadata[orderId]") === order.id,
    )!;
    expect(call.params.get("success_url")).toBe("https://shop.example.com/order/success");
    expect(call.params.get("cancel_url")).toBe("https://shop.example.com/cart");
    expect(call.params.get("mode")).toBe("payment");
    expect(call.params.get("line_items[0][price_data][unit_amount]")).toBe("9998");
    expect(call.params.get("line_items[0][price_data][currency]")).toBe("usd");
    expect(call.params.get("customer_email")).toBe("ada@example.com");
    expect(call.idempotencyKey).toBe(`checkout:${order.id}`);

    // The shopper pays on Stripe's page; Stripe announces it.
    const session = fake.completeSession(payment.id);
    const hook = await stripeEvent(`evt_${order.id}`, "checkout.session.completed", session);
    expect(hook.status).toBe(200);
    const again = await stripeEvent(`evt_${order.id}`, "checkout.session.completed", session);
    expect(again.body.data).toMatchObject({ duplicate: true });

    const history = await sf("GET", "/orders?email=ada%40example.com");
    expect(history.body.orders).toEqual([
      expect.objectContaining({ id: order.id, status: "confirmed", payment_status: "paid", grand_total: 99.98 }),
    ]);
    // From now on the payment is known by its PaymentIntent (refunds and the intent's own events name it).
    const stored = await t.request("GET", `/api/orders/${order.id}`, { key: shop.secretKey });
    expect(stored.body.data.payments).toEqual([
      expect.objectContaining({ provider: "stripe", providerRef: session.payment_intent, status: "captured" }),
    ]);
    const intentEvent = await stripeEvent(`evt_pi_${order.id}`, "payment_intent.succeeded", {
      id: session.payment_intent,
      object: "payment_intent",
      metadata: { orderId: order.id },
    });
    expect(intentEvent.status).toBe(200);
    expect((await t.request("GET", `/api/orders/${order.id}`, { key: shop.secretKey })).body.data.status).toBe(
      "confirmed",
    );

    // The merchant ships it with a tracking number: order.shipped.
    expect(
      (
        await t.request("PATCH", `/api/orders/${order.id}/status`, {
          key: shop.secretKey,
          body: { status: "processing" },
        })
      ).status,
    ).toBe(200);
    const shipped = await t.request("POST", `/api/orders/${order.id}/fulfillments`, {
      key: shop.secretKey,
      body: { carrier: "UPS", trackingNumber: "1Z999" },
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);

    await deliverWebhooks(t);
    expect(receiver.of("order.created").map((r) => r.json.data.orderId)).toContain(order.id);
    const paid = receiver.of("order.paid").filter((r) => r.json.data.orderId === order.id);
    expect(paid).toHaveLength(1);
    expect(paid[0]!.json.data).toMatchObject({ paymentStatus: "paid" });
    expect(paid[0]!.headers["x-webhook-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    const shippedEvent = receiver.of("order.shipped").filter((r) => r.json.data.orderId === order.id);
    expect(shippedEvent).toHaveLength(1);
    expect(shippedEvent[0]!.json.data).toMatchObject({ carrier: "UPS", trackingNumber: "1Z999" });
  });

  it("returns the shopper to the page's origin when the body names no URLs", async () => {
    await sf("POST", "/cart/stripe-cart-0002/items", { body: { productId, quantity: 1 } });
    const placed = await sf("POST", "/checkout", {
      body: { cartId: "stripe-cart-0002", email: "bob@example.com" },
      headers: { origin: "https://shop.example.com" },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.payment.id).toMatch(/^cs_/);
    const call = fake.requests.find(
      (r) => r.path === "/v1/checkout/sessions" && r.params.get("metadata[orderId]") === placed.body.order.id,
    )!;
    expect(call.params.get("success_url")).toBe("https://shop.example.com/");
    expect(call.params.get("cancel_url")).toBe("https://shop.example.com/");
  });

  it("answers a PaymentIntent to confirm when there is no page to return to", async () => {
    await sf("POST", "/cart/stripe-cart-0003/items", { body: { productId, quantity: 1 } });
    const placed = await sf("POST", "/checkout", { body: { cartId: "stripe-cart-0003", email: "carol@example.com" } });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.payment).toMatchObject({
      id: expect.stringMatching(/^pi_/),
      provider: "stripe",
      url: null,
      client_secret: expect.stringMatching(/_secret_/),
    });
  });
});
