import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import {
  ADDRESS,
  categoryOf,
  createProject,
  deliverWebhooks,
  type Project,
  productOf,
  storefront,
  webhookReceiver,
} from "./project.js";

// Seed 003's guide, step by step, through its dialect only (the merchant's setup goes through /api).
const t = useTestApp({ webhookAllowPrivateTargets: true });
const receiver = await webhookReceiver();
afterAll(() => receiver.close());

let shop: Project;
let sf: ReturnType<typeof storefront>;
const ids: Record<string, string> = {};
let webhookSecret: string;

beforeAll(async () => {
  shop = await createProject(t, "my-store", {
    defaultCurrency: "USD",
    taxRateBps: 1000,
    flatShippingAmount: 500,
    freeShippingThreshold: 10000,
  });
  sf = storefront(t, shop.slug, shop.publishableKey);
  ids.apparel = await categoryOf(t, shop, "Apparel");
  ids.shirts = await categoryOf(t, shop, "Shirts", ids.apparel);
  ids.tee = await productOf(t, shop, {
    slug: "tee",
    title: "Tee",
    price: 2999,
    stock: 10,
    categoryId: ids.shirts,
    metadata: { lowStockThreshold: 8 },
  });
  ids.mug = await productOf(t, shop, { slug: "mug", title: "Mug", price: 1250 });
  ids.draft = await productOf(t, shop, { slug: "secret-draft", price: 100, status: "draft" });
  const promotion = await t.request("POST", "/api/promotions", {
    key: shop.secretKey,
    body: {
      code: "SAVE10",
      name: "Ten off",
      type: "percentage_off_order",
      value: 10,
      validFrom: "2020-01-01T00:00:00Z",
      validUntil: "2099-01-01T00:00:00Z",
    },
  });
  expect(promotion.status, JSON.stringify(promotion.body)).toBe(201);
  const hook = await t.request("POST", "/api/webhooks", {
    key: shop.secretKey,
    body: { url: receiver.url, events: ["order.created", "inventory.low"] },
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  webhookSecret = hook.body.data.secret;
});

describe("3. store config", () => {
  it("needs no key and shows the settings in major units", async () => {
    const config = await storefront(t, shop.slug, null)("GET", "/config");
    expect(config.status).toBe(200);
    expect(config.body).toEqual({
      default_currency: "USD",
      currency_symbol: "$",
      tax_percentage: 10,
      flat_shipping_rate: 5,
      free_shipping_threshold: 100,
      shipping_enabled: true,
      payment_provider: "manual",
    });
    const unknown = await storefront(t, "no-such-project", null)("GET", "/config");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
  });
});

describe("1. authentication", () => {
  it("takes a project key as a bearer or as ?token=, and refuses a missing or invalid one", async () => {
    const anonymous = await storefront(t, shop.slug, null)("GET", "/products");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ success: false, error: { code: "UNAUTHORIZED" } });
    expect((await storefront(t, shop.slug, "pk_not-a-real-key")("GET", "/products")).status).toBe(401);
    const byToken = await storefront(
      t,
      shop.slug,
      null,
    )("GET", `/products?token=${encodeURIComponent(shop.publishableKey)}`);
    expect(byToken.status).toBe(200);
    expect((await storefront(t, shop.slug, null)("GET", "/products?token=pk_forged")).status).toBe(401);
    // The secret key works too (any key of the project).
    expect((await storefront(t, shop.slug, shop.secretKey)("GET", "/products")).status).toBe(200);
  });

  it("lets any site's page call it (CORS without credentials)", async () => {
    const preflight = await t.request("OPTIONS", `/api/v1/public/projects/${shop.slug}/ecommerce/cart/abcdefgh/items`, {
      key: null,
      headers: {
        origin: "https://shop.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    const post = await sf("POST", "/cart/cors-cart-1/items", {
      body: { productId: ids.mug, quantity: 1 },
      headers: { origin: "https://shop.example.com" },
    });
    expect(post.status).toBe(200);
    expect(post.headers.get("access-control-allow-origin")).toBe("*");
    expect(post.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("2. catalog", () => {
  it("lists active products with prices in major units, filtered and paged", async () => {
    const list = await sf("GET", "/products");
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 2, page: 1, limit: 20 });
    expect(list.body.products.map((p: { slug: string }) => p.slug).sort()).toEqual(["mug", "tee"]);
    const tee = list.body.products.find((p: { slug: string }) => p.slug === "tee");
    expect(tee).toMatchObject({
      id: ids.tee,
      name: "Tee",
      description: "About tee",
      price: 29.99,
      currency: "USD",
      in_stock: true,
    });
    expect(tee.categories.map((c: { slug: string }) => c.slug)).toEqual(["shirts"]);
    expect(typeof tee.created_at).toBe("number");

    const inCategory = await sf("GET", `/products?category=${ids.shirts}`);
    expect(inCategory.body.products.map((p: { slug: string }) => p.slug)).toEqual(["tee"]);
    const second = await sf("GET", "/products?page=2&limit=1");
    expect(second.body).toMatchObject({ total: 2, page: 2, limit: 1 });
    expect(second.body.products).toHaveLength(1);
    expect((await sf("GET", "/products?page=0")).status).toBe(422);
  });

  it("shows one product by slug; drafts are 404 whatever the key", async () => {
    const mug = await sf("GET", "/products/mug");
    expect(mug.status).toBe(200);
    expect(mug.body.product).toMatchObject({ slug: "mug", price: 12.5, in_stock: true });
    expect((await sf("GET", "/products/secret-draft")).status).toBe(404);
    // A merchant key may see drafts elsewhere, but a draft is not for sale here.
    expect((await storefront(t, shop.slug, shop.secretKey)("GET", "/products/secret-draft")).status).toBe(404);
    expect((await sf("GET", "/products/nothing-here")).status).toBe(404);
  });

  it("lists categories as a tree", async () => {
    const tree = await sf("GET", "/categories");
    expect(tree.status).toBe(200);
    expect(tree.body.categories).toEqual([
      expect.objectContaining({
        id: ids.apparel,
        slug: "apparel",
        parent_id: null,
        children: [expect.objectContaining({ id: ids.shirts, slug: "shirts", children: [] })],
      }),
    ]);
  });
});

describe("4. the cart flow", () => {
  it("answers an empty cart for a new id, creates it on the first add, increments, updates, removes and clears", async () => {
    const cartId = "3f2b6c1e-cart-flow-0001";
    const empty = await sf("GET", `/cart/${cartId}`);
    expect(empty.status).toBe(200);
    expect(empty.body.cart).toMatchObject({
      id: cartId,
      items: [],
      item_count: 0,
      subtotal: 0,
      grand_total: 0,
      currency: "USD",
      status: "active",
    });

    const added = await sf("POST", `/cart/${cartId}/items`, { body: { productId: ids.tee, quantity: 1 } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.cart.items).toEqual([
      expect.objectContaining({ product_id: ids.tee, quantity: 1, unit_price: 29.99, name: "Tee" }),
    ]);
    const again = await sf("POST", `/cart/${cartId}/items`, { body: { productId: ids.tee, quantity: 2 } });
    expect(again.body.cart.items).toHaveLength(1);
    expect(again.body.cart.items[0].quantity).toBe(3);
    // 89.97 + 10% tax + 5 shipping (under the 100 threshold)
    expect(again.body.cart).toMatchObject({
      subtotal: 89.97,
      tax_total: 9,
      shipping_total: 5,
      grand_total: 103.97,
      item_count: 3,
    });

    const withMug = await sf("POST", `/cart/${cartId}/items`, { body: { productId: ids.mug, quantity: 1 } });
    const mugItem = withMug.body.cart.items.find((i: { product_id: string }) => i.product_id === ids.mug);
    const patched = await sf("PATCH", `/cart/${cartId}/items/${mugItem.id}`, { body: { quantity: 4 } });
    expect(patched.status).toBe(200);
    expect(patched.body.cart.items.find((i: { id: string }) => i.id === mugItem.id).quantity).toBe(4);
    const removed = await sf("DELETE", `/cart/${cartId}/items/${mugItem.id}`);
    expect(removed.body.cart.items.map((i: { product_id: string }) => i.product_id)).toEqual([ids.tee]);
    expect((await sf("GET", `/cart/${cartId}`)).body.cart.item_count).toBe(3);

    const cleared = await sf("DELETE", `/cart/${cartId}`);
    expect(cleared.status).toBe(200);
    expect(cleared.body.cart).toMatchObject({ items: [], grand_total: 0 });
    expect((await sf("DELETE", "/cart/never-used-cart-id")).body.cart.items).toEqual([]);
  });

  it("refuses malformed cart ids and items with the dialect's error shape", async () => {
    const short = await sf("GET", "/cart/abc");
    expect(short.status).toBe(422);
    expect(short.body).toMatchObject({
      success: false,
      error: { code: "VALIDATION_FAILED", details: [{ path: "cartId" }] },
    });
    const draft = await sf("POST", "/cart/valid-cart-0002/items", { body: { productId: ids.draft, quantity: 1 } });
    expect(draft.status).toBe(422);
    expect(draft.body.error.details[0].path).toBe("productId");
    const zero = await sf("POST", "/cart/valid-cart-0002/items", { body: { productId: ids.mug, quantity: 0 } });
    expect(zero.status).toBe(422);
    expect(zero.body.error.details[0].path).toBe("quantity");
  });
});

describe("coupons", () => {
  it("validates a code against a cart without applying it", async () => {
    const cartId = "coupon-cart-0001";
    await sf("POST", `/cart/${cartId}/items`, { body: { productId: ids.mug, quantity: 2 } });
    const valid = await sf("POST", "/coupons/validate", { body: { code: "save10", cartId } });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({
      valid: true,
      code: "SAVE10",
      discount: 2.5,
      currency: "USD",
      type: "percentage_off_order",
      value: 10,
    });
    const unknown = await sf("POST", "/coupons/validate", { body: { code: "NOPE", cartId } });
    expect(unknown.body).toMatchObject({ valid: false, reason: "NOT_FOUND", discount: 0 });
    expect((await sf("GET", `/cart/${cartId}`)).body.cart.coupon_codes).toEqual([]);
  });
});

describe("5. checkout (manual provider) and 6. order history", () => {
  const cartId = "checkout-cart-0001";
  let order: { id: string; order_number: string; grand_total: number };

  it("creates the order from the cart with the coupon, answers the seed's shape, and closes the cart for good", async () => {
    await sf("POST", `/cart/${cartId}/items`, { body: { productId: ids.tee, quantity: 3 } });
    const placed = await sf("POST", "/checkout", {
      body: {
        cartId,
        email: "John@Example.com",
        shippingAddress: ADDRESS,
        billingAddress: ADDRESS,
        couponCode: "SAVE10",
        customerName: "John Doe",
        customerPhone: "+1234567890",
      },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    // 89.97 - 9.00 (10%) = 80.97; tax 8.10; shipping 5
    expect(placed.body).toEqual({
      success: true,
      order: {
        id: expect.any(String),
        order_number: expect.stringMatching(/^ORD-/),
        grand_total: 94.07,
        currency: "USD",
        status: "pending",
        payment_status: "unpaid",
      },
      payment: { id: expect.stringMatching(/^manual_/), provider: "manual", status: "pending", url: null },
    });
    order = placed.body.order;

    const closed = await sf("POST", `/cart/${cartId}/items`, { body: { productId: ids.mug, quantity: 1 } });
    expect(closed.status).toBe(409);
    expect((await sf("GET", `/cart/${cartId}`)).body.cart.status).toBe("checked_out");
    const twice = await sf("POST", "/checkout", { body: { cartId, email: "john@example.com" } });
    expect(twice.status).toBe(422);
    expect(twice.body.error).toMatchObject({
      code: "CHECKOUT_FAILED",
      details: { reason: "CART_ALREADY_CHECKED_OUT" },
    });

    const stored = await t.request("GET", `/api/orders/${order.id}`, { key: shop.secretKey });
    expect(stored.body.data.shippingAddress).toMatchObject({
      line1: "123 Main St",
      postalCode: "12345",
      name: "John Doe",
      phone: "+1234567890",
    });
    expect(stored.body.data.email).toBe("john@example.com");
  });

  it("keeps validation errors in the dialect's shape, with the field names as sent", async () => {
    await sf("POST", "/cart/invalid-checkout-01/items", { body: { productId: ids.mug, quantity: 1 } });
    const bad = await sf("POST", "/checkout", {
      body: {
        cartId: "invalid-checkout-01",
        email: "x@example.com",
        shippingAddress: { ...ADDRESS, postal_code: 12345, country: "USA" },
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.success).toBe(false);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain("shippingAddress.postal_code");
    const badCountry = await sf("POST", "/checkout", {
      body: { cartId: "invalid-checkout-01", email: "x@example.com", shippingAddress: { ...ADDRESS, country: "USA" } },
    });
    expect(badCountry.body.error.details.map((d: { path: string }) => d.path)).toEqual(["shippingAddress.country"]);
    const noCart = await sf("POST", "/checkout", { body: { cartId: "never-filled-cart", email: "x@example.com" } });
    expect(noCart.body.error).toMatchObject({ code: "CHECKOUT_FAILED", details: { reason: "CART_NOT_FOUND" } });
  });

  it("lists the orders of an email, shows one, and tells nothing about other emails", async () => {
    const list = await sf("GET", "/orders?email=john%40example.com&page=1&limit=20");
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      orders: [
        {
          id: order.id,
          order_number: order.order_number,
          status: "pending",
          payment_status: "unpaid",
          currency: "USD",
          grand_total: 94.07,
          created_at: expect.any(Number),
        },
      ],
      total: 1,
      page: 1,
      limit: 20,
    });
    const nobody = await sf("GET", "/orders?email=nobody%40example.com");
    expect(nobody.body).toEqual({ orders: [], total: 0, page: 1, limit: 20 });

    const one = await sf("GET", `/orders/${order.id}?email=JOHN%40example.com`);
    expect(one.status).toBe(200);
    expect(one.body.order).toMatchObject({
      id: order.id,
      grand_total: 94.07,
      subtotal: 89.97,
      discount_total: 9,
      tax_total: 8.1,
      shipping_total: 5,
      coupon_codes: ["SAVE10"],
    });
    expect(one.body.order.items).toEqual([
      expect.objectContaining({ product_id: ids.tee, quantity: 3, unit_price: 29.99 }),
    ]);
    expect(JSON.stringify(one.body)).not.toContain("123 Main St");
    expect((await sf("GET", `/orders/${order.id}?email=nobody%40example.com`)).status).toBe(404);
    expect((await sf("GET", "/orders")).status).toBe(422);
  });

  it("rate-limits lookups per email and key", async () => {
    let last = 0;
    for (let i = 0; i < 21; i++) last = (await sf("GET", "/orders?email=probe%40example.com")).status;
    expect(last).toBe(429);
    const limited = await sf("GET", "/orders?email=probe%40example.com");
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(limited.body.error.code).toBe("TOO_MANY_REQUESTS");
    // Another email is counted on its own.
    expect((await sf("GET", "/orders?email=other%40example.com")).status).toBe(200);
  });

  it("announces order.created and inventory.low on the project's webhooks, signed as the seed says", async () => {
    await deliverWebhooks(t);
    const created = receiver.of("order.created");
    expect(created).toHaveLength(1);
    expect(created[0]!.json).toMatchObject({
      type: "order.created",
      data: { orderId: order.id, number: order.order_number },
    });
    const signature = `sha256=${createHmac("sha256", webhookSecret).update(created[0]!.body).digest("hex")}`;
    expect(created[0]!.headers["x-webhook-signature"]).toBe(signature);
    // 10 in stock, threshold 8: the checkout of 3 took it below.
    const low = receiver.of("inventory.low");
    expect(low).toHaveLength(1);
    expect(low[0]!.json.data).toMatchObject({ entityId: ids.tee, available: 7, threshold: 8 });
  });
});

describe("amounts in major units follow the currency's exponent", () => {
  it("JPY has none and KWD three", async () => {
    const yen = await createProject(t, "yen-shop", { defaultCurrency: "JPY", flatShippingAmount: 500 });
    const dinar = await createProject(t, "dinar-shop", { defaultCurrency: "KWD", flatShippingAmount: 1500 });
    expect((await storefront(t, "yen-shop", null)("GET", "/config")).body).toMatchObject({
      currency_symbol: "¥",
      flat_shipping_rate: 500,
    });
    expect((await storefront(t, "dinar-shop", null)("GET", "/config")).body.flat_shipping_rate).toBe(1.5);
    const item = await productOf(t, dinar, { slug: "dates", price: 1234, currency: "KWD" });
    const cart = await storefront(t, "dinar-shop", dinar.publishableKey)("POST", "/cart/dinar-cart-01/items", {
      body: { productId: item, quantity: 1 },
    });
    expect(cart.body.cart).toMatchObject({ currency: "KWD", subtotal: 1.234, shipping_total: 1.5, grand_total: 2.734 });
    const yenItem = await productOf(t, yen, { slug: "tea", price: 800, currency: "JPY" });
    const yenCart = await storefront(t, "yen-shop", yen.publishableKey)("POST", "/cart/yen-cart-0001/items", {
      body: { productId: yenItem, quantity: 2 },
    });
    expect(yenCart.body.cart).toMatchObject({ subtotal: 1600, grand_total: 2100 });
  });
});

describe("documentation", () => {
  it("lists every route in the dialect's OpenAPI document, linked from the reference page", async () => {
    const doc = await t.request("GET", "/api/v1/public/openapi.json", { key: null });
    expect(doc.status).toBe(200);
    const operations = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) =>
        Object.keys(methods).map(
          (method) => `${method.toUpperCase()} ${path.replace("/api/v1/public/projects/{projectSlug}/ecommerce", "")}`,
        ),
    );
    expect(operations.sort()).toEqual(
      [
        "GET /config",
        "GET /products",
        "GET /products/{slug}",
        "GET /categories",
        "GET /cart/{cartId}",
        "POST /cart/{cartId}/items",
        "PATCH /cart/{cartId}/items/{itemId}",
        "DELETE /cart/{cartId}/items/{itemId}",
        "DELETE /cart/{cartId}",
        "POST /coupons/validate",
        "POST /checkout",
        "GET /orders",
        "GET /orders/{id}",
      ].sort(),
    );
    const checkout = doc.body.paths["/api/v1/public/projects/{projectSlug}/ecommerce/checkout"].post;
    expect(Object.keys(checkout.requestBody.content["application/json"].schema.properties)).toEqual(
      expect.arrayContaining([
        "cartId",
        "email",
        "couponCode",
        "customerName",
        "customerPhone",
        "successUrl",
        "cancelUrl",
        "shippingAddress",
      ]),
    );
    expect(
      checkout.requestBody.content["application/json"].schema.properties.shippingAddress.properties,
    ).toHaveProperty("postal_code");
    const reference = await t.request("GET", "/api/reference", { key: null });
    expect(String(reference.body)).toContain("/api/v1/public/openapi.json");
  });
});
