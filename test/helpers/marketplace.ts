import { expect } from "vitest";
import { ADMIN_KEY, type TestApp } from "./app.js";
import type { SignedIn } from "./customers.js";
import { mainWarehouse } from "./post-purchase.js";
import { buyAndReceive } from "./storefront.js";

// Marketplace test helpers: everything through the public API (REST), as the admin key (marketplace:admin).

let seq = 0;

export interface TestVendor {
  id: string;
  slug: string;
  /** A vendor key of this vendor (catalog, pricing and inventory permissions), when asked for. */
  key: string;
}

/** The vendor key permissions tests use: everything a vendor may do with its own catalog, prices and stock. */
export const VENDOR_KEY_PERMISSIONS = ["catalog:*", "pricing:*", "inventory:*"];

/** Registers a vendor (pending) as the admin. */
export async function registerVendor(
  t: TestApp,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; slug: string }> {
  const n = ++seq;
  const res = await t.request("POST", "/api/marketplace/vendors", {
    body: { name: `Vendor ${n} ${Math.random().toString(36).slice(2, 6)}`, email: `vendor${n}@example.com`, ...fields },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.data.status).toBe("pending");
  return { id: res.body.data.id, slug: res.body.data.slug };
}

/** Approves a vendor as the admin. */
export async function approveVendor(t: TestApp, vendorId: string): Promise<void> {
  const res = await t.request("POST", `/api/marketplace/vendors/${vendorId}/approve`, { body: {} });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.data.status).toBe("approved");
}

/** A vendor key (POST /api/api-keys with vendorId), holding `permissions` (all of a vendor's by default). */
export async function vendorKey(
  t: TestApp,
  vendorId: string,
  permissions: string[] = VENDOR_KEY_PERMISSIONS,
): Promise<string> {
  const res = await t.request("POST", "/api/api-keys", {
    body: { name: `vendor key ${++seq}`, vendorId, permissions },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.data.apiKey.vendorId).toBe(vendorId);
  return res.body.data.secret as string;
}

/** A registered, approved vendor with a vendor key: the usual starting point. */
export async function approvedVendor(t: TestApp, fields: Record<string, unknown> = {}): Promise<TestVendor> {
  const vendor = await registerVendor(t, fields);
  await approveVendor(t, vendor.id);
  return { ...vendor, key: await vendorKey(t, vendor.id) };
}

/**
 * An active product of a vendor, created with the vendor's own key: a title, a USD price and (if `stock`)
 * stock in the main warehouse. Returns the entity id.
 */
export async function vendorProduct(
  t: TestApp,
  vendor: TestVendor,
  options: { price?: number; stock?: number; slug?: string } = {},
): Promise<string> {
  const slug = options.slug ?? `vp-${++seq}-${Math.random().toString(36).slice(2, 7)}`;
  const as = { key: vendor.key };
  const entity = await t.request("POST", "/api/catalog/entities", {
    ...as,
    body: { type: "product", slug, status: "active" },
  });
  expect(entity.status, JSON.stringify(entity.body)).toBe(201);
  expect(entity.body.data.vendorId).toBe(vendor.id);
  const id = entity.body.data.id as string;
  const title = await t.request("PUT", `/api/catalog/entities/${id}/attributes/en`, {
    ...as,
    body: { title: `Title of ${slug}` },
  });
  expect(title.status, JSON.stringify(title.body)).toBeLessThan(300);
  const price = await t.request("POST", "/api/pricing/prices", {
    ...as,
    body: { entityId: id, currency: "USD", amount: options.price ?? 1000 },
  });
  expect(price.status, JSON.stringify(price.body)).toBe(201);
  if (options.stock) {
    // The warehouse is the store's (the admin's to create); the vendor stocks its own product in it.
    const warehouseId = await mainWarehouse(t);
    const adjusted = await t.request("POST", "/api/inventory/adjust", {
      ...as,
      body: { entityId: id, warehouseId, type: "restock", quantity: options.stock },
    });
    expect(adjusted.status, JSON.stringify(adjusted.body)).toBeLessThan(300);
  }
  return id;
}

/** A small valid PDF: what a vendor's verification document looks like to the content sniffer. */
export const PDF = Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "latin1");

/** POST /api/marketplace/vendors/:id/documents (multipart) with `key` (the admin's by default). */
export async function uploadDocument(
  t: TestApp,
  vendorId: string,
  options: { key?: string | null; kind?: string; bytes?: Uint8Array } = {},
) {
  const form = new FormData();
  form.set("kind", options.kind ?? "business_license");
  form.set("file", new Blob([new Uint8Array(options.bytes ?? PDF)], { type: "application/pdf" }), "licence.pdf");
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? ADMIN_KEY : options.key;
  if (key) headers["x-api-key"] = key;
  const response = await t.app.fetch(
    new Request(`http://localhost/api/marketplace/vendors/${vendorId}/documents`, {
      method: "POST",
      headers,
      body: form,
    }),
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/**
 * The customer buys these products of `vendor` (their own checkout; the merchant captures the payment) and the
 * vendor confirms, ships and delivers its sub-order: a delivered purchase, what a vendor review needs.
 */
export async function deliveredPurchase(t: TestApp, customer: SignedIn, vendor: TestVendor, entityIds: string[]) {
  const order = await buyAndReceive(t, customer, entityIds, { ship: false });
  const mine = await t.request("GET", "/api/marketplace/vendor/me/orders?limit=100", { key: vendor.key });
  expect(mine.status, JSON.stringify(mine.body)).toBe(200);
  const subOrder = mine.body.data.find((s: { orderId: string }) => s.orderId === order.id);
  expect(subOrder, JSON.stringify(mine.body.data)).toBeDefined();
  for (const [step, body] of [
    ["confirm", {}],
    ["ship", { carrier: "DHL", trackingNumber: `TRK${++seq}` }],
    ["deliver", {}],
  ] as const) {
    const res = await t.request("POST", `/api/marketplace/vendor/me/orders/${subOrder.id}/${step}`, {
      key: vendor.key,
      body,
    });
    expect(res.status, `${step}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  return { orderId: order.id, subOrderId: subOrder.id as string };
}
