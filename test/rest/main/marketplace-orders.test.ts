import { beforeAll, describe, expect, it } from "vitest";
import { marketplaceOrderRoutes } from "../../../src/rest/dialects/main/marketplace-orders.js";
import { type TestApp, useTestApp } from "../../helpers/app.js";
import { cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { approvedVendor, type TestVendor, vendorProduct } from "../../helpers/marketplace.js";

const t: TestApp = useTestApp();

/** A checked-out, captured order of these lines (admin key); returns the order id. */
async function paidOrder(lines: { entityId: string; quantity: number }[]) {
  const cartId = await cartWith(t, lines);
  const placed = await t.request("POST", "/api/checkout", { body: checkoutBody(cartId) });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId = placed.body.data.id as string;
  const captured = await t.request("POST", `/api/orders/${orderId}/payment/capture`, { body: {} });
  expect(captured.status, JSON.stringify(captured.body)).toBeLessThan(300);
  return orderId;
}

async function subOrdersOf(orderId: string) {
  const res = await t.request("GET", `/api/marketplace/sub-orders?orderId=${orderId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data as {
    id: string;
    vendorId: string;
    subtotal: number;
    commission: number;
    vendorNet: number;
    status: string;
    lines: { id: string; commission: number }[];
  }[];
}

async function balanceOf(vendor: TestVendor) {
  const res = await t.request("GET", "/api/marketplace/vendor/me/balance", { key: vendor.key });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (
    (res.body.data as { currency: string; balance: number; payable: number }[]).find((b) => b.currency === "USD") ?? {
      balance: 0,
      payable: 0,
    }
  );
}

let a: TestVendor;
let b: TestVendor;
let orderId: string;
let subA: { id: string; subtotal: number; commission: number; vendorNet: number; lines: { id: string }[] };
let subB: { id: string; subtotal: number; commission: number; vendorNet: number };

beforeAll(async () => {
  a = await approvedVendor(t);
  b = await approvedVendor(t);
  // Default 10 %; vendor A: 12.5 % + 30 per line.
  const byDefault = await t.request("POST", "/api/marketplace/commission-rules", { body: { percentage: 10 } });
  expect(byDefault.status, JSON.stringify(byDefault.body)).toBe(201);
  const forA = await t.request("POST", "/api/marketplace/commission-rules", {
    body: { vendorId: a.id, percentage: 12.5, fixedAmount: 30 },
  });
  expect(forA.status, JSON.stringify(forA.body)).toBe(201);
  const pA = await vendorProduct(t, a, { price: 1003, stock: 5 });
  const pB = await vendorProduct(t, b, { price: 2505, stock: 5 });
  const platform = await productWithStock(t, { price: 1000, stock: 5 });
  orderId = await paidOrder([
    { entityId: pA, quantity: 2 },
    { entityId: pB, quantity: 1 },
    { entityId: platform.id, quantity: 1 },
  ]);
  const subs = await subOrdersOf(orderId);
  subA = subs.find((s) => s.vendorId === a.id)!;
  subB = subs.find((s) => s.vendorId === b.id)!;
});

describe("two-vendor checkout", () => {
  it("creates one sub-order per vendor whose commission and net add up to the cent; platform lines stay on the parent", async () => {
    const subs = await subOrdersOf(orderId);
    expect(subs).toHaveLength(2);
    // A: 2 x 1003 = 2006; 12.5 % = 250.75 -> 251 (half up), + 30 = 281.
    expect(subA).toMatchObject({ subtotal: 2006, commission: 281, vendorNet: 1725, status: "pending" });
    // B: 2505; 10 % = 250.5 -> 251.
    expect(subB).toMatchObject({ subtotal: 2505, commission: 251, vendorNet: 2254 });
    for (const s of subs) expect(s.commission + s.vendorNet).toBe(s.subtotal);
    const order = await t.request("GET", `/api/orders/${orderId}`);
    const lineIds = new Set(subs.flatMap((s) => s.lines.map((l) => l.id)));
    expect(order.body.data.lines.filter((l: { id: string }) => !lineIds.has(l.id))).toHaveLength(1);
  });

  it("GraphQL: Order.subOrders with vendor and lines", async () => {
    const res = await t.graphql(
      `query ($id: ID!) { order(id: $id) { subOrders { number vendor { id } lines { commission } commission } } }`,
      { id: orderId },
    );
    expect(res.body.errors).toBeUndefined();
    const subs = res.body.data.order.subOrders as {
      vendor: { id: string };
      lines: { commission: number }[];
      commission: number;
    }[];
    expect(subs.map((s) => s.vendor.id).sort()).toEqual([a.id, b.id].sort());
    for (const s of subs) expect(s.lines.reduce((sum, l) => sum + l.commission, 0)).toBe(s.commission);
  });
});

describe("vendor isolation", () => {
  it("a vendor lists only its own sub-orders", async () => {
    const res = await t.request("GET", "/api/marketplace/vendor/me/orders", { key: a.key });
    expect(res.status).toBe(200);
    expect(res.body.data.map((s: { id: string }) => s.id)).toEqual([subA.id]);
  });

  it("vendor A can neither read nor change anything of vendor B through any route of the table", async () => {
    const dispute = await t.request("POST", "/api/marketplace/disputes", {
      body: { subOrderId: subB.id, reason: "Walk" },
    });
    expect(dispute.status, JSON.stringify(dispute.body)).toBe(201);
    const ids = { id: subB.id, dispute: dispute.body.data.id as string };
    const bodies: Record<string, unknown> = {
      "/marketplace/vendor/me/orders/:id/ship": { carrier: "UPS", trackingNumber: "1Z" },
      "/marketplace/sub-orders/:id/status": { status: "confirmed" },
      "/marketplace/disputes/:id/respond": { response: "mine" },
      "/marketplace/disputes/:id/resolve": { resolution: "x", refundAmount: 1 },
      "/marketplace/commission-rules": { percentage: 1 },
      "/marketplace/disputes": { subOrderId: subB.id, reason: "x" },
      "/marketplace/returns": { subOrderId: subB.id, items: [{ lineId: subA.lines[0]!.id, quantity: 1 }], reason: "x" },
    };
    let walked = 0;
    for (const route of marketplaceOrderRoutes) {
      const idFor = route.path.includes("/disputes/") ? ids.dispute : route.path.includes("/vendors/") ? b.id : ids.id;
      const path = `/api${route.path.replace(":id", idFor)}`;
      const res = await t.request(route.method, path, {
        key: a.key,
        body: route.method === "GET" || route.method === "DELETE" ? undefined : (bodies[route.path] ?? {}),
      });
      walked++;
      const text = JSON.stringify(res.body);
      if (res.status < 300) {
        // Lists and balances answer, but with nothing of B's.
        expect(text, `${route.method} ${route.path}`).not.toContain(subB.id);
        expect(text, `${route.method} ${route.path}`).not.toContain(ids.dispute);
        expect(text, `${route.method} ${route.path}`).not.toContain(b.id);
      } else {
        // 401: a buyer-only route asks for a customer session; 403: not the vendor's; 404: not found for it.
        expect([401, 403, 404, 422], `${route.method} ${route.path}: ${res.status} ${text}`).toContain(res.status);
      }
    }
    expect(walked).toBe(marketplaceOrderRoutes.length);
    // B's sub-order and dispute are untouched.
    const after = (await subOrdersOf(orderId)).find((s) => s.id === subB.id)!;
    expect(after.status).toBe("pending");
    const disputes = await t.request("GET", `/api/marketplace/disputes?subOrderId=${subB.id}`);
    expect(disputes.body.data[0].status).toBe("open");
    const resolved = await t.request("POST", `/api/marketplace/disputes/${ids.dispute}/resolve`, {
      body: { resolution: "closed, walk only" },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
  });

  it("GraphQL: vendor A sees no sub-order of B through subOrder, Vendor.subOrders or vendorBalance", async () => {
    const res = await t.graphql(
      `query ($b: ID!, $sub: ID!) { subOrder(id: $sub) { id } vendorBalance(vendorId: $b) { balance } vendor(id: $b) { subOrders { id } } }`,
      { b: b.id, sub: subB.id },
      a.key,
    );
    expect(JSON.stringify(res.body)).not.toContain(subB.id);
    expect(res.body.data?.subOrder ?? null).toBeNull();
  });
});

describe("sub-order lifecycle, ledger and payouts", () => {
  it("shipping needs carrier and tracking; the parent follows its sub-orders; delivery credits the ledger", async () => {
    const unpaidShip = await t.request("POST", `/api/marketplace/vendor/me/orders/${subA.id}/ship`, {
      key: a.key,
      body: { carrier: "UPS", trackingNumber: "1Z" },
    });
    expect(unpaidShip.status).toBe(409);
    expect(unpaidShip.body.error.details.allowedStatuses).toEqual(["confirmed", "cancelled"]);
    expect(
      (await t.request("POST", `/api/marketplace/vendor/me/orders/${subA.id}/confirm`, { key: a.key, body: {} }))
        .status,
    ).toBe(200);
    const noTracking = await t.request("POST", `/api/marketplace/vendor/me/orders/${subA.id}/ship`, {
      key: a.key,
      body: { carrier: "UPS" },
    });
    expect(noTracking.status).toBe(422);
    const shipped = await t.request("POST", `/api/marketplace/vendor/me/orders/${subA.id}/ship`, {
      key: a.key,
      body: { carrier: "UPS", trackingNumber: "1Z999" },
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body.data).toMatchObject({ status: "shipped", carrier: "UPS", trackingNumber: "1Z999" });
    expect((await t.request("GET", `/api/orders/${orderId}`)).body.data.status).toBe("partially_fulfilled");
    expect(await balanceOf(a)).toMatchObject({ balance: 0 });
    const delivered = await t.request("POST", `/api/marketplace/vendor/me/orders/${subA.id}/deliver`, {
      key: a.key,
      body: {},
    });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    // Sale (subtotal + shipping share) minus commission; no hold in tests.
    const full = await t.request("GET", `/api/marketplace/sub-orders/${subA.id}`);
    const expected = full.body.data.subtotal + full.body.data.shippingShare - full.body.data.commission;
    expect(await balanceOf(a)).toMatchObject({ balance: expected, payable: expected });
  });

  it("a vendor's cancel refunds its part and releases its stock", async () => {
    const before = await t.request("GET", `/api/orders/${orderId}`);
    const refundedBefore = before.body.data.refunds?.length ?? 0;
    const cancelled = await t.request("POST", `/api/marketplace/vendor/me/orders/${subB.id}/cancel`, {
      key: b.key,
      body: { reason: "Out of stock" },
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.data.status).toBe("cancelled");
    const refunds = await t.graphql(`query ($id: ID!) { order(id: $id) { refunds { amount status } } }`, {
      id: orderId,
    });
    const list = refunds.body.data.order.refunds as { amount: number; status: string }[];
    expect(list.length).toBe(refundedBefore + 1);
    const full = await t.request("GET", `/api/marketplace/sub-orders/${subB.id}`);
    expect(list.at(-1)).toMatchObject({
      amount: full.body.data.subtotal + full.body.data.shippingShare + full.body.data.taxShare,
      status: "succeeded",
    });
    const again = await t.request("POST", `/api/marketplace/vendor/me/orders/${subB.id}/cancel`, {
      key: b.key,
      body: {},
    });
    expect(again.status).toBe(409);
  });

  it("a payout run pays each payable balance once; a second run pays nothing", async () => {
    const payable = (await balanceOf(a)).payable;
    expect(payable).toBeGreaterThan(0);
    const first = await t.request("POST", "/api/marketplace/payouts/run", { body: {} });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const mine = first.body.data.filter((p: { vendorId: string }) => p.vendorId === a.id);
    expect(mine).toEqual([expect.objectContaining({ amount: payable, status: "paid", provider: "manual" })]);
    const second = await t.request("POST", "/api/marketplace/payouts/run", { body: {} });
    expect(second.body.data).toEqual([]);
    expect(await balanceOf(a)).toMatchObject({ balance: 0, payable: 0 });
    const own = await t.request("GET", "/api/marketplace/vendor/me/payouts", { key: a.key });
    expect(own.body.data.map((p: { amount: number }) => p.amount)).toEqual([payable]);
    expect((await t.request("GET", "/api/marketplace/vendor/me/payouts", { key: b.key })).body.data).toEqual([]);
  });

  it("a dispute resolved with a refund refunds the buyer and debits the vendor's ledger", async () => {
    const opened = await t.request("POST", "/api/marketplace/disputes", {
      body: { subOrderId: subA.id, reason: "Arrived damaged" },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = opened.body.data.id;
    const responded = await t.request("POST", `/api/marketplace/disputes/${id}/respond`, {
      key: a.key,
      body: { response: "Sorry" },
    });
    expect(responded.body.data.status).toBe("responded");
    expect((await t.request("POST", `/api/marketplace/disputes/${id}/escalate`, { body: {} })).body.data.status).toBe(
      "escalated",
    );
    const tooMuch = await t.request("POST", `/api/marketplace/disputes/${id}/resolve`, {
      body: { resolution: "x", refundAmount: 10_000_000 },
    });
    expect(tooMuch.status).toBe(422);
    const resolved = await t.request("POST", `/api/marketplace/disputes/${id}/resolve`, {
      body: { resolution: "Partial refund", refundAmount: 500 },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.data).toMatchObject({ status: "resolved", refundAmount: 500 });
    expect(resolved.body.data.refundId).toBeTruthy();
    expect(await balanceOf(a)).toMatchObject({ balance: -500 });
    const twice = await t.request("POST", `/api/marketplace/disputes/${id}/resolve`, {
      body: { resolution: "again", refundAmount: 500 },
    });
    expect(twice.status).toBe(409);
    expect(await balanceOf(a)).toMatchObject({ balance: -500 });
    // Nothing to pay while the balance is negative.
    const run = await t.request("POST", "/api/marketplace/payouts/run", { body: {} });
    expect(run.body.data.filter((p: { vendorId: string }) => p.vendorId === a.id)).toEqual([]);
  });

  it("performance counts delivered, cancelled and disputes", async () => {
    const perf = await t.request("GET", `/api/marketplace/vendors/${b.id}/performance`);
    expect(perf.status, JSON.stringify(perf.body)).toBe(200);
    expect(perf.body.data).toMatchObject({
      subOrders: 1,
      cancelled: 1,
      delivered: 0,
      fulfilmentRate: 0,
      cancellationRate: 1,
    });
    const mine = await t.request("GET", `/api/marketplace/vendors/${a.id}/performance`, { key: a.key });
    expect(mine.body.data).toMatchObject({ delivered: 1, fulfilmentRate: 1, disputes: 1, onTimeShippingRate: 1 });
  });
});

describe("commission rules", () => {
  it("validates, refuses a duplicate scope, updates and deletes", async () => {
    const bad = await t.request("POST", "/api/marketplace/commission-rules", { body: { percentage: 101 } });
    expect(bad.status).toBe(422);
    const neither = await t.request("POST", "/api/marketplace/commission-rules", { body: {} });
    expect(neither.status).toBe(422);
    const dup = await t.request("POST", "/api/marketplace/commission-rules", { body: { percentage: 5 } });
    expect(dup.status).toBe(409);
    const created = await t.request("POST", "/api/marketplace/commission-rules", {
      body: { vendorId: b.id, fixedAmount: 50 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const updated = await t.request("PATCH", `/api/marketplace/commission-rules/${created.body.data.id}`, {
      body: { percentage: 7.25 },
    });
    expect(updated.body.data).toMatchObject({ percentage: 7.25, fixedAmount: 50 });
    const listed = await t.request("GET", `/api/marketplace/commission-rules?vendorId=${b.id}`);
    expect(listed.body.data).toHaveLength(1);
    // The total counts what the filter finds, not every rule of the store (the default and A's are not B's).
    expect(listed.body.meta.pagination.total).toBe(1);
    const all = await t.request("GET", "/api/marketplace/commission-rules");
    expect(all.body.meta.pagination.total).toBe(all.body.data.length);
    expect(all.body.data.length).toBeGreaterThan(1);
    const inGraphQL = await t.graphql(
      `query ($v: ID) { commissionRules(vendorId: $v) { totalCount edges { node { id } } } }`,
      {
        v: b.id,
      },
    );
    expect(inGraphQL.body.data.commissionRules).toEqual({
      totalCount: 1,
      edges: [{ node: { id: created.body.data.id } }],
    });
    expect((await t.request("DELETE", `/api/marketplace/commission-rules/${created.body.data.id}`)).status).toBe(200);
    expect((await t.request("DELETE", `/api/marketplace/commission-rules/${created.body.data.id}`)).status).toBe(404);
    expect((await t.request("GET", "/api/marketplace/commission-rules", { key: a.key })).status).toBe(403);
  });
});

describe("sub-order returns", () => {
  it("request (approved at once), ship back, receive by the vendor: refunded and debited from its ledger", async () => {
    const pA = await vendorProduct(t, a, { price: 800, stock: 3 });
    const order = await paidOrder([{ entityId: pA, quantity: 2 }]);
    const [sub] = await subOrdersOf(order);
    for (const step of ["confirm", "ship", "deliver"]) {
      const body = step === "ship" ? { carrier: "UPS", trackingNumber: "1Z" } : {};
      expect(
        (await t.request("POST", `/api/marketplace/vendor/me/orders/${sub!.id}/${step}`, { key: a.key, body })).status,
      ).toBe(200);
    }
    const before = (await balanceOf(a)).balance;
    const foreign = await t.request("POST", "/api/marketplace/returns", {
      body: { subOrderId: sub!.id, items: [{ lineId: subA.lines[0]!.id, quantity: 1 }], reason: "x" },
    });
    expect(foreign.status).toBe(422);
    const requested = await t.request("POST", "/api/marketplace/returns", {
      body: { subOrderId: sub!.id, items: [{ lineId: sub!.lines[0]!.id, quantity: 1 }], reason: "Too small" },
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    expect(requested.body.data).toMatchObject({ status: "approved", subOrderId: sub!.id });
    expect(requested.body.data.rmaNumber).toBeTruthy();
    const id = requested.body.data.id;
    const shipped = await t.request("POST", `/api/marketplace/returns/${id}/ship-back`, {
      body: { carrier: "DHL", trackingNumber: "JD0146" },
    });
    expect(shipped.body.data).toMatchObject({ shipBackCarrier: "DHL", shipBackTrackingNumber: "JD0146" });
    expect((await t.request("POST", `/api/marketplace/returns/${id}/receive`, { key: b.key, body: {} })).status).toBe(
      404,
    );
    const received = await t.request("POST", `/api/marketplace/returns/${id}/receive`, { key: a.key, body: {} });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body.data.status).toBe("refunded");
    expect(received.body.data.refunds).toEqual([expect.objectContaining({ amount: 800, status: "succeeded" })]);
    expect((await balanceOf(a)).balance).toBe(before - 800);
  });
});
