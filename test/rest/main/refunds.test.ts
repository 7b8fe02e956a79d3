import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { insertOrder } from "../../helpers/orders.js";
import { capture, fulfill, moveTo, placeOrder, stockedProduct } from "../../helpers/post-purchase.js";

const t = useTestApp();

/** A manual order whose payment a merchant captured, shipped in full unless only confirmed is asked for. */
async function paidOrder(status: "fulfilled" | "confirmed" = "fulfilled") {
  const product = await stockedProduct(t, { price: 4200, stock: 5 });
  const placed = await placeOrder(t, [{ entityId: product.id, quantity: 1 }]);
  expect((await capture(t, placed.id)).status).toBe(200);
  if (status === "fulfilled") {
    await moveTo(t, placed.id, "processing");
    expect((await fulfill(t, placed.id)).status).toBe(201);
  }
  return { id: placed.id, grandTotal: placed.totals.total };
}

const refund = (orderId: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  t.request("POST", `/api/orders/${orderId}/refunds`, { body, headers });

describe("POST /api/orders/:id/refunds", () => {
  it("refunds in parts, then in full, moving a fulfilled order to refunded", async () => {
    const order = await paidOrder();
    const part = await refund(order.id, { amount: 1000, reason: "damaged" });
    expect(part.status).toBe(201);
    expect(part.body.data).toMatchObject({ amount: 1000, status: "succeeded", reason: "damaged" });
    let payment = await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment).toMatchObject({ status: "partially_refunded", refundedAmount: 1000 });

    const rest = await refund(order.id);
    expect(rest.body.data.amount).toBe(order.grandTotal - 1000);
    payment = await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment).toMatchObject({ status: "refunded", refundedAmount: order.grandTotal });
    expect((await t.request("GET", `/api/orders/${order.id}`)).body.data.status).toBe("refunded");
    expect((await refund(order.id)).status).toBe(409);
  });

  it("never refunds more than was paid, even concurrently", async () => {
    const order = await paidOrder("confirmed");
    expect((await refund(order.id, { amount: order.grandTotal + 1 })).body.error.details[0].path).toBe("amount");
    const results = await Promise.all(Array.from({ length: 10 }, () => refund(order.id, { amount: order.grandTotal })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    const payment = await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment.refundedAmount).toBe(order.grandTotal);
    // a confirmed order cannot become refunded by the lifecycle table: its status stays
    expect((await t.request("GET", `/api/orders/${order.id}`)).body.data.status).toBe("confirmed");
  });

  it("replays a retry with the same Idempotency-Key instead of refunding twice", async () => {
    const order = await paidOrder();
    const key = { "idempotency-key": `refund-${order.id}` };
    const first = await refund(order.id, { amount: 500 }, key);
    const retry = await refund(order.id, { amount: 500 }, key);
    expect(retry.body.data.id).toBe(first.body.data.id);
    expect((await t.app.db.prisma.payment.findFirstOrThrow({ where: { orderId: order.id } })).refundedAmount).toBe(500);
  });

  it("refuses orders without a captured payment, unknown orders and missing permissions", async () => {
    const unpaid = await insertOrder(t);
    expect((await refund(unpaid.id)).status).toBe(409);
    expect((await refund("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const reader = await t.createKey(["orders:read"]);
    expect((await t.request("POST", `/api/orders/${unpaid.id}/refunds`, { key: reader, body: {} })).status).toBe(403);
  });
});
