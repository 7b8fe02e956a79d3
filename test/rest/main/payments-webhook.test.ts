import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { startFakeStripe } from "../../helpers/fake-stripe.js";
import { insertOrder } from "../../helpers/orders.js";

const WEBHOOK_SECRET = "whsec_test_secret";
const fake = await startFakeStripe();
const t = useTestApp({ stripeSecretKey: "sk_test_fake", stripeWebhookSecret: WEBHOOK_SECRET, stripeApiBase: fake.url });
const stripe = new Stripe("sk_test_fake");
afterAll(() => fake.close());

/**
 * A checkout through the API (the store's provider is Stripe here), so the order's payment is the
 * PaymentIntent the fake Stripe created. "cancelled" cancels it unpaid; "fulfilled" is paid by a
 * verified webhook and shipped.
 */
async function orderWithPayment(status: "pending" | "cancelled" | "fulfilled" = "pending") {
  const placed = await insertOrder(t);
  const providerRef = placed.payments[0]!.providerRef!;
  expect(providerRef).toMatch(/^pi_/);
  if (status === "cancelled")
    expect(
      (await t.request("PATCH", `/api/orders/${placed.id}/status`, { body: { status: "cancelled" } })).status,
    ).toBe(200);
  if (status === "fulfilled") {
    expect((await deliver(stripeEvent("payment_intent.succeeded", providerRef, placed.id))).status).toBe(200);
    expect((await t.request("POST", `/api/orders/${placed.id}/fulfillments`, { body: {} })).status).toBe(201);
  }
  const order = { ...placed, grandTotal: placed.totals.total };
  return { order, providerRef };
}

function stripeEvent(
  type: string,
  paymentIntentId: string,
  orderId: string,
  id = `evt_${Math.random().toString(36).slice(2)}`,
) {
  return JSON.stringify({
    id,
    object: "event",
    type,
    api_version: "2025-01-01",
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: paymentIntentId, object: "payment_intent", metadata: { orderId } } },
  });
}

function deliver(
  payload: string,
  signature = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
) {
  return t.request("POST", "/api/payments/webhook", {
    key: null,
    raw: payload,
    headers: { "content-type": "application/json", "stripe-signature": signature },
  });
}

const statusOf = async (id: string) => (await t.app.db.prisma.order.findUniqueOrThrow({ where: { id } })).status;
const historyOf = (orderId: string) => t.app.db.prisma.orderStatusChange.count({ where: { orderId } });

