import { expect } from "vitest";
import type { Sent, TestApp } from "./app.js";
import { checkoutBody } from "./commerce.js";

let seq = 0;
let warehouseId: string | undefined;

/** The warehouse the post-purchase helpers stock (created once per app, through REST). */
export async function mainWarehouse(t: TestApp): Promise<string> {
  if (!warehouseId || !(await t.app.db.prisma.warehouse.findUnique({ where: { id: warehouseId } }))) {
    const created = await t.request("POST", "/api/inventory/warehouses", {
      body: { code: `PP${++seq}${Date.now() % 100000}`, name: "Post-purchase" },
    });
    expect(created.status).toBe(201);
    warehouseId = created.body.data.id;
  }
  return warehouseId!;
}

/** An active product (title, USD price) with stock in the main warehouse, through REST. */
export async function stockedProduct(t: TestApp, options: { price: number; stock: number }) {
  const slug = `pp-${++seq}-${Math.random().toString(36).slice(2, 7)}`;
  const entity = await t.request("POST", "/api/catalog/entities", {
    body: { type: "product", slug, status: "active" },
  });
  expect(entity.status).toBe(201);
  const id = entity.body.data.id as string;
  await t.request("PUT", `/api/catalog/entities/${id}/attributes/en`, { body: { title: `Title of ${slug}` } });
  expect(
    (await t.request("POST", "/api/pricing/prices", { body: { entityId: id, currency: "USD", amount: options.price } }))
      .status,
  ).toBe(201);
  await restock(t, { entityId: id }, options.stock);
  return { id, slug };
}

/** A product with one variant per given SKU suffix, each with its own price and stock. */
export async function productWithVariants(t: TestApp, variants: Record<string, { price: number; stock: number }>) {
  const { id } = await stockedProduct(t, { price: 9999, stock: 0 });
  const ids: Record<string, string> = {};
  const option = await t.request("POST", `/api/catalog/entities/${id}/options`, {
    body: { name: "Size", values: Object.keys(variants).map((value) => ({ value })) },
  });
  expect(option.status, JSON.stringify(option.body)).toBe(201);
  const values = new Map<string, string>(
    option.body.data.values.map((v: { id: string; value: string }) => [v.value, v.id]),
  );
  for (const [name, spec] of Object.entries(variants)) {
    const variant = await t.request("POST", `/api/catalog/entities/${id}/variants`, {
      body: { sku: `PP${++seq}-${name}`, optionValueIds: [values.get(name)] },
    });
    expect(variant.status, JSON.stringify(variant.body)).toBe(201);
    ids[name] = variant.body.data.id;
    const price = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: id, variantId: ids[name], currency: "USD", amount: spec.price },
    });
    expect(price.status).toBe(201);
    await restock(t, { entityId: id, variantId: ids[name] }, spec.stock);
  }
  return { id, variants: ids };
}

async function restock(t: TestApp, target: { entityId: string; variantId?: string }, quantity: number) {
  if (quantity === 0) return;
  const adjusted = await t.request("POST", "/api/inventory/adjust", {
    body: { ...target, warehouseId: await mainWarehouse(t), type: "restock", quantity },
  });
  expect(adjusted.status, JSON.stringify(adjusted.body)).toBeLessThan(300);
}

/** On hand and reserved of an entity (or one variant) across warehouses. */
export async function stockOf(t: TestApp, entityId: string, variantId?: string) {
  const levels = await t.app.db.prisma.inventoryLevel.findMany({ where: { entityId, variantKey: variantId ?? "" } });
  return levels.reduce((sum, l) => ({ onHand: sum.onHand + l.onHand, reserved: sum.reserved + l.reserved }), {
    onHand: 0,
    reserved: 0,
  });
}

/** A guest checkout of these lines with the store's payment provider; returns the order as REST shows it. */
export async function placeOrder(
  t: TestApp,
  lines: { entityId: string; quantity: number; variantId?: string }[],
  extra: Record<string, unknown> = {},
) {
  const cart = await t.request("POST", "/api/carts", { key: null, body: { currency: "USD" } });
  expect(cart.status).toBe(201);
  for (const line of lines) {
    const added = await t.request("POST", `/api/carts/${cart.body.data.id}/items`, { key: null, body: line });
    expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
  }
  const placed = await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cart.body.data.id, extra) });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body.data as {
    id: string;
    number: string;
    totals: { total: number; tax: number };
    lines: { id: string; entityId: string; variantId: string | null; quantity: number; total: number }[];
  };
}

export const getOrder = async (t: TestApp, orderId: string) => {
  const res = await t.request("GET", `/api/orders/${orderId}`);
  expect(res.status).toBe(200);
  return res.body.data;
};

export const capture = (t: TestApp, orderId: string, body: Record<string, unknown> = {}) =>
  t.request("POST", `/api/orders/${orderId}/payment/capture`, { body });

export const fulfill = (
  t: TestApp,
  orderId: string,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => t.request("POST", `/api/orders/${orderId}/fulfillments`, { body, headers });

export const refund = (
  t: TestApp,
  orderId: string,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => t.request("POST", `/api/orders/${orderId}/refunds`, { body, headers });

export const setStatus = (t: TestApp, orderId: string, status: string) =>
  t.request("PATCH", `/api/orders/${orderId}/status`, { body: { status } });

/** PATCHes the order through these statuses, each expected to succeed. */
export async function moveTo(t: TestApp, orderId: string, ...statuses: string[]) {
  for (const status of statuses) {
    const res = await setStatus(t, orderId, status);
    expect(res.status, `${status}: ${JSON.stringify(res.body)}`).toBe(200);
  }
}

/** A 409 of a state table: current status, requested status and the allowed moves. */
export function expectRefusedMove(
  res: Sent,
  current: string,
  requested: string,
  allowed: readonly string[],
  guard: string | null = null,
) {
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.body.error.code).toBe("CONFLICT");
  expect(res.body.error.details).toMatchObject({ currentStatus: current, requestedStatus: requested, guard });
  expect([...res.body.error.details.allowedStatuses].sort()).toEqual([...allowed].sort());
}
