import { expect } from "vitest";
import type { TestApp } from "./app.js";

// A merchant's set-up through the public REST routes, as the admin key: stores, customers, promotions, settings.

let seq = 0;
const suffix = () => `${++seq}-${Math.random().toString(36).slice(2, 8)}`;

/** Sends a request as the admin and expects `status`; answers `data`. */
async function send(t: TestApp, method: string, path: string, body: unknown, status: number) {
  const res = await t.request(method, path, { body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body.data;
}

/** Another store (POST /api/stores, a platform-wide key's call). */
export async function createStore(
  t: TestApp,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; slug: string; name: string }> {
  return send(t, "POST", "/api/stores", { slug: `store-${suffix()}`, name: "Other store", ...fields }, 201);
}

/** A customer the merchant creates (POST /api/customers), then adds to these groups. */
export async function createCustomer(
  t: TestApp,
  options: { email?: string; groupIds?: string[] } = {},
): Promise<{ id: string; email: string }> {
  const customer = await send(
    t,
    "POST",
    "/api/customers",
    { email: options.email ?? `customer-${suffix()}@example.com` },
    201,
  );
  for (const groupId of options.groupIds ?? []) {
    await send(t, "POST", `/api/customer-groups/${groupId}/members`, { customerId: customer.id }, 200);
  }
  return customer;
}

/** A promotion of the default store (POST /api/promotions); dates may be Date objects. */
export async function createPromotion(
  t: TestApp,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; code: string; usageCount: number }> {
  return send(
    t,
    "POST",
    "/api/promotions",
    {
      code: `PROMO-${suffix()}`.toUpperCase(),
      name: "Promo",
      type: "percentage_off_order",
      value: 10,
      ...fields,
    },
    201,
  );
}

/** Changes the default store's settings (PATCH /api/store/settings); answers the settings before the change. */
export async function updateStoreSettings(t: TestApp, changes: Record<string, unknown>) {
  const before = await send(t, "GET", "/api/store/settings", undefined, 200);
  await send(t, "PATCH", "/api/store/settings", changes, 200);
  return before as Record<string, unknown>;
}
