import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";
import { cartWith, checkoutBody } from "../helpers/commerce.js";
import { approvedVendor, vendorProduct } from "../helpers/marketplace.js";

const t = useTestApp();
let base: string;

beforeAll(async () => {
  base = (await t.app.start()).url;
});
afterAll(async () => {
  await t.app.stop();
});

/** Collects a subscription's results until closed. */
function collect(query: string, apiKey: string) {
  const results: any[] = [];
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const client = createClient({
    url: `${base.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { apiKey },
    retryAttempts: 0,
    on: { connected: () => setTimeout(markReady, 50) },
  });
  client.subscribe(
    { query },
    { next: (value) => results.push(value), error: (error) => results.push({ errors: [error] }), complete: () => {} },
  );
  const until = async (predicate: (all: any[]) => boolean) => {
    // a wait, not a speed assertion: generous so a loaded machine does not fail it
    for (let i = 0; i < 200 && !predicate(results); i++) await new Promise((r) => setTimeout(r, 50));
  };
  return { results, ready, until, close: () => client.dispose() as Promise<void> };
}

const QUERY_STATUS = `subscription { vendorOrderEvents { type vendorId subjectId status } }`;
const QUERY = `subscription { vendorOrderEvents { type vendorId subjectId status subOrder { id vendorId } } }`;

describe("vendorOrderEvents", () => {
  it("a vendor receives only its own sub-order events; a non-vendor cannot subscribe", async () => {
    const a = await approvedVendor(t);
    const b = await approvedVendor(t);
    const pA = await vendorProduct(t, a, { price: 1000 });
    const pB = await vendorProduct(t, b, { price: 2000 });
    const subA = collect(QUERY, a.key);
    const subB = collect(QUERY, b.key);
    const admin = collect(QUERY, ADMIN_KEY);
    await Promise.all([subA.ready, subB.ready, admin.ready]);

    const cartId = await cartWith(t, [
      { entityId: pA, quantity: 1 },
      { entityId: pB, quantity: 1 },
    ]);
    const placed = await t.request("POST", "/api/checkout", { body: checkoutBody(cartId) });
    expect(placed.status).toBe(201);
    expect(
      (await t.request("POST", `/api/orders/${placed.body.data.id}/payment/capture`, { body: {} })).status,
    ).toBeLessThan(300);
    const [mineB] = (await t.request("GET", "/api/marketplace/vendor/me/orders", { key: b.key })).body.data;
    expect(
      (await t.request("POST", `/api/marketplace/vendor/me/orders/${mineB.id}/confirm`, { key: b.key, body: {} }))
        .status,
    ).toBe(200);

    await subB.until((all) => all.filter((r) => r.data).length >= 2);
    await subA.until((all) => all.filter((r) => r.data).length >= 1);
    // B's confirmation was published after A's creation event: give it the same time to (wrongly) arrive at A.
    await new Promise((r) => setTimeout(r, 300));
    const eventsA = subA.results.map((r) => r.data?.vendorOrderEvents).filter(Boolean);
    const eventsB = subB.results.map((r) => r.data?.vendorOrderEvents).filter(Boolean);
    expect(eventsA.map((e) => e.type)).toEqual(["sub_order.created"]);
    expect(eventsA.every((e) => e.vendorId === a.id && e.subOrder.vendorId === a.id)).toBe(true);
    expect(eventsB.map((e) => e.type)).toEqual(["sub_order.created", "sub_order.confirmed"]);
    expect(eventsB.every((e) => e.vendorId === b.id)).toBe(true);
    expect(admin.results.some((r) => r.data?.vendorOrderEvents)).toBe(false);
    expect(JSON.stringify(admin.results)).toContain("FORBIDDEN");
    await Promise.all([subA.close(), subB.close(), admin.close()]);
  });

  it("tells a vendor, and only that vendor, when the marketplace suspends or reinstates it", async () => {
    const a = await approvedVendor(t);
    const b = await approvedVendor(t);
    const subA = collect(QUERY_STATUS, a.key);
    const subB = collect(QUERY_STATUS, b.key);
    await Promise.all([subA.ready, subB.ready]);
    for (const action of ["suspend", "reinstate"]) {
      const body = action === "suspend" ? { reason: "Late shipments" } : {};
      const res = await t.request("POST", `/api/marketplace/vendors/${a.id}/${action}`, { body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    await subA.until((all) => all.filter((r) => r.data).length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(subA.results.map((r) => r.data?.vendorOrderEvents)).toEqual([
      { type: "vendor.suspended", vendorId: a.id, subjectId: a.id, status: "suspended" },
      { type: "vendor.reinstated", vendorId: a.id, subjectId: a.id, status: "approved" },
    ]);
    expect(subB.results).toEqual([]);
    await Promise.all([subA.close(), subB.close()]);
  });
});
