import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { insertOrder } from "../../helpers/orders.js";
import { capture, fulfill, placeOrder, refund, stockedProduct } from "../../helpers/post-purchase.js";

const t = useTestApp();

describe("GET /api/orders", () => {
  it("lists the store's orders newest first, filtered by status, paginated", async () => {
    const first = await insertOrder(t);
    const second = await insertOrder(t, { status: "confirmed" });
    const all = await t.request("GET", "/api/orders?limit=10");
    expect(all.status).toBe(200);
    expect(all.body.data.map((o: { id: string }) => o.id).slice(0, 2)).toEqual([second.id, first.id]);
    expect(all.body.meta.pagination).toMatchObject({ page: 1, limit: 10 });
    const confirmed = await t.request("GET", "/api/orders?status=confirmed");
    expect(confirmed.body.data.every((o: { status: string }) => o.status === "confirmed")).toBe(true);
    expect((await t.request("GET", "/api/orders?status=lost")).status).toBe(422);
  });

  it("answers with the documented order shape", async () => {
    const order = await insertOrder(t);
    const res = await t.request("GET", `/api/orders/${order.id}`);
    expect(res.body.data).toMatchObject({
      id: order.id,
      number: expect.stringMatching(/^ORD-\d{4}-\d{6}$/),
      status: "pending",
      currency: "USD",
      totals: { subtotal: 4200, discount: 0, tax: 0, shipping: 0, total: 4200 },
      lines: [expect.objectContaining({ title: "Linen Tote", quantity: 1, unitPrice: 4200 })],
      payments: [expect.objectContaining({ provider: "manual", status: "pending", amount: 4200 })],
    });
  });

  it("needs orders:read", async () => {
    expect((await t.request("GET", "/api/orders", { key: null })).status).toBe(401);
    const catalogOnly = await t.createKey(["catalog:*"]);
    expect((await t.request("GET", "/api/orders", { key: catalogOnly })).status).toBe(403);
    expect((await t.request("GET", "/api/orders", { key: await t.createKey(["orders:read"]) })).status).toBe(200);
  });
});

describe("GET /api/orders/:idOrNumber", () => {
  it("finds an order by UUID or by number, 404 otherwise", async () => {
    const order = await insertOrder(t);
    expect((await t.request("GET", `/api/orders/${order.number}`)).body.data.id).toBe(order.id);
    expect((await t.request("GET", "/api/orders/ORD-1999-000001")).status).toBe(404);
    expect((await t.request("GET", "/api/orders/garbage")).status).toBe(404);
  });

  it("numbers orders sequentially per year", async () => {
    const a = await insertOrder(t);
    const b = await insertOrder(t);
    const n = (o: { number: string }) => Number(o.number.slice(-6));
    expect(n(b)).toBe(n(a) + 1);
  });
});

describe("PATCH /api/orders/:id/status", () => {
  it("follows the transition table and records the history", async () => {
    const product = await stockedProduct(t, { price: 1000, stock: 3 });
    const order = await placeOrder(t, [{ entityId: product.id, quantity: 1 }]);
    for (const status of ["confirmed", "processing"]) {
      const res = await t.request("PATCH", `/api/orders/${order.id}/status`, {
        body: { status, reason: `to ${status}` },
      });
      expect(res.status, status).toBe(200);
      expect(res.body.data.status).toBe(status);
    }
    // fulfilled and refunded follow the facts: a fulfillment, a captured payment refunded in full.
    expect((await fulfill(t, order.id)).status).toBe(201);
    expect((await capture(t, order.id)).status).toBe(200);
    expect((await refund(t, order.id)).status).toBe(201);
    const history = (await t.request("GET", `/api/orders/${order.id}`)).body.data.statusHistory;
    expect(history.map((h: { toStatus: string }) => h.toStatus)).toEqual([
      "confirmed",
      "processing",
      "fulfilled",
      "refunded",
    ]);
    expect(history[0]).toMatchObject({ fromStatus: "pending", reason: "to confirmed" });
  });

  it("refuses illegal transitions with 409 naming the current and requested status", async () => {
    const order = await insertOrder(t);
    const res = await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "fulfilled" } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "CONFLICT",
      details: { currentStatus: "pending", requestedStatus: "fulfilled" },
    });
    const cancelled = await insertOrder(t, { status: "fulfilled" });
    expect(
      (await t.request("PATCH", `/api/orders/${cancelled.id}/status`, { body: { status: "cancelled" } })).status,
    ).toBe(409);
  });

  it("cancels from pending, confirmed, processing and partially_fulfilled", async () => {
    for (const status of ["pending", "confirmed", "processing", "partially_fulfilled"]) {
      const order = await insertOrder(t, { status });
      const res = await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "cancelled" } });
      expect(res.status, status).toBe(200);
    }
  });

  it("lets one of two racing changes win", async () => {
    const order = await insertOrder(t);
    const results = await Promise.all([
      t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } }),
      t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("validates the body and needs orders:update", async () => {
    const order = await insertOrder(t);
    expect((await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "shipped" } })).status).toBe(
      422,
    );
    expect((await t.request("PATCH", `/api/orders/${order.id}/status`, { body: {} })).status).toBe(422);
    const reader = await t.createKey(["orders:read"]);
    expect(
      (await t.request("PATCH", `/api/orders/${order.id}/status`, { key: reader, body: { status: "confirmed" } }))
        .status,
    ).toBe(403);
    expect(
      (
        await t.request("PATCH", "/api/orders/00000000-0000-4000-8000-000000000000/status", {
          body: { status: "confirmed" },
        })
      ).status,
    ).toBe(404);
  });
});

describe("GET /api/orders/:id/fulfillments", () => {
  it("lists an order's fulfillments", async () => {
    const order = await insertOrder(t, { status: "processing" });
    const line = order.lines[0]!;
    const shipped = await t.request("POST", `/api/orders/${order.id}/fulfillments`, {
      body: { carrier: "USPS", trackingNumber: "9400111202555582846137", items: [{ lineId: line.id, quantity: 1 }] },
    });
    expect(shipped.status).toBe(201);
    const res = await t.request("GET", `/api/orders/${order.id}/fulfillments`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        carrier: "USPS",
        trackingNumber: "9400111202555582846137",
        items: [{ lineId: line.id, quantity: 1 }],
      }),
    ]);
    expect((await t.request("GET", "/api/orders/00000000-0000-4000-8000-000000000000/fulfillments")).status).toBe(404);
  });
});

describe("stores", () => {
  it("keep orders of another store out of reach", async () => {
    const other = (await t.request("POST", "/api/stores", { body: { slug: "orders-b", name: "B" } })).body.data;
    const theirs = await insertOrder(t, { storeId: other.id });
    expect((await t.request("GET", `/api/orders/${theirs.id}`)).status).toBe(404);
    expect(
      (await t.request("PATCH", `/api/orders/${theirs.id}/status`, { body: { status: "confirmed" } })).status,
    ).toBe(404);
  });
});
