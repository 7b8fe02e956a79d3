import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_KEY, useTestApp } from "../../helpers/app.js";
import {
  capture,
  expectRefusedMove,
  fulfill,
  getOrder,
  mainWarehouse,
  moveTo,
  placeOrder,
  productWithVariants,
  refund,
  stockedProduct,
  stockOf,
} from "../../helpers/post-purchase.js";

// The manual provider (no Stripe configured): cash on delivery, bank transfer, invoices.
const t = useTestApp({ webhookAllowPrivateTargets: true });
let base: string;
beforeAll(async () => {
  base = (await t.app.start()).url;
});
afterAll(() => t.app.stop());

const POST_PURCHASE_EVENTS = [
  "payment.captured",
  "fulfillment.create",
  "order.fulfilled",
  "order.refunded",
  "return.requested",
  "return.approved",
  "return.received",
  "return.refunded",
  "exchange.requested",
  "exchange.approved",
  "exchange.received",
];

/** Every order event of the store over graphql-ws, as a dashboard would see them. */
function watchOrderEvents() {
  const events: {
    type: string;
    orderId: string;
    subjectId: string | null;
    toStatus: string;
    order: { paymentStatus: string } | null;
  }[] = [];
  const client = createClient({
    url: `${base.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { apiKey: ADMIN_KEY },
    retryAttempts: 0,
  });
  client.subscribe(
    { query: "subscription { orderEvents { type orderId subjectId toStatus order { paymentStatus } } }" },
    {
      next: (message) => void events.push((message.data as { orderEvents: (typeof events)[number] }).orderEvents),
      error: () => {},
      complete: () => {},
    },
  );
  return { events, close: () => client.dispose() };
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(check(), what).toBe(true);
}

describe("post-purchase with the manual provider", () => {
  it("pays, ships in two parts, takes one return back and refunds it, and ships one exchange", async () => {
    const hook = await t.request("POST", "/api/webhooks", {
      body: { url: "http://127.0.0.1:9/post-purchase", events: POST_PURCHASE_EVENTS },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const watch = watchOrderEvents();
    await new Promise((r) => setTimeout(r, 200));

    const tote = await stockedProduct(t, { price: 1000, stock: 10 });
    const tee = await productWithVariants(t, { S: { price: 2000, stock: 5 }, M: { price: 2500, stock: 5 } });
    const placed = await placeOrder(t, [
      { entityId: tote.id, quantity: 3 },
      { entityId: tee.id, variantId: tee.variants.S!, quantity: 2 },
    ]);
    const toteLine = placed.lines.find((l) => l.entityId === tote.id)!;
    const teeLine = placed.lines.find((l) => l.entityId === tee.id)!;
    let order = await getOrder(t, placed.id);
    expect(order).toMatchObject({ status: "pending", paymentStatus: "unpaid", fulfillmentStatus: "unfulfilled" });
    expect(order.payments).toEqual([
      expect.objectContaining({ provider: "manual", status: "pending", capturedAmount: 0 }),
    ]);

    // 1. Paid: a merchant marks the bank transfer received; the pending order is confirmed.
    const reader = await t.createKey(["orders:read"]);
    expect(
      (await t.request("POST", `/api/orders/${placed.id}/payment/capture`, { key: reader, body: {} })).status,
    ).toBe(403);
    const paid = await capture(t, placed.id, { reference: "BANK-4711" });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.data).toMatchObject({
      status: "captured",
      capturedAmount: placed.totals.total,
      refundableAmount: placed.totals.total,
      reference: "BANK-4711",
      order: { id: placed.id, status: "confirmed", paymentStatus: "paid" },
    });
    expectRefusedMove(await capture(t, placed.id), "captured", "captured", ["partially_refunded", "refunded"]);
    await moveTo(t, placed.id, "processing");

    // 2. Shipped in two parts, with carrier and tracking; stock leaves per shipped unit.
    const first = await fulfill(t, placed.id, {
      carrier: "DHL",
      trackingNumber: "DHL-1",
      items: [{ lineId: toteLine.id, quantity: 1 }],
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(await stockOf(t, tote.id)).toEqual({ onHand: 9, reserved: 2 });
    const tooMany = await fulfill(t, placed.id, { items: [{ lineId: teeLine.id, quantity: 3 }] });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.details[0]).toMatchObject({ path: "items.0.quantity", code: "too_big" });
    const second = await fulfill(t, placed.id, {
      carrier: "UPS",
      trackingNumber: "UPS-2",
      items: [
        { lineId: toteLine.id, quantity: 2 },
        { lineId: teeLine.id, quantity: 1 },
      ],
    });
    expect(second.status).toBe(201);
    expect(await stockOf(t, tote.id)).toEqual({ onHand: 7, reserved: 0 });
    expect(await stockOf(t, tee.id, tee.variants.S)).toEqual({ onHand: 4, reserved: 1 });
    order = await getOrder(t, placed.id);
    expect(order).toMatchObject({ status: "partially_fulfilled", fulfillmentStatus: "partially_fulfilled" });
    expect(order.fulfillments.map((f: { trackingNumber: string }) => f.trackingNumber)).toEqual(["DHL-1", "UPS-2"]);

    // 3. A return: requested (never more than shipped and not yet returned), approved (RMA), received
    // (restocked where it shipped from), then refunded for its value.
    const greedy = await t.request("POST", `/api/orders/${placed.id}/returns`, {
      body: { items: [{ lineId: teeLine.id, quantity: 2 }], reason: "Too big" },
    });
    expect(greedy.status).toBe(422);
    expect(greedy.body.error.details[0]).toMatchObject({ path: "items.0.quantity", code: "too_big" });
    const requested = await t.request("POST", `/api/orders/${placed.id}/returns`, {
      body: { items: [{ lineId: toteLine.id, quantity: 2 }], reason: "Damaged" },
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    const returnId = requested.body.data.id;
    expect(requested.body.data).toMatchObject({
      status: "requested",
      rmaNumber: null,
      lines: [{ lineId: toteLine.id, quantity: 2 }],
    });
    const more = await t.request("POST", `/api/orders/${placed.id}/returns`, {
      body: { items: [{ lineId: toteLine.id, quantity: 2 }], reason: "Again" },
    });
    expect(more.status).toBe(422);
    const approved = await t.request("POST", `/api/orders/${placed.id}/returns/${returnId}/approve`, { body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body.data).toMatchObject({ status: "approved", rmaNumber: `RMA-${placed.number.slice(4)}-1` });
    const received = await t.request("POST", `/api/orders/${placed.id}/returns/${returnId}/receive`, {
      body: { restock: true },
    });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body.data).toMatchObject({ status: "received", restocked: true });
    expect(await stockOf(t, tote.id)).toEqual({ onHand: 9, reserved: 0 });
    const goods = Math.round((2 * toteLine.total) / 3);
    const value = goods + Math.round((placed.totals.tax * goods) / placed.lines.reduce((s, l) => s + l.total, 0));
    const paidBack = await refund(t, placed.id, { returnId, reason: "Return" });
    expect(paidBack.status, JSON.stringify(paidBack.body)).toBe(201);
    expect(paidBack.body.data).toMatchObject({ status: "succeeded", returnId, amount: value });
    expect((await refund(t, placed.id, { returnId })).status).toBe(409);
    const returns = await t.request("GET", `/api/orders/${placed.id}/returns`);
    expect(returns.body.data).toEqual([
      expect.objectContaining({
        id: returnId,
        status: "refunded",
        refunds: [expect.objectContaining({ id: paidBack.body.data.id })],
      }),
    ]);

    // 4. An exchange: one shipped S for an M (500 more), reserved at approval, shipped at receipt.
    const exchange = await t.request("POST", `/api/orders/${placed.id}/exchanges`, {
      body: { items: [{ lineId: teeLine.id, quantity: 1, newVariantId: tee.variants.M }], reason: "Wrong size" },
    });
    expect(exchange.status, JSON.stringify(exchange.body)).toBe(201);
    const exchangeId = exchange.body.data.id;
    expect(exchange.body.data).toMatchObject({
      status: "requested",
      priceDifference: 500,
      lines: [{ lineId: teeLine.id, quantity: 1, newVariantId: tee.variants.M, newUnitPrice: 2500 }],
    });
    expect(
      (await t.request("POST", `/api/orders/${placed.id}/exchanges/${exchangeId}/approve`, { body: {} })).body.data
        .status,
    ).toBe("approved");
    expect(await stockOf(t, tee.id, tee.variants.M)).toEqual({ onHand: 5, reserved: 1 });
    const swapped = await t.request("POST", `/api/orders/${placed.id}/exchanges/${exchangeId}/receive`, {
      body: { carrier: "DHL", trackingNumber: "DHL-X" },
    });
    expect(swapped.status, JSON.stringify(swapped.body)).toBe(200);
    expect(swapped.body.data).toMatchObject({
      status: "received",
      restocked: true,
      fulfillments: [
        expect.objectContaining({
          trackingNumber: "DHL-X",
          exchangeId,
          items: [{ lineId: teeLine.id, quantity: 1, variantId: tee.variants.M }],
        }),
      ],
      payments: [expect.objectContaining({ provider: "manual", status: "pending", amount: 500, exchangeId })],
    });
    expect(await stockOf(t, tee.id, tee.variants.M)).toEqual({ onHand: 4, reserved: 0 });
    expect(await stockOf(t, tee.id, tee.variants.S)).toEqual({ onHand: 5, reserved: 1 });
    // The difference is charged as a new payment of the order, captured like any other.
    const charged = await capture(t, placed.id, { paymentId: swapped.body.data.payments[0].id, reference: "CASH" });
    expect(charged.body.data).toMatchObject({ status: "captured", capturedAmount: 500 });

    // The last unit ships: the order is fulfilled.
    expect((await fulfill(t, placed.id, { carrier: "DHL", trackingNumber: "DHL-3" })).status).toBe(201);
    order = await getOrder(t, placed.id);
    expect(order).toMatchObject({
      status: "fulfilled",
      paymentStatus: "partially_refunded",
      fulfillmentStatus: "fulfilled",
    });
    expect(order.fulfillments).toHaveLength(4);
    expect(order.returns).toHaveLength(1);
    expect(order.exchanges).toEqual([expect.objectContaining({ id: exchangeId, status: "received" })]);
    expect(order.refunds).toEqual([expect.objectContaining({ status: "succeeded", returnId })]);
    expect(await stockOf(t, tee.id, tee.variants.S)).toEqual({ onHand: 4, reserved: 0 });

    // Audited, queued for webhooks and published to subscriptions.
    for (const event of POST_PURCHASE_EVENTS) {
      const audited = await t.request("GET", `/api/audit?event=${event}`);
      expect(audited.body.data.length, event).toBeGreaterThan(0);
    }
    const deliveries = await t.app.db.prisma.webhookDelivery.findMany({ where: { endpointId: hook.body.data.id } });
    expect(new Set(deliveries.map((d) => d.event))).toEqual(new Set(POST_PURCHASE_EVENTS));
    const refunded = deliveries.find((d) => d.event === "order.refunded")!.payload as { data: Record<string, unknown> };
    expect(refunded.data).toMatchObject({
      orderId: placed.id,
      paymentStatus: "partially_refunded",
      amount: paidBack.body.data.amount,
    });
    await until(
      () => POST_PURCHASE_EVENTS.every((type) => watch.events.some((e) => e.type === type && e.orderId === placed.id)),
      "every event published",
    );
    const fulfilledEvent = watch.events.find((e) => e.type === "order.fulfilled")!;
    expect(fulfilledEvent).toMatchObject({ toStatus: "fulfilled", subjectId: placed.id });
    await watch.close();
  }, 60_000);

  it("cancels only the unshipped part of a partly shipped order, releasing its stock and refunding it", async () => {
    const tote = await stockedProduct(t, { price: 1500, stock: 10 });
    const placed = await placeOrder(t, [{ entityId: tote.id, quantity: 4 }]);
    expect((await capture(t, placed.id)).status).toBe(200);
    await moveTo(t, placed.id, "processing");
    expect((await fulfill(t, placed.id, { items: [{ lineId: placed.lines[0]!.id, quantity: 1 }] })).status).toBe(201);
    expect(await stockOf(t, tote.id)).toEqual({ onHand: 9, reserved: 3 });

    const cancelled = await t.request("PATCH", `/api/orders/${placed.id}/status`, {
      body: { status: "cancelled", reason: "Buyer changed their mind" },
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const order = await getOrder(t, placed.id);
    expect(order).toMatchObject({ status: "cancelled", paymentStatus: "partially_refunded" });
    expect(order.lines[0]).toMatchObject({ quantity: 4, fulfilledQuantity: 1, cancelledQuantity: 3 });
    expect(await stockOf(t, tote.id)).toEqual({ onHand: 9, reserved: 0 });
    const goods = placed.lines[0]!.total;
    const expected =
      Math.round((goods * 3) / 4) + Math.round((placed.totals.tax * Math.round((goods * 3) / 4)) / goods);
    expect(order.refunds).toEqual([expect.objectContaining({ amount: expected, status: "succeeded" })]);
    expect(order.payments[0]).toMatchObject({ status: "partially_refunded", refundedAmount: expected });
  });

  it("cancels an unshipped paid order with a full refund, and voids an unpaid order's payment", async () => {
    const tote = await stockedProduct(t, { price: 1200, stock: 5 });
    const paid = await placeOrder(t, [{ entityId: tote.id, quantity: 2 }]);
    await capture(t, paid.id);
    await moveTo(t, paid.id, "cancelled");
    expect(await getOrder(t, paid.id)).toMatchObject({
      status: "cancelled",
      paymentStatus: "refunded",
      refunds: [expect.objectContaining({ amount: paid.totals.total })],
    });

    const unpaid = await placeOrder(t, [{ entityId: tote.id, quantity: 1 }]);
    await moveTo(t, unpaid.id, "cancelled");
    expect((await getOrder(t, unpaid.id)).payments[0]).toMatchObject({ status: "voided" });
    expectRefusedMove(await capture(t, unpaid.id), "voided", "captured", []);
    expect(await stockOf(t, tote.id)).toEqual({ onHand: 5, reserved: 0 });
  });

  it("refunds an exchange's negative price difference and releases the replacement of a rejected one", async () => {
    const tee = await productWithVariants(t, { L: { price: 3000, stock: 3 }, XL: { price: 2200, stock: 3 } });
    const placed = await placeOrder(t, [{ entityId: tee.id, variantId: tee.variants.L!, quantity: 2 }]);
    await capture(t, placed.id);
    await moveTo(t, placed.id, "processing");
    await fulfill(t, placed.id);
    const lineId = placed.lines[0]!.id;
    const ask = (quantity: number) =>
      t.request("POST", `/api/orders/${placed.id}/exchanges`, {
        body: { items: [{ lineId, quantity, newVariantId: tee.variants.XL }], reason: "Fit" },
      });

    const rejected = (await ask(1)).body.data;
    await t.request("POST", `/api/orders/${placed.id}/exchanges/${rejected.id}/approve`, { body: {} });
    expect(await stockOf(t, tee.id, tee.variants.XL)).toEqual({ onHand: 3, reserved: 1 });
    const reject = await t.request("POST", `/api/orders/${placed.id}/exchanges/${rejected.id}/reject`, {
      body: { reason: "Worn" },
    });
    expect(reject.body.data).toMatchObject({ status: "rejected", rejectionReason: "Worn" });
    expect(await stockOf(t, tee.id, tee.variants.XL)).toEqual({ onHand: 3, reserved: 0 });

    // Rejected quantities can be asked for again.
    const cheaper = (await ask(2)).body.data;
    expect(cheaper.priceDifference).toBe(2 * 2200 - placed.lines[0]!.total);
    await t.request("POST", `/api/orders/${placed.id}/exchanges/${cheaper.id}/approve`, { body: {} });
    const done = await t.request("POST", `/api/orders/${placed.id}/exchanges/${cheaper.id}/receive`, {
      body: { restock: false },
    });
    expect(done.body.data).toMatchObject({
      status: "received",
      restocked: false,
      refunds: [expect.objectContaining({ amount: -cheaper.priceDifference, status: "succeeded" })],
    });
    expect(await stockOf(t, tee.id, tee.variants.L)).toEqual({ onHand: 1, reserved: 0 });
    expect(await stockOf(t, tee.id, tee.variants.XL)).toEqual({ onHand: 1, reserved: 0 });
    expect((await getOrder(t, placed.id)).paymentStatus).toBe("partially_refunded");
  });

  it("replays a fulfillment with the same Idempotency-Key and restocks a return into a chosen warehouse", async () => {
    const tote = await stockedProduct(t, { price: 800, stock: 4 });
    const warehouse = await mainWarehouse(t);
    const placed = await placeOrder(t, [{ entityId: tote.id, quantity: 2 }]);
    await moveTo(t, placed.id, "confirmed", "processing");
    const key = { "idempotency-key": `ship-${placed.id}` };
    const once = await fulfill(t, placed.id, { items: [{ lineId: placed.lines[0]!.id, quantity: 1 }] }, key);
    const again = await fulfill(t, placed.id, { items: [{ lineId: placed.lines[0]!.id, quantity: 1 }] }, key);
    expect(again.status).toBe(201);
    expect(again.body.data.id).toBe(once.body.data.id);
    expect((await getOrder(t, placed.id)).lines[0].fulfilledQuantity).toBe(1);

    const other = await t.request("POST", "/api/inventory/warehouses", {
      body: { code: `RET${Date.now() % 100000}`, name: "Returns" },
    });
    const ret = (
      await t.request("POST", `/api/orders/${placed.id}/returns`, {
        body: { items: [{ lineId: placed.lines[0]!.id, quantity: 1 }], reason: "Spare" },
      })
    ).body.data;
    await t.request("POST", `/api/orders/${placed.id}/returns/${ret.id}/approve`, { body: {} });
    const got = await t.request("POST", `/api/orders/${placed.id}/returns/${ret.id}/receive`, {
      body: { warehouseId: other.body.data.id },
    });
    expect(got.body.data).toMatchObject({ status: "received", restocked: true, warehouseId: other.body.data.id });
    const levels = await t.app.db.prisma.inventoryLevel.findMany({ where: { entityId: tote.id } });
    expect(levels.find((l) => l.warehouseId === other.body.data.id)).toMatchObject({ onHand: 1 });
    expect(levels.find((l) => l.warehouseId === warehouse)).toMatchObject({ onHand: 3, reserved: 1 });
    // Nothing captured yet: the return cannot be paid back.
    expectRefusedMove(await refund(t, placed.id, { returnId: ret.id }), "pending", "refunded", [
      "authorized",
      "captured",
      "voided",
      "failed",
    ]);
  });
});
