import { describe, expect, it } from "vitest";
import { ORDER_STATUSES, ORDER_TRANSITIONS, type OrderStatus } from "../../../src/domain/orders/lifecycle.js";
import { useTestApp } from "../../helpers/app.js";
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
} from "../../helpers/post-purchase.js";

// Both state tables and the order's guards, through the public API (manual provider).
const t = useTestApp();

/** An order brought to `status` the way a merchant would: capture, ship, refund, cancel. */
async function orderIn(status: OrderStatus) {
  const product = await stockedProduct(t, { price: 1000, stock: 5 });
  const order = await placeOrder(t, [{ entityId: product.id, quantity: 2 }]);
  const lineId = order.lines[0]!.id;
  if (status === "pending") return order;
  if (status === "cancelled") {
    await moveTo(t, order.id, "cancelled");
    return order;
  }
  if (status === "refunded") expect((await capture(t, order.id)).status).toBe(200);
  else await moveTo(t, order.id, "confirmed");
  if (status === "confirmed") return order;
  await moveTo(t, order.id, "processing");
  if (status === "processing") return order;
  expect((await fulfill(t, order.id, { items: [{ lineId, quantity: 1 }] })).status).toBe(201);
  if (status === "partially_fulfilled") return order;
  expect((await fulfill(t, order.id)).status).toBe(201);
  if (status === "refunded") expect((await refund(t, order.id)).status).toBe(201);
  return order;
}

describe("the order table", () => {
  it.each(ORDER_STATUSES)(
    "refuses every move the table does not allow from %s, naming the allowed ones",
    async (from) => {
      const order = await orderIn(from);
      expect((await getOrder(t, order.id)).status).toBe(from);
      for (const target of ORDER_STATUSES.filter((s) => !ORDER_TRANSITIONS[from].includes(s))) {
        expectRefusedMove(await setStatus(t, order.id, target), from, target, ORDER_TRANSITIONS[from]);
      }
      expect((await getOrder(t, order.id)).status).toBe(from);
    },
  );
});

