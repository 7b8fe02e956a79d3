import { beforeAll, describe, expect, it } from "vitest";
import { type TestApp, useTestApp } from "../helpers/app.js";
import { times } from "../helpers/catalog.js";
import { cartWith, checkoutBody } from "../helpers/commerce.js";
import { approvedVendor, approveVendor, registerVendor, vendorProduct } from "../helpers/marketplace.js";

const t: TestApp = useTestApp();

describe("statements", () => {
  // A hundred approved vendors with two products each, through the API (the admin registers and approves them
  // and creates their products): more requests than a test's default timeout allows.
  beforeAll(
    () =>
      times(100, async (v) => {
        const vendor = await registerVendor(t, { name: `Bulk ${v}`, email: `bulk${v}@example.com` });
        await approveVendor(t, vendor.id);
        for (const p of [0, 1]) {
          const entity = await t.request("POST", "/api/catalog/entities", {
            body: { type: "product", slug: `bulk-${v}-${p}`, status: "active", vendorId: vendor.id },
          });
          expect(entity.status, JSON.stringify(entity.body)).toBe(201);
          const variant = await t.request("POST", `/api/catalog/entities/${entity.body.data.id}/variants`, {
            body: { sku: `BULK-${v}-${p}-A` },
          });
          expect(variant.status, JSON.stringify(variant.body)).toBe(201);
        }
      }),
    300_000,
  );

  it("vendors { products { variants } subOrders { lines } } costs the same for 10 and 100 vendors", async () => {
    // The sub-orders come from real checkouts.
    const sellers = [await approvedVendor(t), await approvedVendor(t)];
    for (const seller of sellers) {
      const entityId = await vendorProduct(t, seller, { price: 1200 });
      const cartId = await cartWith(t, [{ entityId, quantity: 2 }]);
      expect((await t.request("POST", "/api/checkout", { body: checkoutBody(cartId) })).status).toBe(201);
    }
    const query = `query ($first: Int!) {
      vendors(first: $first, status: approved) { edges { node { name
        products(first: 2) { edges { node { slug ... on Product { variants { sku } } } } }
        subOrders { number commission lines { id quantity commission } } } } }
    }`;
    const count = async (first: number) => {
      const before = t.app.db.statementCount();
      const res = await t.graphql(query, { first });
      expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
      return {
        statements: t.app.db.statementCount() - before,
        vendors: res.body.data.vendors.edges as { node: { subOrders: { lines: unknown[] }[] } }[],
      };
    };
    await count(1);
    const ten = await count(10);
    const hundred = await count(100);
    expect(ten.vendors).toHaveLength(10);
    expect(hundred.vendors).toHaveLength(100);
    const withSubOrders = hundred.vendors.filter((e) => e.node.subOrders.length > 0);
    expect(withSubOrders).toHaveLength(2);
    expect(withSubOrders[0]!.node.subOrders[0]!.lines).toHaveLength(1);
    expect(hundred.statements, `${ten.statements} statements for 10, ${hundred.statements} for 100`).toBe(
      ten.statements,
    );
  });
});
