import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { capture, getOrder, moveTo, placeOrder, refund, stockedProduct } from "../helpers/post-purchase.js";

// Runs on the embedded database in `npm test` and on PostgreSQL (real concurrency) with TEST_DATABASE_URL.
const t = useTestApp();

async function capturedOrder() {
  const product = await stockedProduct(t, { price: 2345, stock: 10 });
  const order = await placeOrder(t, [{ entityId: product.id, quantity: 3 }]);
  expect((await capture(t, order.id)).status).toBe(200);
  await moveTo(t, order.id, "processing");
  return order;
}

describe("refunds under load", () => {
  it("20 concurrent partial refunds never return more than was captured", async () => {
    const order = await capturedOrder();
    const total = order.totals.total;
    const amount = Math.floor(total / 7) + 1; // 7 fit, the 8th would not: 13 must be refused
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => refund(t, order.id, { amount, reason: `part ${i}` })),
    );
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    const made = results.filter((r) => r.status === 201);
    expect(made, JSON.stringify(results.map((r) => [r.status, r.body.error?.message]))).toHaveLength(
      Math.floor(total / amount),
    );
    // The rest: more than remains (422), or nothing remains (409).
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 422 || r.status === 409)).toBe(true);

    const after = await getOrder(t, order.id);
    const settled = after.refunds.filter((r: { status: string }) => r.status === "succeeded");
    expect(settled).toHaveLength(made.length);
    const refunded = settled.reduce((sum: number, r: { amount: number }) => sum + r.amount, 0);
    expect(refunded).toBe(made.length * amount);
    expect(refunded).toBeLessThanOrEqual(total);
    expect(after.payments[0]).toMatchObject({
      capturedAmount: total,
      refundedAmount: refunded,
      status: "partially_refunded",
    });
    expect(after.paymentStatus).toBe("partially_refunded");

    // The remainder, then nothing more: full refunds racing each other, exactly one wins.
    const rest = await Promise.all(Array.from({ length: 20 }, () => refund(t, order.id)));
    expect(rest.filter((r) => r.status === 201).map((r) => r.body.data.amount)).toEqual([total - refunded]);
    expect(rest.filter((r) => r.status >= 500)).toEqual([]);
    expect(await getOrder(t, order.id)).toMatchObject({
      paymentStatus: "refunded",
      payments: [expect.objectContaining({ refundedAmount: total, status: "refunded" })],
    });
  }, 120_000);

  it("20 concurrent retries with one Idempotency-Key refund once", async () => {
    const order = await capturedOrder();
    const key = { "idempotency-key": `refund-race-${order.id}` };
    const results = await Promise.all(Array.from({ length: 20 }, () => refund(t, order.id, { amount: 500 }, key)));
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.data.id));
    expect(ids.size).toBe(1);
    // Duplicates still in flight were told so (409); none refunded a second time.
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect((await getOrder(t, order.id)).payments[0].refundedAmount).toBe(500);
  }, 120_000);
});