describe("the order's guards", () => {
  it("fulfilled and partially_fulfilled come only from fulfillments", async () => {
    const processing = await orderIn("processing");
    for (const target of ["partially_fulfilled", "fulfilled"]) {
      expectRefusedMove(
        await setStatus(t, processing.id, target),
        "processing",
        target,
        ORDER_TRANSITIONS.processing,
        "fulfillments_only",
      );
    }
    const partial = await orderIn("partially_fulfilled");
    expectRefusedMove(
      await setStatus(t, partial.id, "fulfilled"),
      "partially_fulfilled",
      "fulfilled",
      ORDER_TRANSITIONS.partially_fulfilled,
      "fulfillments_only",
    );
    const order = await getOrder(t, partial.id);
    expect(order.lines[0]).toMatchObject({ quantity: 2, fulfilledQuantity: 1 });
  });

  it("refunded comes only from settled refunds", async () => {
    const fulfilled = await orderIn("fulfilled");
    expectRefusedMove(
      await setStatus(t, fulfilled.id, "refunded"),
      "fulfilled",
      "refunded",
      ORDER_TRANSITIONS.fulfilled,
      "refunds_only",
    );
    const partial = await orderIn("partially_fulfilled");
    expectRefusedMove(
      await setStatus(t, partial.id, "refunded"),
      "partially_fulfilled",
      "refunded",
      ORDER_TRANSITIONS.partially_fulfilled,
      "refunds_only",
    );
    // A captured, fully shipped order: a partial refund keeps it fulfilled, the rest moves it.
    await capture(t, fulfilled.id);
    expect((await refund(t, fulfilled.id, { amount: 100 })).status).toBe(201);
    expect(await getOrder(t, fulfilled.id)).toMatchObject({ status: "fulfilled", paymentStatus: "partially_refunded" });
    expect((await refund(t, fulfilled.id)).status).toBe(201);
    expect(await getOrder(t, fulfilled.id)).toMatchObject({ status: "refunded", paymentStatus: "refunded" });
  });

  it("cancelled is refused while a return or exchange is open", async () => {
    const partial = await orderIn("partially_fulfilled");
    const ret = await t.request("POST", `/api/orders/${partial.id}/returns`, {
      body: { items: [{ lineId: partial.lines[0]!.id, quantity: 1 }], reason: "No" },
    });
    expect(ret.status).toBe(201);
    expectRefusedMove(
      await setStatus(t, partial.id, "cancelled"),
      "partially_fulfilled",
      "cancelled",
      ORDER_TRANSITIONS.partially_fulfilled,
      "open_returns",
    );
    await t.request("POST", `/api/orders/${partial.id}/returns/${ret.body.data.id}/reject`, { body: {} });
    expect((await setStatus(t, partial.id, "cancelled")).status).toBe(200);
  });

  it("processing has no guard; fulfilling needs a paid order, and a confirmed one passes through processing", async () => {
    const pending = await orderIn("pending");
    expectRefusedMove(await fulfill(t, pending.id), "pending", "fulfilled", ORDER_TRANSITIONS.pending);
    const confirmed = await orderIn("confirmed");
    expect((await fulfill(t, confirmed.id)).status).toBe(201);
    const order = await t.request("GET", `/api/orders/${confirmed.id}`);
    expect(order.body.data.status).toBe("fulfilled");
    const history = order.body.data.statusHistory as { fromStatus: string; toStatus: string }[];
    expect(history.map((h) => `${h.fromStatus}->${h.toStatus}`)).toEqual(
      expect.arrayContaining(["confirmed->processing", "processing->fulfilled"]),
    );
    const processing = await orderIn("confirmed");
    expect((await setStatus(t, processing.id, "processing")).status).toBe(200);
    const cancelled = await orderIn("cancelled");
    expectRefusedMove(await fulfill(t, cancelled.id), "cancelled", "fulfilled", []);
  });
});

