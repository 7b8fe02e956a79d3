import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { signUp } from "../../helpers/customers.js";
import { createStore, mintToken, product, sf, storefrontOrder } from "./support.js";

const t = useTestApp();

type Order = Awaited<ReturnType<typeof storefrontOrder>>;
let reader: string;
let writer: string;
let pending: Order;
let fulfilled: Order;
let cancelled: Order;
let customers: Order;
let customerId: string;

const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((o) => o.id).sort();
const sorted = (...orders: Order[]) => orders.map((o) => o.id).sort();

beforeAll(async () => {
  reader = await mintToken(t, ["orders:read"]);
  writer = await mintToken(t, ["orders:update"]);
  const tote = await product(t, { price: 4200, stock: 50 });
  pending = await storefrontOrder(t, [{ product_id: tote.id, quantity: 1 }]);
  fulfilled = await storefrontOrder(t, [{ product_id: tote.id, quantity: 2 }]);
  cancelled = await storefrontOrder(t, [{ product_id: tote.id, quantity: 1 }]);
  const customer = await signUp(t, { name: "Casey Customer" });
  customerId = customer.id;
  customers = await storefrontOrder(t, [{ product_id: tote.id, quantity: 1 }], {
    bearer: customer.token,
    email: customer.email,
  });

  expect((await sf(t, "POST", `/merchant/orders/${fulfilled.id}/capture`, { bearer: writer, body: {} })).status).toBe(
    200,
  );
  const shipped = await sf(t, "POST", `/merchant/orders/${fulfilled.id}/fulfill`, {
    bearer: writer,
    body: { carrier: "USPS", tracking_number: "94001" },
  });
  expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
  const cancel = await t.request("PATCH", `/api/orders/${cancelled.id}/status`, {
    body: { status: "cancelled", reason: "buyer changed their mind" },
  });
  expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
});

describe("storefront v1 merchant orders: bearer tokens and scopes", () => {
  it("answers 401 without a bearer or with an unknown one, in the dialect's error shape", async () => {
    const none = await sf(t, "GET", "/merchant/orders");
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("unauthorized");
    const unknown = await sf(t, "GET", "/merchant/orders", { bearer: "aly_not-a-real-token" });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe("unauthorized");
  });

  it("answers 403 insufficient_scope when the token lacks read:orders or write:orders", async () => {
    const catalogOnly = await mintToken(t, ["catalog:read"]);
    const list = await sf(t, "GET", "/merchant/orders", { bearer: catalogOnly });
    expect(list.status).toBe(403);
    expect(list.body.error).toMatchObject({ code: "insufficient_scope", details: { required_scope: "read:orders" } });
    const fulfill = await sf(t, "POST", `/merchant/orders/${pending.id}/fulfill`, { bearer: reader, body: {} });
    expect(fulfill.status).toBe(403);
    expect(fulfill.body.error).toMatchObject({
      code: "insufficient_scope",
      details: { required_scope: "write:orders" },
    });
    // write:orders implies read:orders.
    expect((await sf(t, "GET", `/merchant/orders/${pending.id}`, { bearer: writer })).status).toBe(200);
  });

  it("keeps stores apart: another store's token is 403 on this store's site_slug and cannot see its orders", async () => {
    const other = await createStore(t);
    const foreign = await mintToken(t, ["orders:read"], other.id);
    const mismatch = await sf(t, "GET", "/merchant/orders?site_slug=default", { bearer: foreign });
    expect(mismatch.status).toBe(403);
    expect(mismatch.body.error.code).toBe("store_mismatch");
    const own = await sf(t, "GET", "/merchant/orders", { bearer: foreign });
    expect(own.status).toBe(200);
    expect(own.body.data).toEqual([]);
    expect((await sf(t, "GET", `/merchant/orders?site_slug=${other.slug}`, { bearer: foreign })).body.data).toEqual([]);
    expect((await sf(t, "GET", `/merchant/orders/${pending.id}`, { bearer: foreign })).status).toBe(404);
    expect((await sf(t, "GET", "/merchant/orders?site_slug=no-such-store", { bearer: reader })).status).toBe(404);
  });
});

