import { describe, expect, it } from "vitest";
import { type TestApp, useTestApp } from "../helpers/app.js";
import { cartWith, checkoutBody } from "../helpers/commerce.js";
import { approvedVendor, vendorProduct } from "../helpers/marketplace.js";

const t: TestApp = useTestApp();

/** A vendor with a delivered sub-order (through the public API) and so a payable balance. */
async function vendorWithDeliveredSale(price: number) {
  const vendor = await approvedVendor(t);
  const entityId = await vendorProduct(t, vendor, { price });
  const cartId = await cartWith(t, [{ entityId, quantity: 1 }]);
  const placed = await t.request("POST", "/api/checkout", { body: checkoutBody(cartId) });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  expect(
    (await t.request("POST", `/api/orders/${placed.body.data.id}/payment/capture`, { body: {} })).status,
  ).toBeLessThan(300);
  const [sub] = (await t.request("GET", "/api/marketplace/vendor/me/orders", { key: vendor.key })).body.data;
  const as = { key: vendor.key };
  expect(
    (await t.request("POST", `/api/marketplace/vendor/me/orders/${sub.id}/confirm`, { ...as, body: {} })).status,
  ).toBe(200);
  expect(
    (
      await t.request("POST", `/api/marketplace/vendor/me/orders/${sub.id}/ship`, {
        ...as,
        body: { carrier: "UPS", trackingNumber: "1Z" },
      })
    ).status,
  ).toBe(200);
  expect(
    (await t.request("POST", `/api/marketplace/vendor/me/orders/${sub.id}/deliver`, { ...as, body: {} })).status,
  ).toBe(200);
  const balance = (await t.request("GET", "/api/marketplace/vendor/me/balance", as)).body.data[0];
  return { vendor, payable: balance.payable as number };
}

describe("concurrent payout runs", () => {
  it("pay every vendor's balance exactly once", async () => {
    const vendors = [await vendorWithDeliveredSale(1999), await vendorWithDeliveredSale(3050)];
    for (const v of vendors) expect(v.payable).toBeGreaterThan(0);
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => t.request("POST", "/api/marketplace/payouts/run", { body: {} })),
    );
    for (const run of runs) expect(run.status, JSON.stringify(run.body)).toBe(200);
    const paid = runs.flatMap((r) => r.body.data as { vendorId: string; amount: number }[]);
    for (const v of vendors) {
      const mine = paid.filter((p) => p.vendorId === v.vendor.id);
      expect(mine, `vendor ${v.vendor.id} paid ${JSON.stringify(mine)}`).toHaveLength(1);
      expect(mine[0]!.amount).toBe(v.payable);
      const balance = (await t.request("GET", `/api/marketplace/vendors/${v.vendor.id}/balance`)).body.data[0];
      expect(balance).toMatchObject({ balance: 0, payable: 0 });
      const listed = await t.request("GET", `/api/marketplace/payouts?vendorId=${v.vendor.id}`);
      expect(listed.body.data).toHaveLength(1);
    }
  });
});