describe("POST /api/payments/webhook", () => {
  it("records a payment Stripe made but whose answer never arrived, from the first event naming its order", async () => {
    const product = await productWithStock(t, { price: 1200, stock: 3 });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const holding = fake.holdPaymentIntentCreates();
    const request = holding.held();
    const placing = t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cartId) });
    // The order is committed and the PaymentIntent asked for; Stripe acts, its answer is still on the way.
    const orderId = (await request).params.get("metadata[orderId]")!;
    const intentId = "pi_answer_lost";
    expect((await deliver(stripeEvent("payment_intent.succeeded", intentId, orderId))).status).toBe(200);
    expect(await statusOf(orderId)).toBe("confirmed");
    const payment = await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId } });
    expect(payment).toMatchObject({ providerRef: intentId, status: "captured" });
    // The answer is lost, and so are the SDK's retries: the checkout's caller hears of a failure, but the
    // paid order stands (the compensation leaves a captured payment and a confirmed order alone).
    let settled = false;
    void placing.finally(() => (settled = true));
    while (!settled) {
      holding.drop();
      await Promise.race([placing, new Promise((resolve) => setTimeout(resolve, 25))]);
    }
    holding.restore();
    expect((await placing).status).toBeGreaterThanOrEqual(400);
    expect(await statusOf(orderId)).toBe("confirmed");
    expect((await t.app.db.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("captured");
    // A later event for another order's intent adopts nothing here.
    expect((await deliver(stripeEvent("payment_intent.succeeded", "pi_unknown", orderId))).status).toBe(200);
    expect((await t.app.db.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).providerRef).toBe(intentId);
  });

  it("confirms the order on payment_intent.succeeded, and a redelivery changes nothing", async () => {
    const { order, providerRef } = await orderWithPayment();
    const payload = stripeEvent("payment_intent.succeeded", providerRef, order.id);
    const first = await deliver(payload);
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ received: true, eventType: "payment_intent.succeeded", duplicate: false });
    expect(await statusOf(order.id)).toBe("confirmed");
    const payment = await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment).toMatchObject({ status: "captured", capturedAmount: order.grandTotal });

    const again = await deliver(payload);
    expect(again.body.data.duplicate).toBe(true);
    expect(await historyOf(order.id)).toBe(1);
  });

  it("makes exactly one transition from concurrent duplicate deliveries", async () => {
    const { order, providerRef } = await orderWithPayment();
    const payload = stripeEvent("payment_intent.succeeded", providerRef, order.id);
    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(payload)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => !r.body.data.duplicate)).toHaveLength(1);
    expect(await historyOf(order.id)).toBe(1);
  });

  it("does not confirm an order that is no longer pending (out-of-order delivery)", async () => {
    const { order, providerRef } = await orderWithPayment("cancelled");
    const res = await deliver(stripeEvent("payment_intent.succeeded", providerRef, order.id));
    expect(res.status).toBe(200);
    expect(await statusOf(order.id)).toBe("cancelled");
    // a second, distinct success event for an already confirmed order is a no-op too
    const other = await orderWithPayment();
    await deliver(stripeEvent("payment_intent.succeeded", other.providerRef, other.order.id));
    await deliver(stripeEvent("payment_intent.succeeded", other.providerRef, other.order.id));
    expect(await historyOf(other.order.id)).toBe(1);
  });

  it("returns a charge that succeeds after its order was cancelled: refunded in full, once", async () => {
    const { order, providerRef } = await orderWithPayment("cancelled");
    // Cancelled before the shopper paid: the intent stays payable at Stripe until the follow-up gives it up.
    const payment = await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment.status).toBe("pending");
    const refundsOf = (intent: string) =>
      fake.requests.filter((r) => r.path === "/v1/refunds" && r.params.get("payment_intent") === intent);
    // Two distinct events report the same late success (Stripe may send both; each is processed once).
    for (let i = 0; i < 2; i++) {
      expect((await deliver(stripeEvent("payment_intent.succeeded", providerRef, order.id))).status).toBe(200);
    }
    expect(await statusOf(order.id)).toBe("cancelled");
    const kept = await t.app.db.prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(kept).toMatchObject({ status: "voided", capturedAmount: 0 });
    expect((await t.request("GET", "/api/jobs/run?limit=50")).body.data.failed).toBe(0);
    const refunds = refundsOf(providerRef);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.idempotencyKey).toBe(`late-charge:${payment.id}`);
    expect(refunds[0]!.params.get("payment_intent")).toBe(providerRef);
    expect(Number(refunds[0]!.params.get("amount"))).toBe(order.grandTotal);
    const audit = await t.request("GET", "/api/audit?event=payments.lateChargeReturned");
    expect(audit.body.data.filter((e: { entityId: string }) => e.entityId === payment.id)).toEqual([
      expect.objectContaining({
        entityId: payment.id,
        after: expect.objectContaining({ orderId: order.id, charge: "captured", amount: order.grandTotal }),
      }),
    ]);
    // Nothing is returned for a payment that was captured: a repeated success is just a repeat.
    const paid = await orderWithPayment("fulfilled");
    await deliver(stripeEvent("payment_intent.succeeded", paid.providerRef, paid.order.id));
    await t.request("GET", "/api/jobs/run?limit=50");
    expect(refundsOf(paid.providerRef)).toEqual([]);
  });

  it("gives a cancelled order's open payment up at Stripe at once, not at its next scheduled follow-up", async () => {
    const { order, providerRef } = await orderWithPayment("cancelled");
    const cancelsAtStripe = () =>
      fake.requests.filter((r) => r.method === "POST" && r.path === `/v1/payment_intents/${providerRef}/cancel`);
    expect(cancelsAtStripe()).toEqual([]);
    await t.request("GET", "/api/jobs/run?limit=50");
    expect(cancelsAtStripe()).toHaveLength(1);
    const payment = await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment.status).toBe("voided");
    expect(await statusOf(order.id)).toBe("cancelled");
  });

  it("refuses a bad, missing or stale signature with 400 and changes nothing", async () => {
    const { order, providerRef } = await orderWithPayment();
    const payload = stripeEvent("payment_intent.succeeded", providerRef, order.id);
    const wrongSecret = stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_other" });
    const tampered = stripe.webhooks.generateTestHeaderString({
      payload: payload.replace("succeeded", "canceled"),
      secret: WEBHOOK_SECRET,
    });
    const stale = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    for (const signature of [wrongSecret, tampered, stale]) {
      const res = await deliver(payload, signature);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("BAD_REQUEST");
    }
    const missing = await t.request("POST", "/api/payments/webhook", {
      key: null,
      raw: payload,
      headers: { "content-type": "application/json" },
    });
    expect(missing.status).toBe(400);
    expect(await statusOf(order.id)).toBe("pending");
    expect(await t.app.db.prisma.processedWebhookEvent.count()).toBeGreaterThanOrEqual(0);
    const recorded = await t.app.db.prisma.processedWebhookEvent.findMany({
      where: { id: { contains: JSON.parse(payload).id } },
    });
    expect(recorded).toEqual([]);
  });

  it("marks the payment failed on payment_intent.payment_failed and ignores unknown payments", async () => {
    const { order, providerRef } = await orderWithPayment();
    await deliver(stripeEvent("payment_intent.payment_failed", providerRef, order.id));
    expect((await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: order.id } })).status).toBe("failed");
    expect(await statusOf(order.id)).toBe("pending");
    const unknown = await deliver(stripeEvent("payment_intent.succeeded", "pi_unknown", order.id));
    expect(unknown.status).toBe(200);
  });

  it("settles an asynchronous Stripe refund when charge.refunded lands", async () => {
    const { order, providerRef } = await orderWithPayment("fulfilled");
    expect((await deliver(stripeEvent("payment_intent.succeeded", providerRef, order.id))).status).toBe(200);
    const refund = await t.request("POST", `/api/orders/${order.id}/refunds`, { body: { reason: "Buyer request" } });
    expect(refund.status).toBe(201);
    expect(refund.body.data).toMatchObject({
      status: "pending",
      amount: order.grandTotal,
      providerRef: expect.stringMatching(/^re_/),
    });
    const call = fake.requests.find((r) => r.path === "/v1/refunds" && r.params.get("payment_intent") === providerRef)!;
    expect(call.idempotencyKey).toBe(`refund:${refund.body.data.id}`);
    expect(await statusOf(order.id)).toBe("fulfilled");

    const payload = JSON.stringify({
      id: `evt_refund_${order.id}`,
      object: "event",
      type: "charge.refunded",
      data: { object: { id: "ch_1", object: "charge", payment_intent: providerRef, metadata: {} } },
    });
    expect((await deliver(payload)).status).toBe(200);
    expect(await statusOf(order.id)).toBe("refunded");
    const settled = await t.app.db.prisma.refund.findUniqueOrThrow({ where: { id: refund.body.data.id } });
    expect(settled.status).toBe("succeeded");
  });
});
