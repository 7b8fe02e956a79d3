import { expect } from "vitest";
import type { TestApp } from "./app.js";

let warehouseId: string | undefined;
let seq = 0;

/** An active product with a USD price and (unless stock is null) stock in one warehouse, set up through REST. */
export async function productWithStock(
  t: TestApp,
  options: { price?: number; stock?: number | null; slug?: string } = {},
) {
  const slug = options.slug ?? `product-${++seq}-${Math.random().toString(36).slice(2, 7)}`;
  const entity = await t.request("POST", "/api/catalog/entities", {
    body: { type: "product", slug, status: "active" },
  });
  expect(entity.status).toBe(201);
  const id = entity.body.data.id as string;
  await t.request("PUT", `/api/catalog/entities/${id}/attributes/en`, { body: { title: `Title of ${slug}` } });
  const price = await t.request("POST", "/api/pricing/prices", {
    body: { entityId: id, currency: "USD", amount: options.price ?? 1999 },
  });
  expect(price.status).toBe(201);
  if (options.stock !== null) {
    if (!warehouseId || !(await t.app.db.prisma.warehouse.findUnique({ where: { id: warehouseId } }))) {
      const warehouse = await t.request("POST", "/api/inventory/warehouses", {
        body: { code: `WH${++seq}`, name: "Main" },
      });
      expect(warehouse.status).toBe(201);
      warehouseId = warehouse.body.data.id;
    }
    const adjusted = await t.request("POST", "/api/inventory/adjust", {
      body: { entityId: id, warehouseId, type: "restock", quantity: options.stock ?? 10 },
    });
    expect(adjusted.status).toBeLessThan(300);
  }
  return { id, slug };
}

/** A guest cart with these lines, through REST. */
export async function cartWith(t: TestApp, lines: { entityId: string; quantity: number; variantId?: string }[]) {
  const cart = await t.request("POST", "/api/carts", { key: null, body: { currency: "USD" } });
  expect(cart.status).toBe(201);
  for (const line of lines) {
    const added = await t.request("POST", `/api/carts/${cart.body.data.id}/items`, { key: null, body: line });
    expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
  }
  return cart.body.data.id as string;
}

export function checkoutBody(cartId: string, extra: Record<string, unknown> = {}) {
  return {
    cartId,
    email: "buyer@example.com",
    shippingAddress: { line1: "123 Main St", city: "Springfield", state: "IL", postalCode: "62701", country: "US" },
    ...extra,
  };
}

export async function availableOf(t: TestApp, entityId: string) {
  const levels = await t.app.db.prisma.inventoryLevel.findMany({ where: { entityId } });
  return levels.reduce((sum, l) => sum + l.onHand - l.reserved, 0);
}