describe("storefront v1 merchant orders: list and filters", () => {
  it("lists every order of the token's store, newest first, cursor-paged", async () => {
    const first = await sf(t, "GET", "/merchant/orders?limit=3", { bearer: reader });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.data.map((o: { id: string }) => o.id)).toEqual([customers.id, cancelled.id, fulfilled.id]);
    const second = await sf(t, "GET", `/merchant/orders?limit=3&cursor=${encodeURIComponent(first.body.next_cursor)}`, {
      bearer: reader,
    });
    expect(second.body.data.map((o: { id: string }) => o.id)).toEqual([pending.id]);
    expect(second.body).not.toHaveProperty("next_cursor");
    expect(ids(await sf(t, "GET", "/merchant/orders?site_slug=default", { bearer: reader }))).toEqual(
      sorted(pending, fulfilled, cancelled, customers),
    );
  });

  it("filters by seed 001's status vocabulary", async () => {
    const by = async (status: string) =>
      ids(await sf(t, "GET", `/merchant/orders?status=${status}`, { bearer: reader }));
    expect(await by("pending")).toEqual(sorted(pending, customers));
    expect(await by("fulfilled")).toEqual(sorted(fulfilled));
    expect(await by("cancelled")).toEqual(sorted(cancelled));
    expect(await by("refunded")).toEqual([]);
    expect(await by("returned")).toEqual([]);
    const bad = await sf(t, "GET", "/merchant/orders?status=shipped", { bearer: reader });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: "status" });
  });

  it("filters by customer_id", async () => {
    expect(customers.buyer.customer_id).toBe(customerId);
    expect(ids(await sf(t, "GET", `/merchant/orders?customer_id=${customerId}`, { bearer: reader }))).toEqual(
      sorted(customers),
    );
    const bad = await sf(t, "GET", "/merchant/orders?customer_id=not-a-uuid", { bearer: reader });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: "customer_id" });
  });

  it("filters by created_after and created_before (ISO-8601); a bad date is 400 naming the parameter", async () => {
    const at = encodeURIComponent(fulfilled.created_at);
    expect(ids(await sf(t, "GET", `/merchant/orders?created_after=${at}`, { bearer: reader }))).toEqual(
      sorted(fulfilled, cancelled, customers),
    );
    expect(ids(await sf(t, "GET", `/merchant/orders?created_before=${at}`, { bearer: reader }))).toEqual(
      sorted(pending),
    );
    const window = await sf(
      t,
      "GET",
      `/merchant/orders?created_after=${at}&created_before=${encodeURIComponent(customers.created_at)}&status=fulfilled`,
      { bearer: reader },
    );
    expect(ids(window)).toEqual(sorted(fulfilled));
    for (const [param, value] of [
      ["created_after", "yesterday"],
      ["created_before", "2026-13-45T00:00:00Z"],
    ]) {
      const bad = await sf(t, "GET", `/merchant/orders?${param}=${value}`, { bearer: reader });
      expect(bad.status, `${param}=${value}`).toBe(400);
      expect(bad.body.error).toMatchObject({
        code: "validation_failed",
        details: [expect.objectContaining({ path: param })],
      });
    }
  });
});

describe("storefront v1 merchant orders: one order", () => {
  it("answers seed 001's order shape", async () => {
    const res = await sf(t, "GET", `/merchant/orders/${fulfilled.id}`, { bearer: reader });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: fulfilled.id,
      site_slug: "default",
      status: "fulfilled",
      fulfillment_status: "fulfilled",
      payment_status: "paid",
      buyer: { email: "buyer@example.com", name: "A. Buyer" },
      shipping_address: { line1: "1 Main St", postal_code: "62701" },
      items: [{ id: fulfilled.items[0]!.id, quantity: 2, fulfilled_quantity: 2, unit_price: 4200, subtotal: 8400 }],
      totals: {
        subtotal: 8400,
        shipping: expect.any(Number),
        tax: expect.any(Number),
        discount: 0,
        total: fulfilled.totals.total,
      },
      currency: "USD",
      payment: { provider: "manual", status: "captured", captured_amount: fulfilled.totals.total },
      fulfillments: [
        { carrier: "USPS", tracking_number: "94001", items: [{ line_item_id: fulfilled.items[0]!.id, quantity: 2 }] },
      ],
      returns: [],
      exchanges: [],
      created_at: fulfilled.created_at,
    });
    expect((await sf(t, "GET", `/merchant/orders/${cancelled.id}`, { bearer: reader })).body.status).toBe("cancelled");
    const missing = await sf(t, "GET", "/merchant/orders/00000000-0000-4000-8000-000000000000", { bearer: reader });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
  });
});
