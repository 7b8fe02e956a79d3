import { expect } from "vitest";
import type { Sent, TestApp } from "../../helpers/app.js";

export const SF = "/api/storefront/v1";

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${Math.random().toString(36).slice(2, 7)}`;

/** A request to the storefront dialect: no key unless a bearer is given. */
export function sf(
  t: TestApp,
  method: string,
  path: string,
  options: { body?: unknown; bearer?: string; headers?: Record<string, string> } = {},
): Promise<Sent> {
  return t.request(method, `${SF}${path}`, {
    key: null,
    body: options.body,
    headers: { ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}), ...options.headers },
  });
}

/** Mints a merchant token the way seed 000's merchants do: an `aly_` API key, through the main API. */
export async function mintToken(t: TestApp, permissions: string[], storeId?: string): Promise<string> {
  const res = await t.request("POST", "/api/api-keys", {
    body: { name: unique("token"), permissions, prefix: "aly_", ...(storeId ? { storeId } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.data.secret).toMatch(/^aly_/);
  return res.body.data.secret;
}

/** A second store (the bootstrap key is platform-wide), through GraphQL. */
export async function createStore(t: TestApp): Promise<{ id: string; slug: string }> {
  const slug = unique("store");
  const res = await t.graphql(
    `mutation ($input: CreateStoreInput!) { createStore(input: $input) { __typename ... on CreateStorePayload { store { id slug } } ... on Error { message } } }`,
    { input: { name: "Store B", slug, defaultCurrency: "USD" } },
  );
  expect(res.body.data?.createStore?.store, JSON.stringify(res.body)).toBeTruthy();
  return res.body.data.createStore.store;
}

let warehouseId: string | undefined;

async function warehouse(t: TestApp): Promise<string> {
  if (!warehouseId || !(await t.app.db.prisma.warehouse.findUnique({ where: { id: warehouseId } }))) {
    const created = await t.request("POST", "/api/inventory/warehouses", {
      body: { code: unique("SF").toUpperCase().replace(/-/g, ""), name: "Storefront tests" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    warehouseId = created.body.data.id;
  }
  return warehouseId!;
}

/** An active product with a title, a USD price and stock, set up through the main API. */
export async function product(t: TestApp, options: { price?: number; stock?: number; title?: string } = {}) {
  const slug = unique("sf-product");
  const entity = await t.request("POST", "/api/catalog/entities", {
    body: { type: "product", slug, status: "active" },
  });
  expect(entity.status, JSON.stringify(entity.body)).toBe(201);
  const id = entity.body.data.id as string;
  expect(
    (
      await t.request("PUT", `/api/catalog/entities/${id}/attributes/en`, {
        body: { title: options.title ?? `Title of ${slug}` },
      })
    ).status,
  ).toBeLessThan(300);
  expect(
    (
      await t.request("POST", "/api/pricing/prices", {
        body: { entityId: id, currency: "USD", amount: options.price ?? 4200 },
      })
    ).status,
  ).toBe(201);
  await restock(t, { entityId: id }, options.stock ?? 20);
  return { id, slug };
}

/** A product with one variant per name, each priced and stocked. */
export async function productWithVariants(t: TestApp, variants: Record<string, { price: number; stock: number }>) {
  const { id } = await product(t, { price: 9999, stock: 0 });
  const option = await t.request("POST", `/api/catalog/entities/${id}/options`, {
    body: { name: "Color", values: Object.keys(variants).map((value) => ({ value })) },
  });
  expect(option.status, JSON.stringify(option.body)).toBe(201);
  const values = new Map<string, string>(
    option.body.data.values.map((v: { id: string; value: string }) => [v.value, v.id]),
  );
  const ids: Record<string, string> = {};
  for (const [name, spec] of Object.entries(variants)) {
    const variant = await t.request("POST", `/api/catalog/entities/${id}/variants`, {
      body: { sku: unique(name).toUpperCase(), optionValueIds: [values.get(name)] },
    });
    expect(variant.status, JSON.stringify(variant.body)).toBe(201);
    ids[name] = variant.body.data.id;
    expect(
      (
        await t.request("POST", "/api/pricing/prices", {
          body: { entityId: id, variantId: ids[name], currency: "USD", amount: spec.price },
        })
      ).status,
    ).toBe(201);
    await restock(t, { entityId: id, variantId: ids[name] }, spec.stock);
  }
  return { id, variants: ids };
}

async function restock(t: TestApp, target: { entityId: string; variantId?: string }, quantity: number) {
  if (quantity === 0) return;
  const adjusted = await t.request("POST", "/api/inventory/adjust", {
    body: { ...target, warehouseId: await warehouse(t), type: "restock", quantity },
  });
  expect(adjusted.status, JSON.stringify(adjusted.body)).toBeLessThan(300);
}

export const ADDRESS = {
  name: "A. Buyer",
  line1: "1 Main St",
  city: "Springfield",
  state: "IL",
  postal_code: "62701",
  country: "US",
};

/** A guest order through the storefront dialect's own cart and checkout; answers the seed-shaped order. */
export async function storefrontOrder(
  t: TestApp,
  lines: { product_id: string; quantity: number; variant_id?: string }[],
  options: { store?: string; email?: string; bearer?: string } = {},
) {
  const store = options.store ?? "default";
  const as = { bearer: options.bearer };
  const cart = await sf(t, "POST", `/stores/${store}/carts`, { ...as, body: { currency: "USD" } });
  expect(cart.status, JSON.stringify(cart.body)).toBe(201);
  for (const line of lines) {
    const added = await sf(t, "POST", `/stores/${store}/carts/${cart.body.id}/line_items`, { ...as, body: line });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
  }
  const order = await sf(t, "POST", `/stores/${store}/carts/${cart.body.id}/checkout`, {
    ...as,
    body: { email: options.email ?? "buyer@example.com", shipping_address: ADDRESS },
  });
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  return order.body as {
    id: string;
    number: string;
    status: string;
    items: { id: string; quantity: number; total: number }[];
    totals: { total: number };
    created_at: string;
    buyer: { customer_id: string | null };
  };
}
