import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { mintToken, product, productWithVariants, sf, storefrontOrder } from "./support.js";

const t = useTestApp();
let token: string;
let tote: { id: string };
let mug: { id: string };

const merchant = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  sf(t, method, `/merchant/orders${path}`, { bearer: token, body, headers });
const order = async (id: string) => (await merchant("GET", `/${id}`)).body;

/** A storefront order, paid with the manual provider, ready to ship. */
async function paidOrder(lines: { product_id: string; quantity: number; variant_id?: string }[]) {
  const placed = await storefrontOrder(t, lines);
  const captured = await merchant("POST", `/${placed.id}/capture`, { reference: "bank transfer 42" });
  expect(captured.status, JSON.stringify(captured.body)).toBe(200);
  return placed;
}

beforeAll(async () => {
  token = await mintToken(t, ["orders:update"]);
  tote = await product(t, { price: 4200, stock: 100 });
  mug = await product(t, { price: 1500, stock: 100 });
});

describe("storefront v1 post-purchase: payment and fulfillment", () => {
  it("marks a manual order paid", async () => {
    const placed = await storefrontOrder(t, [{ product_id: tote.id, quantity: 1 }]);
    expect(placed).toMatchObject({ status: "pending", payment_status: "unpaid" });
    const captured = await merchant("POST", `/${placed.id}/capture`, { reference: "bank transfer 7" });
    expect(captured.status, JSON.stringify(captured.body)).toBe(200);
    expect(captured.body).toMatchObject({
      provider: "manual",
      status: "captured",
      captured_amount: placed.totals.total,
      reference: "bank transfer 7",
    });
    expect(await order(placed.id)).toMatchObject({
      status: "pending",
      payment_status: "paid",
      payment: { status: "captured" },
    });
    const again = await merchant("POST", `/${placed.id}/capture`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("invalid_state");
  });

  it("fulfills partly twice; an Idempotency-Key replays with the same body and conflicts with another", async () => {
    const placed = await paidOrder([
      { product_id: tote.id, quantity: 2 },
      { product_id: mug.id, quantity: 1 },
    ]);
    const [toteLine, mugLine] = [tote, mug].map(
      (p) => placed.items.find((i) => (i as unknown as { product_id: string }).product_id === p.id)!,
    );
    const first = {
      carrier: "USPS",
      tracking_number: "9400111202555582846137",
      items: [{ line_item_id: toteLine!.id, quantity: 1 }],
    };
    const shipped = await merchant("POST", `/${placed.id}/fulfill`, first, {
      "idempotency-key": `ship-1-${placed.id}`,
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
    expect(shipped.body).toMatchObject({
      order_id: placed.id,
      carrier: "USPS",
      tracking_number: first.tracking_number,
      items: [{ line_item_id: toteLine!.id, quantity: 1 }],
    });

    const replay = await merchant("POST", `/${placed.id}/fulfill`, first, { "idempotency-key": `ship-1-${placed.id}` });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(shipped.body.id);
    const conflict = await merchant(
      "POST",
      `/${placed.id}/fulfill`,
      { ...first, tracking_number: "other" },
      { "idempotency-key": `ship-1-${placed.id}` },
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe("idempotency_conflict");

    const half = await order(placed.id);
    expect(half).toMatchObject({ status: "pending", fulfillment_status: "partially_fulfilled" });
    expect(half.fulfillments).toHaveLength(1);

    const tooMany = await merchant("POST", `/${placed.id}/fulfill`, {
      items: [{ line_item_id: toteLine!.id, quantity: 2 }],
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0].path).toMatch(/^items\.0\./);

    const rest = await merchant("POST", `/${placed.id}/fulfill`, {
      carrier: "UPS",
      tracking_number: "1Z999",
      items: [
        { line_item_id: toteLine!.id, quantity: 1 },
        { line_item_id: mugLine!.id, quantity: 1 },
      ],
    });
    expect(rest.status, JSON.stringify(rest.body)).toBe(201);
    const done = await order(placed.id);
    expect(done).toMatchObject({ status: "fulfilled", fulfillment_status: "fulfilled" });
    expect(done.fulfillments.map((f: { carrier: string }) => f.carrier)).toEqual(["USPS", "UPS"]);
    expect(
      done.items.every((i: { quantity: number; fulfilled_quantity: number }) => i.fulfilled_quantity === i.quantity),
    ).toBe(true);
  });

  it("refuses to fulfill an unpaid order (409 invalid_state) and a cancelled one (422 operation_refused)", async () => {
    const unpaid = await storefrontOrder(t, [{ product_id: tote.id, quantity: 1 }]);
    const early = await merchant("POST", `/${unpaid.id}/fulfill`, {});
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: "invalid_state", details: { current_status: "pending" } });
    expect(
      (await t.request("PATCH", `/api/orders/${unpaid.id}/status`, { body: { status: "cancelled" } })).status,
    ).toBe(200);
    const refused = await merchant("POST", `/${unpaid.id}/fulfill`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("operation_refused");
  });
});

describe("storefront v1 post-purchase: refunds", () => {
  it("refunds partly, then fully when the amount is omitted; never more than captured", async () => {
    const placed = await paidOrder([{ product_id: tote.id, quantity: 1 }]);
    expect((await merchant("POST", `/${placed.id}/fulfill`, {})).status).toBe(201);
    const total = placed.totals.total;
    const partial = await merchant(
      "POST",
      `/${placed.id}/refund`,
      { amount: 1000, reason: "Buyer request" },
      { "idempotency-key": `refund-${placed.id}` },
    );
    expect(partial.status, JSON.stringify(partial.body)).toBe(201);
    expect(partial.body).toMatchObject({
      order_id: placed.id,
      amount: 1000,
      status: "succeeded",
      reason: "Buyer request",
    });
    const replay = await merchant(
      "POST",
      `/${placed.id}/refund`,
      { amount: 1000, reason: "Buyer request" },
      { "idempotency-key": `refund-${placed.id}` },
    );
    expect(replay.body.id).toBe(partial.body.id);
    expect(await order(placed.id)).toMatchObject({
      payment_status: "partially_refunded",
      payment: { refunded_amount: 1000 },
    });

    const tooMuch = await merchant("POST", `/${placed.id}/refund`, { amount: total, reason: "Too much" });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({
      code: "validation_failed",
      details: [{ path: "amount", code: "too_big" }],
    });

    const full = await merchant("POST", `/${placed.id}/refund`, { reason: "The rest" });
    expect(full.status, JSON.stringify(full.body)).toBe(201);
    expect(full.body.amount).toBe(total - 1000);
    const refunded = await order(placed.id);
    expect(refunded).toMatchObject({ status: "refunded", payment_status: "refunded" });
    expect(refunded.refunds.map((r: { amount: number }) => r.amount)).toEqual([1000, total - 1000]);
    const byStatus = await sf(t, "GET", "/merchant/orders?status=refunded", { bearer: token });
    expect(byStatus.body.data.map((o: { id: string }) => o.id)).toContain(placed.id);
  });
});

describe("storefront v1 post-purchase: returns and exchanges", () => {
  it("takes a return through requested -> approved -> received, then refunds it; the order reads returned", async () => {
    const placed = await paidOrder([{ product_id: tote.id, quantity: 2 }]);
    const line = placed.items[0]!;
    expect((await merchant("POST", `/${placed.id}/fulfill`, {})).status).toBe(201);

    const tooMany = await merchant("POST", `/${placed.id}/returns`, {
      items: [{ line_item_id: line.id, quantity: 3 }],
      reason: "Too small",
    });
    expect(tooMany.status).toBe(400);
    const requested = await merchant("POST", `/${placed.id}/returns`, {
      items: [{ line_item_id: line.id, quantity: 1 }],
      reason: "Too small",
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    expect(requested.body).toMatchObject({
      status: "requested",
      reason: "Too small",
      rma_number: null,
      items: [{ line_item_id: line.id, quantity: 1 }],
    });
    const rma = requested.body.id;

    const received = await merchant("POST", `/${placed.id}/returns/${rma}/receive`, {});
    expect(received.status).toBe(409);
    expect(received.body.error.code).toBe("invalid_state");
    const approved = await merchant("POST", `/${placed.id}/returns/${rma}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", rma_number: expect.stringMatching(/^RMA-/) });
    const back = await merchant("POST", `/${placed.id}/returns/${rma}/receive`, { restock: true });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ status: "received", restocked: true });

    const refund = await merchant("POST", `/${placed.id}/refund`, { return_id: rma, reason: "Returned" });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    expect(refund.body).toMatchObject({ return_id: rma, status: "succeeded", amount: expect.any(Number) });
    expect(refund.body.amount).toBeGreaterThan(0);
    expect(refund.body.amount).toBeLessThan(placed.totals.total);

    const after = await order(placed.id);
    expect(after).toMatchObject({
      status: "returned",
      payment_status: "partially_refunded",
      returns: [{ id: rma, status: "refunded" }],
    });
    const byStatus = await sf(t, "GET", "/merchant/orders?status=returned", { bearer: token });
    expect(byStatus.body.data.map((o: { id: string }) => o.id)).toEqual([placed.id]);
    expect(
      (await sf(t, "GET", "/merchant/orders?status=fulfilled", { bearer: token })).body.data.map(
        (o: { id: string }) => o.id,
      ),
    ).not.toContain(placed.id);

    const rejectLater = await merchant("POST", `/${placed.id}/returns/${rma}/reject`, { reason: "late" });
    expect(rejectLater.status).toBe(422);
    expect(rejectLater.body.error.code).toBe("operation_refused");
  });

  it("rejects a return", async () => {
    const placed = await paidOrder([{ product_id: mug.id, quantity: 1 }]);
    expect((await merchant("POST", `/${placed.id}/fulfill`, {})).status).toBe(201);
    const requested = await merchant("POST", `/${placed.id}/returns`, {
      items: [{ line_item_id: placed.items[0]!.id, quantity: 1 }],
      reason: "Changed mind",
    });
    const rejected = await merchant("POST", `/${placed.id}/returns/${requested.body.id}/reject`, { reason: "Used" });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ status: "rejected", rejection_reason: "Used" });
    expect((await order(placed.id)).status).toBe("fulfilled");
  });

  it("exchanges an item for another variant and ships the replacement", async () => {
    const bag = await productWithVariants(t, { natural: { price: 4200, stock: 5 }, black: { price: 4500, stock: 5 } });
    const placed = await paidOrder([{ product_id: bag.id, variant_id: bag.variants.natural, quantity: 1 }]);
    const line = placed.items[0]!;
    expect((await merchant("POST", `/${placed.id}/fulfill`, {})).status).toBe(201);

    const requested = await merchant("POST", `/${placed.id}/exchanges`, {
      items: [{ line_item_id: line.id, quantity: 1, new_variant_id: bag.variants.black }],
      reason: "Wrong color",
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    expect(requested.body).toMatchObject({
      status: "requested",
      price_difference: 300,
      items: [{ line_item_id: line.id, quantity: 1, new_variant_id: bag.variants.black, new_unit_price: 4500 }],
    });
    const exchange = requested.body.id;
    const approved = await merchant("POST", `/${placed.id}/exchanges/${exchange}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.rma_number).toMatch(/^RMA-/);
    const shipped = await merchant("POST", `/${placed.id}/exchanges/${exchange}/receive`, {
      carrier: "USPS",
      tracking_number: "9400-EXCH",
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body).toMatchObject({
      status: "received",
      fulfillments: [{ carrier: "USPS", tracking_number: "9400-EXCH" }],
    });

    const after = await order(placed.id);
    const replacement = after.fulfillments.find((f: { exchange_id: string | null }) => f.exchange_id === exchange);
    expect(replacement).toMatchObject({
      carrier: "USPS",
      items: [expect.objectContaining({ variant_id: bag.variants.black, quantity: 1 })],
    });
    expect(after.exchanges).toEqual([expect.objectContaining({ id: exchange, status: "received" })]);
    // The price difference is charged as a new payment of the order.
    expect(after.payments.length).toBe(2);
    expect(after.payments[1]).toMatchObject({ exchange_id: exchange });
  });
});
