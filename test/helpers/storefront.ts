import { expect } from "vitest";
import type { TestApp } from "./app.js";
import type { SignedIn } from "./customers.js";

let seq = 0;

/** Sends a request and expects a 2xx; answers `data`. */
export async function ok(t: TestApp, method: string, path: string, options: Parameters<TestApp["request"]>[2] = {}) {
  const res = await t.request(method, path, options);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body?.data;
}

/** An active product (not stock-tracked) with an English title and a USD price, through REST. */
export async function product(
  t: TestApp,
  options: { title?: string; slug?: string; price?: number; titles?: Record<string, string> } = {},
) {
  const slug = options.slug ?? `sf-${++seq}-${Math.random().toString(36).slice(2, 7)}`;
  const entity = await ok(t, "POST", "/api/catalog/entities", { body: { type: "product", slug, status: "active" } });
  const titles = options.titles ?? { en: options.title ?? `Product ${slug}` };
  for (const [locale, title] of Object.entries(titles)) {
    await ok(t, "PUT", `/api/catalog/entities/${entity.id}/attributes/${locale}`, { body: { title } });
  }
  await ok(t, "POST", "/api/pricing/prices", {
    body: { entityId: entity.id, currency: "USD", amount: options.price ?? 1000 },
  });
  return { id: entity.id as string, slug };
}

/**
 * The customer buys these products (their own cart and checkout) and the merchant captures the payment
 * and ships everything (or nothing when `ship` is false): the delivered order lines reviews need.
 */
export async function buyAndReceive(
  t: TestApp,
  customer: SignedIn,
  entityIds: string[],
  options: { ship?: boolean } = {},
) {
  const cart = await ok(t, "POST", "/api/carts", { ...customer.as, body: { currency: "USD" } });
  for (const entityId of entityIds)
    await ok(t, "POST", `/api/carts/${cart.id}/items`, { ...customer.as, body: { entityId, quantity: 1 } });
  const order = await ok(t, "POST", "/api/checkout", {
    ...customer.as,
    body: { cartId: cart.id, shippingAddress: { line1: "1 Main St", city: "Berlin", country: "DE" } },
  });
  await ok(t, "POST", `/api/orders/${order.id}/payment/capture`, { body: {} });
  if (options.ship !== false) await ok(t, "POST", `/api/orders/${order.id}/fulfillments`, { body: {} });
  return order as { id: string };
}
