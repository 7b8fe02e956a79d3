import { createClient } from "graphql-ws";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_KEY, useTestApp } from "../../helpers/app.js";
import { cartWith, checkoutBody } from "../../helpers/commerce.js";
import { startFakeStripe } from "../../helpers/fake-stripe.js";
import {
  capture,
  expectRefusedMove,
  fulfill,
  getOrder,
  moveTo,
  placeOrder,
  refund,
  setStatus,
  stockedProduct,
  stockOf,
} from "../../helpers/post-purchase.js";

// Stripe payments move only through verified webhooks (the fake Stripe of test/helpers stands in for the API).
const WEBHOOK_SECRET = "whsec_post_purchase";
const fake = await startFakeStripe();
const t = useTestApp({
  stripeSecretKey: "sk_test_pp",
  stripeWebhookSecret: WEBHOOK_SECRET,
  stripeApiBase: fake.url,
  webhookAllowPrivateTargets: true,
});
const stripe = new Stripe("sk_test_pp");
let base: string;
beforeAll(async () => {
  base = (await t.app.start()).url;
  const settings = await t.request("PATCH", "/api/store/settings", { body: { paymentProvider: "stripe" } });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
});
afterAll(async () => {
  await t.app.stop();
  await fake.close();
});

let eventSeq = 0;
/** A signed Stripe event about a PaymentIntent (or a charge of it). */
function deliver(type: string, intentId: string, id = `evt_pp_${++eventSeq}_${Date.now()}`) {
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

async function stripeOrder(quantity = 2) {
  const product = await stockedProduct(t, { price: 2500, stock: 10 });
  const placed = await placeOrder(t, [{ entityId: product.id, quantity }]);
  const order = await getOrder(t, placed.id);
  expect(order.payments[0]).toMatchObject({
    provider: "stripe",
    status: "pending",
    providerRef: expect.stringMatching(/^pi_/),
  });
  return { ...placed, intentId: order.payments[0].providerRef as string, productId: product.id };
}

describe("post-purchase with Stripe", () => {
  it("captures on payment_intent.succeeded and refunds partly, then fully, as charge.refunded webhooks land", async () => {
    const order = await stripeOrder();
    expectRefusedMove(
      await capture(t, order.id),
      "pending",
      "captured",
      ["authorized", "captured", "voided", "failed"],
      "provider_webhooks_only",
    );

    expect((await deliver("payment_intent.succeeded", order.intentId)).status).toBe(200);
    let current = await getOrder(t, order.id);
    expect(current).toMatchObject({ status: "confirmed", paymentStatus: "paid" });
    expect(current.payments[0]).toMatchObject({ status: "captured", capturedAmount: order.totals.total });
    await moveTo(t, order.id, "processing");
    expect((await fulfill(t, order.id, { carrier: "USPS", trackingNumber: "9400" })).status).toBe(201);

    const part = await refund(t, order.id, { amount: 1000, reason: "Scratched" });
    expect(part.status, JSON.stringify(part.body)).toBe(201);
    expect(part.body.data).toMatchObject({
      status: "pending",
      amount: 1000,
      providerRef: expect.stringMatching(/^re_/),
    });
    expect(
      fake.requests
        .find((r) => r.path === "/v1/refunds" && r.idempotencyKey === `refund:${part.body.data.id}`)
        ?.params.get("amount"),
    ).toBe("1000");
    // Pending at Stripe: nothing is refunded until its webhook says so.
    expect(await getOrder(t, order.id)).toMatchObject({ status: "fulfilled", paymentStatus: "paid" });

    const partEvent = `evt_refund_part_${order.id}`;
    expect((await deliver("charge.refunded", order.intentId, partEvent)).status).toBe(200);
    current = await getOrder(t, order.id);
    expect(current).toMatchObject({ status: "fulfilled", paymentStatus: "partially_refunded" });
    expect(current.payments[0]).toMatchObject({ status: "partially_refunded", refundedAmount: 1000 });
    expect(current.refunds).toEqual([
      expect.objectContaining({ id: part.body.data.id, status: "succeeded", settledAt: expect.any(String) }),
    ]);
    expect((await deliver("charge.refunded", order.intentId, partEvent)).body.data.duplicate).toBe(true);

    const rest = await refund(t, order.id, { reason: "Returned in full" });
    expect(rest.body.data).toMatchObject({ status: "pending", amount: order.totals.total - 1000 });
    expect((await refund(t, order.id)).status).toBe(409);
    expect((await getOrder(t, order.id)).status).toBe("fulfilled");
    expect((await deliver("charge.refunded", order.intentId)).status).toBe(200);
    current = await getOrder(t, order.id);
    expect(current).toMatchObject({ status: "refunded", paymentStatus: "refunded" });
    expect(current.payments[0]).toMatchObject({ status: "refunded", refundedAmount: order.totals.total });
    expect(current.statusHistory.at(-1)).toMatchObject({
      fromStatus: "fulfilled",
      toStatus: "refunded",
      actor: "system:webhook:stripe",
    });
    const audited = (await t.request("GET", `/api/audit?event=order.refunded&entityType=refund`)).body.data;
    expect(audited.map((e: { entityId: string }) => e.entityId)).toEqual(
      expect.arrayContaining([part.body.data.id, rest.body.data.id]),
    );
  });

  it("refuses moves the payment table does not allow, and confirming an order whose payment failed", async () => {
    const failed = await stripeOrder(1);
    await deliver("payment_intent.payment_failed", failed.intentId);
    expect((await getOrder(t, failed.id)).payments[0].status).toBe("failed");
    expectRefusedMove(
      await setStatus(t, failed.id, "confirmed"),
      "pending",
      "confirmed",
      ["confirmed", "cancelled"],
      "payment_failed",
    );
    expectRefusedMove(await refund(t, failed.id), "failed", "refunded", []);
    expectRefusedMove(await capture(t, failed.id), "failed", "captured", []);
    // A late success of a failed payment changes nothing.
    await deliver("payment_intent.succeeded", failed.intentId);
    expect(await getOrder(t, failed.id)).toMatchObject({ status: "pending", paymentStatus: "unpaid" });

    const held = await stripeOrder(1);
    await deliver("payment_intent.amount_capturable_updated", held.intentId);
    expect((await getOrder(t, held.id)).payments[0].status).toBe("authorized");
    expectRefusedMove(await refund(t, held.id), "authorized", "refunded", ["captured", "voided", "failed"]);
    await deliver("payment_intent.succeeded", held.intentId);
    expect(await getOrder(t, held.id)).toMatchObject({ status: "confirmed", paymentStatus: "paid" });

    const voided = await stripeOrder(1);
    await deliver("payment_intent.canceled", voided.intentId);
    expect((await getOrder(t, voided.id)).payments[0].status).toBe("voided");
    expectRefusedMove(await refund(t, voided.id), "voided", "refunded", []);
  });

  it("tells subscribers orders.create and then its cancellation when Stripe cannot create the payment", async () => {
    const product = await stockedProduct(t, { price: 1000, stock: 2 });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 2 }]);
    const seen: { type: string; orderId: string; toStatus: string }[] = [];
    const client = createClient({
      url: `${base.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { apiKey: ADMIN_KEY },
      retryAttempts: 0,
    });
    client.subscribe(
      { query: "subscription { orderEvents { type orderId toStatus } }" },
      {
        next: (m) => void seen.push((m.data as { orderEvents: (typeof seen)[number] }).orderEvents),
        error: () => {},
        complete: () => {},
      },
    );
    await new Promise((r) => setTimeout(r, 200));

    await fake.close(); // Stripe unreachable from here on
    const res = await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cartId) });
    expect(res.status).toBe(422);
    const orderId = res.body.error.details.orderId as string;
    for (let i = 0; i < 100 && seen.filter((e) => e.orderId === orderId).length < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter((e) => e.orderId === orderId).map((e) => [e.type, e.toStatus])).toEqual([
      ["orders.create", "pending"],
      ["orders.statusChange", "cancelled"],
    ]);
    await client.dispose();
    expect(await stockOf(t, product.id)).toEqual({ onHand: 2, reserved: 0 });
    // The webhook outbox tells the same story, in the same order.
    const audit = (await t.request("GET", `/api/audit/order/${orderId}`)).body.data.map(
      (e: { event: string }) => e.event,
    );
    expect(audit.reverse()).toEqual(["orders.create", "orders.statusChange"]);
  });
});
