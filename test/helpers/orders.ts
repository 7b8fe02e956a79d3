import { expect } from "vitest";
import { ADMIN_KEY, type TestApp } from "./app.js";

export interface PlacedOrder {
  id: string;
  number: string;
  status: string;
  customerId: string | null;
  totals: { total: number };
  lines: { id: string }[];
  payments: { provider: string; providerRef: string | null; status: string }[];
}

const STATUS_PATH: Record<string, readonly string[]> = {
  pending: [],
  confirmed: ["capture"],
  processing: ["capture", "processing"],
  partially_fulfilled: ["capture", "ship-one"],
  fulfilled: ["capture", "ship-all"],
  cancelled: ["cancel"],
};

/**
 * An order placed and moved through the public API only: a product (not stock-tracked) at 42.00, a
 * guest cart, a merchant checkout (naming the customer when given), then the captures, status changes
 * and fulfillments that lead to `status`. In another store, a key of that store is minted through
 * `POST /api/api-keys` first.
 */
export async function insertOrder(
  t: TestApp,
  overrides: { status?: string; storeId?: string; email?: string; customerId?: string } = {},
) {
  const send = async (method: string, path: string, key: string, body?: unknown, expected = 300) => {
    const res = await t.request(method, path, { key, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(expected);
    return res.body.data;
  };
  let key = ADMIN_KEY;
  if (overrides.storeId && overrides.storeId !== t.app.defaultStoreId) {
    const minted = await send("POST", "/api/api-keys", ADMIN_KEY, {
      name: "orders helper",
      permissions: ["*:*"],
      storeId: overrides.storeId,
    });
    key = minted.secret;
  }
  const slug = `ordered-${Math.random().toString(36).slice(2)}`;
  const entity = await send("POST", "/api/catalog/entities", key, { type: "product", slug, status: "active" });
  await send("PUT", `/api/catalog/entities/${entity.id}/attributes/en`, key, { title: "Linen Tote" });
  await send("POST", "/api/pricing/prices", key, { entityId: entity.id, currency: "USD", amount: 4200 });
  const cart = await send("POST", "/api/carts", key, { currency: "USD" });
  await send("POST", `/api/carts/${cart.id}/items`, key, {
    entityId: entity.id,
    quantity: overrides.status === "partially_fulfilled" ? 2 : 1,
  });
  const order = await send("POST", "/api/checkout", key, {
    cartId: cart.id,
    email: overrides.email ?? "buyer@example.com",
    shippingAddress: { line1: "123 Main St", city: "Springfield", country: "US" },
    ...(overrides.customerId ? { customerId: overrides.customerId } : {}),
  });
  const steps = STATUS_PATH[overrides.status ?? "pending"];
  if (!steps) throw new Error(`insertOrder cannot reach ${overrides.status} through the API`);
  for (const step of steps) {
    if (step === "capture") await send("POST", `/api/orders/${order.id}/payment/capture`, key, {});
    if (step === "processing" || step === "cancel") {
      await send("PATCH", `/api/orders/${order.id}/status`, key, {
        status: step === "cancel" ? "cancelled" : "processing",
      });
    }
    if (step === "ship-one")
      await send("POST", `/api/orders/${order.id}/fulfillments`, key, {
        items: [{ lineId: order.lines[0].id, quantity: 1 }],
      });
    if (step === "ship-all") await send("POST", `/api/orders/${order.id}/fulfillments`, key, {});
  }
  return (await send("GET", `/api/orders/${order.id}`, key)) as PlacedOrder;
}