describe("the payment table", () => {
  it("refuses captures and refunds the table does not allow, with the allowed moves", async () => {
    const pending = await orderIn("pending");
    expectRefusedMove(await refund(t, pending.id), "pending", "refunded", [
      "authorized",
      "captured",
      "voided",
      "failed",
    ]);

    const captured = await orderIn("confirmed");
    await capture(t, captured.id);
    expectRefusedMove(await capture(t, captured.id), "captured", "captured", ["partially_refunded", "refunded"]);
    await refund(t, captured.id, { amount: 300 });
    expectRefusedMove(await capture(t, captured.id), "partially_refunded", "captured", ["refunded"]);
    await refund(t, captured.id);
    expectRefusedMove(await capture(t, captured.id), "refunded", "captured", []);
    expect((await refund(t, captured.id)).status).toBe(409);

    const voided = await orderIn("cancelled");
    expectRefusedMove(await capture(t, voided.id), "voided", "captured", []);
    expectRefusedMove(await refund(t, voided.id), "voided", "refunded", []);
  });

  it("captures at most the payment's amount, and a partial capture bounds every refund", async () => {
    const order = await orderIn("pending");
    const tooMuch = await capture(t, order.id, { amount: order.totals.total + 1 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.details[0]).toMatchObject({ path: "amount", code: "too_big" });
    const part = await capture(t, order.id, { amount: 700 });
    expect(part.body.data).toMatchObject({
      status: "captured",
      amount: order.totals.total,
      capturedAmount: 700,
      order: { status: "confirmed" },
    });
    const over = await refund(t, order.id, { amount: 701 });
    expect(over.status).toBe(422);
    expect((await refund(t, order.id)).body.data.amount).toBe(700);
    expect((await getOrder(t, order.id)).paymentStatus).toBe("refunded");
  });
});

describe("the return and exchange tables", () => {
  it("refuse moves out of order, with the allowed ones", async () => {
    const order = await orderIn("fulfilled");
    const lineId = order.lines[0]!.id;
    const ret = (
      await t.request("POST", `/api/orders/${order.id}/returns`, {
        body: { items: [{ lineId, quantity: 1 }], reason: "x" },
      })
    ).body.data;
    const at = (verb: string, body: Record<string, unknown> = {}) =>
      t.request("POST", `/api/orders/${order.id}/returns/${ret.id}/${verb}`, { body });
    expectRefusedMove(await at("receive"), "requested", "received", ["approved", "rejected"]);
    expectRefusedMove(await refund(t, order.id, { returnId: ret.id }), "requested", "refunded", [
      "approved",
      "rejected",
    ]);
    expect((await at("approve")).status).toBe(200);
    expectRefusedMove(await at("approve"), "approved", "approved", ["received", "rejected"]);
    expect((await at("receive", { restock: false })).status).toBe(200);
    expectRefusedMove(await at("reject"), "received", "rejected", ["refunded"]);
    expectRefusedMove(await at("receive"), "received", "received", ["refunded"]);

    const other = await placeOrder(t, [{ entityId: order.lines[0]!.entityId, quantity: 1 }]);
    expect((await t.request("POST", `/api/orders/${other.id}/returns/${ret.id}/approve`, { body: {} })).status).toBe(
      404,
    );
    expect((await t.request("POST", `/api/orders/${order.id}/exchanges/${ret.id}/approve`, { body: {} })).status).toBe(
      404,
    );
    // Nothing of `other` shipped: nothing to return.
    const early = await t.request("POST", `/api/orders/${other.id}/returns`, {
      body: { items: [{ lineId: other.lines[0]!.id, quantity: 1 }], reason: "x" },
    });
    expect(early.status).toBe(422);

    const variantless = await t.request("POST", `/api/orders/${order.id}/exchanges`, {
      body: { items: [{ lineId, quantity: 1, newVariantId: "00000000-0000-4000-8000-000000000000" }], reason: "x" },
    });
    expect(variantless.status).toBe(422);
    expect(variantless.body.error.details[0]).toMatchObject({ path: "items.0.newVariantId", code: "not_found" });
  });

  it("refuse exchange moves out of order and need orders:update", async () => {
    const order = await orderIn("fulfilled");
    const tee = (
      await t.request("POST", "/api/catalog/entities", {
        body: { type: "product", slug: `tee-${Date.now()}`, status: "active" },
      })
    ).body.data;
    const variant = (
      await t.request("POST", `/api/catalog/entities/${tee.id}/variants`, { body: { sku: `TEE-${Date.now()}` } })
    ).body.data;
    await t.request("POST", "/api/pricing/prices", {
      body: { entityId: tee.id, variantId: variant.id, currency: "USD", amount: 1000 },
    });
    const body = { items: [{ lineId: order.lines[0]!.id, quantity: 1, newVariantId: variant.id }], reason: "Colour" };
    const reader = await t.createKey(["orders:read"]);
    expect((await t.request("POST", `/api/orders/${order.id}/exchanges`, { key: reader, body })).status).toBe(403);
    const ex = (await t.request("POST", `/api/orders/${order.id}/exchanges`, { body })).body.data;
    expect(ex).toMatchObject({ status: "requested", priceDifference: 0 });
    const at = (verb: string) => t.request("POST", `/api/orders/${order.id}/exchanges/${ex.id}/${verb}`, { body: {} });
    expectRefusedMove(await at("receive"), "requested", "received", ["approved", "rejected"]);
    expect((await at("reject")).status).toBe(200);
    expectRefusedMove(await at("approve"), "rejected", "approved", []);
    expectRefusedMove(await at("reject"), "rejected", "rejected", []);
    expect((await t.request("GET", `/api/orders/${order.id}/exchanges`, { key: reader })).body.data).toEqual([
      expect.objectContaining({ id: ex.id, status: "rejected" }),
    ]);
  });
});
