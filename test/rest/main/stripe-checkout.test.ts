import { createClient } from "graphql-ws";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_KEY, useTestApp } from "../../helpers/app.js";
import { availableOf, cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { startFakeStripe } from "../../helpers/fake-stripe.js";

const WEBHOOK_SECRET = "whsec_e2e";
const fake = await startFakeStripe();
const t = useTestApp({ stripeSecretKey: "sk_test_e2e", stripeWebhookSecret: WEBHOOK_SECRET, stripeApiBase: fake.url });
const stripe = new Stripe("sk_test_e2e");
let base: string;

beforeAll(async () => {
  base = (await t.app.start()).url;
});
afterAll(async () => {
  await t.app.stop();
  await fake.close();
});

describe("a shopper's journey with Stripe", () => {
  it("product with price and stock -> guest cart -> checkout with a promotion -> webhook -> subscription sees confirmed", async () => {
    const product = await productWithStock(t, { price: 2500, stock: 3 });
    await t.request("POST", "/api/promotions", {
      body: {
        code: "WELCOME",
        name: "Welcome",
        type: "percentage_off_order",
        value: 20,
        validFrom: "2020-01-01T00:00:00Z",
        validUntil: "2099-01-01T00:00:00Z",
      },
    });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 2 }]);

    const placed = await t.request("POST", "/api/checkout", {
      key: null,
      body: checkoutBody(cartId, { promotionCodes: ["WELCOME"], paymentMethodId: "pm_card_visa" }),
      headers: { "idempotency-key": `journey-${cartId}` },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const order = placed.body.data;
    expect(order.totals).toMatchObject({ subtotal: 5000, discount: 1000 });
    expect(order.payment).toMatchObject({
      provider: "stripe",
      status: "pending",
      clientSecret: expect.stringMatching(/^pi_.*_secret_/),
    });

    const intentCall = fake.requests.find(
      (r) => r.path === "/v1/payment_intents" && r.params.get("metadata[orderId]") === order.id,
    )!;
    expect(intentCall.params.get("amount")).toBe(String(order.totals.total));
    expect(intentCall.params.get("currency")).toBe("usd");
    expect(intentCall.params.get("payment_method")).toBe("pm_card_visa");
    expect(intentCall.idempotencyKey).toBe(`checkout:${order.id}`);
    const intentId =
      order.payments[0].providerRef ??
      (await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: order.id } })).providerRef;

    const client = createClient({
      url: `${base.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { apiKey: ADMIN_KEY },
      retryAttempts: 0,
    });
    const confirmed = new Promise<any>((resolve, reject) => {
      client.subscribe(
        { query: `subscription { orderStatusChanged(orderId: "${order.id}") { toStatus order { number } } }` },
        { next: resolve, error: reject, complete: () => {} },
      );
      setTimeout(() => reject(new Error("no status change within 10 s")), 10_000);
    });
    await new Promise((r) => setTimeout(r, 100));

    const payload = JSON.stringify({
      id: `evt_${order.id}`,
      object: "event",
      type: "payment_intent.succeeded",
      data: { object: { id: intentId, object: "payment_intent", metadata: { orderId: order.id } } },
    });
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const hook = await t.request("POST", "/api/payments/webhook", {
      key: null,
      raw: payload,
      headers: { "stripe-signature": signature, "content-type": "application/json" },
    });
    expect(hook.status).toBe(200);
    expect((await confirmed).data.orderStatusChanged).toEqual({
      toStatus: "confirmed",
      order: { number: order.number },
    });
    await client.dispose();

    const final = await t.request("GET", `/api/orders/${order.number}`);
    expect(final.body.data).toMatchObject({
      status: "confirmed",
      payments: [{ provider: "stripe", status: "captured", capturedAmount: order.totals.total }],
      paymentStatus: "paid",
    });
    expect(await availableOf(t, product.id)).toBe(1);
  });

  it("answers a retried hosted checkout with the same Checkout Session page", async () => {
    const product = await productWithStock(t, { price: 1200, stock: 2 });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const send = () =>
      t.request("POST", "/api/checkout", {
        key: null,
        body: checkoutBody(cartId, { successUrl: "https://shop.example.com/done" }),
        headers: { "idempotency-key": `hosted-${cartId}` },
      });
    const first = await send();
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.data.payment.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.body.data.id).toBe(first.body.data.id);
    expect(retry.body.data.payment.url).toBe(first.body.data.payment.url);
    expect(
      fake.requests.filter(
        (r) => r.path === "/v1/checkout/sessions" && r.params.get("metadata[orderId]") === first.body.data.id,
      ),
    ).toHaveLength(1);
  });

  it("cancels the order and releases its stock when Stripe refuses to create the payment", async () => {
    const product = await productWithStock(t, { price: 1000, stock: 2 });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 2 }]);
    await fake.close(); // Stripe unreachable
    const res = await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cartId) });
    expect(res.status).toBe(422);
    expect(res.body.error.details.reason).toBe("PAYMENT_FAILED");
    const order = await t.app.db.prisma.order.findFirstOrThrow({ where: { cartId } });
    expect(order.status).toBe("cancelled");
    expect(await availableOf(t, product.id)).toBe(2);
    expect((await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: order.id } })).status).toBe("failed");
  });
});
