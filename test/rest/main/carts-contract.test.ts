import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { checkoutBody } from "../../helpers/commerce.js";
import { createCustomer, createPromotion, createStore, updateStoreSettings } from "../../helpers/merchant.js";

const t = useTestApp();

const MISSING = "00000000-0000-4000-8000-000000000000";
const DAY = 24 * 60 * 60 * 1000;

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${randomUUID().slice(0, 8)}`;

interface CartBody {
  id: string;
  currency: string;
  customerId: string | null;
  email: string | null;
  status: string;
  promotionCodes: string[];
  items: {
    id: string;
    entityId: string;
    variantId: string | null;
    sku: string | null;
    title: string;
    quantity: number;
    unitPrice: number;
    subtotal: number;
    discount: number;
    total: number;
  }[];
  totals: { subtotal: number; discount: number; tax: number; shipping: number; total: number };
}

async function product(amount = 1000, options: { title?: string | null; status?: "active" | "draft" } = {}) {
  const slug = unique("cart-product");
  const entity = await t.request("POST", "/api/catalog/entities", {
    body: { type: "product", slug, status: options.status ?? "active" },
  });
  expect(entity.status).toBe(201);
  const id = entity.body.data.id as string;
  if (options.title !== null) {
    await t.request("PUT", `/api/catalog/entities/${id}/attributes/en`, {
      body: { title: options.title ?? `Title ${slug}` },
    });
  }
  const price = await t.request("POST", "/api/pricing/prices", { body: { entityId: id, currency: "USD", amount } });
  expect(price.status).toBe(201);
  return { id, slug };
}

async function productWithVariants() {
  const base = await product(3000);
  await t.request("POST", `/api/catalog/entities/${base.id}/options`, {
    body: { name: "Size", values: [{ value: "S" }, { value: "M" }] },
  });
  const generated = await t.request("POST", `/api/catalog/entities/${base.id}/variants/generate`, {
    body: { skuPrefix: base.slug.toUpperCase() },
  });
  expect(generated.status).toBe(201);
  const [small, medium] = generated.body.data.variants as { id: string; sku: string }[];
  await t.request("POST", "/api/pricing/prices", {
    body: { entityId: base.id, variantId: small!.id, currency: "USD", amount: 2500 },
  });
  return { ...base, small: small!, medium: medium! };
}

/** Guest carts are anonymous; attaching a customer is a merchant's call (the admin key). */
async function newCart(body: Record<string, unknown> = {}): Promise<CartBody> {
  const res = await t.request("POST", "/api/carts", {
    ...(body.customerId ? {} : { key: null }),
    body: { currency: "USD", ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

const add = (cartId: string, body: Record<string, unknown>) =>
  t.request("POST", `/api/carts/${cartId}/items`, { key: null, body });
/** A customer's cart is theirs: only they (or a merchant) can change it. */
const addAsMerchant = (cartId: string, body: Record<string, unknown>) =>
  t.request("POST", `/api/carts/${cartId}/items`, { body });

async function getCart(cartId: string): Promise<CartBody> {
  const res = await t.request("GET", `/api/carts/${cartId}`, { key: null });
  expect(res.status).toBe(200);
  return res.body.data;
}

const paths = (res: { body: { error: { details: { path: string }[] } } }) =>
  res.body.error.details.map((d) => d.path).sort();

/** A customer the merchant creates, in these customer groups. */
const customerIn = (groupIds: string[]) => createCustomer(t, { email: `${unique("buyer")}@example.com`, groupIds });

describe("POST /api/carts and GET /api/carts/:id", () => {
  it("creates a guest cart (201) and reads it back with items and totals", async () => {
    const res = await t.request("POST", "/api/carts", {
      key: null,
      body: { currency: "USD", email: "Guest@Example.com" },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      currency: "USD",
      customerId: null,
      email: "guest@example.com",
      status: "active",
      promotionCodes: [],
      items: [],
      totals: { subtotal: 0, discount: 0, tax: 0, shipping: 0, total: 0 },
    });
    expect(await getCart(res.body.data.id)).toEqual(res.body.data);
  });

  it("creates a cart for a customer of the store; 422 for bad input", async () => {
    const customer = await customerIn([]);
    expect((await newCart({ customerId: customer.id })).customerId).toBe(customer.id);
    const bad = await t.request("POST", "/api/carts", {
      key: null,
      body: { currency: "dollars", email: "not-an-email" },
    });
    expect(paths(bad)).toEqual(["currency", "email"]);
    const missing = await t.request("POST", "/api/carts", { key: null, body: {} });
    expect(paths(missing)).toEqual(["currency"]);
    const guestClaim = await t.request("POST", "/api/carts", {
      key: null,
      body: { currency: "USD", customerId: MISSING },
    });
    expect(guestClaim.status).toBe(403);
    const unknownCustomer = await t.request("POST", "/api/carts", { body: { currency: "USD", customerId: MISSING } });
    expect(paths(unknownCustomer)).toEqual(["customerId"]);
    const malformedCustomer = await t.request("POST", "/api/carts", { body: { currency: "USD", customerId: "nope" } });
    expect(paths(malformedCustomer)).toEqual(["customerId"]);
  });

  it("answers 404 for unknown, malformed and other stores' carts", async () => {
    const cart = await newCart();
    expect((await t.request("GET", `/api/carts/${MISSING}`, { key: null })).status).toBe(404);
    const malformed = await t.request("GET", "/api/carts/not-a-cart", { key: null });
    expect(malformed.body.error).toEqual({ code: "NOT_FOUND", message: "Cart not found." });
    const store = await createStore(t, { slug: unique("store"), name: "Other" });
    const foreignKey = await t.createKey(["carts:read"], store.id);
    expect((await t.request("GET", `/api/carts/${cart.id}`, { key: foreignKey })).status).toBe(404);
  });
});

describe("POST /api/carts/:id/items", () => {
  it("adds an item at the server's price and answers with the whole cart", async () => {
    const item = await product(1250, { title: "Blue Widget" });
    const cart = await newCart();
    const res = await add(cart.id, { entityId: item.id, quantity: 2 });
    expect(res.status).toBe(201);
    expect(res.body.data.items).toEqual([
      {
        id: expect.any(String),
        entityId: item.id,
        variantId: null,
        sku: null,
        title: "Blue Widget",
        quantity: 2,
        unitPrice: 1250,
        subtotal: 2500,
        discount: 0,
        total: 2500,
      },
    ]);
    expect(res.body.data.totals).toEqual({ subtotal: 2500, discount: 0, tax: 0, shipping: 0, total: 2500 });
  });

  it("uses the slug as title when there is no English title", async () => {
    const item = await product(100, { title: null });
    const cart = await newCart();
    expect((await add(cart.id, { entityId: item.id, quantity: 1 })).body.data.items[0].title).toBe(item.slug);
  });

  it("merges the same entity/variant into one line and re-prices it for the new quantity", async () => {
    const item = await product(1000);
    await t.request("POST", "/api/pricing/prices", {
      body: { entityId: item.id, currency: "USD", amount: 800, minQuantity: 5 },
    });
    const cart = await newCart();
    expect((await add(cart.id, { entityId: item.id, quantity: 3 })).body.data.items[0].unitPrice).toBe(1000);
    const merged = await add(cart.id, { entityId: item.id, quantity: 2 });
    expect(merged.body.data.items).toHaveLength(1);
    expect(merged.body.data.items[0]).toMatchObject({ quantity: 5, unitPrice: 800, subtotal: 4000 });
  });

  it("prices variants and requires a variant when the entity has some", async () => {
    const item = await productWithVariants();
    const cart = await newCart();
    const missingVariant = await add(cart.id, { entityId: item.id, quantity: 1 });
    expect(paths(missingVariant)).toEqual(["variantId"]);
    await add(cart.id, { entityId: item.id, variantId: item.small.id, quantity: 1 });
    const res = await add(cart.id, { entityId: item.id, variantId: item.medium.id, quantity: 1 });
    const lines = Object.fromEntries(res.body.data.items.map((i: CartBody["items"][number]) => [i.sku, i.unitPrice]));
    expect(lines).toEqual({ [item.small.sku]: 2500, [item.medium.sku]: 3000 });
    const other = await productWithVariants();
    const foreign = await add(cart.id, { entityId: item.id, variantId: other.small.id, quantity: 1 });
    expect(paths(foreign)).toEqual(["variantId"]);
  });

  it("refuses drafts, unknown entities and unpriced items with 422 on the field", async () => {
    const cart = await newCart();
    const draft = await product(100, { status: "draft" });
    expect(paths(await add(cart.id, { entityId: draft.id, quantity: 1 }))).toEqual(["entityId"]);
    expect(paths(await add(cart.id, { entityId: MISSING, quantity: 1 }))).toEqual(["entityId"]);
    expect(paths(await add(cart.id, { entityId: "nope", quantity: 1 }))).toEqual(["entityId"]);
    const eurCart = await newCart({ currency: "EUR" });
    const usdOnly = await product(100);
    const unpriced = await add(eurCart.id, { entityId: usdOnly.id, quantity: 1 });
    expect(unpriced.status).toBe(422);
    expect(unpriced.body.error.details).toEqual([
      expect.objectContaining({ path: "entityId", message: expect.stringContaining("EUR") }),
    ]);
  });

  it("validates quantity (1..999, whole) including the merged line", async () => {
    const item = await product(100);
    const cart = await newCart();
    for (const quantity of [0, 1000, 1.5, -1]) {
      const res = await add(cart.id, { entityId: item.id, quantity });
      expect(res.status, String(quantity)).toBe(422);
      expect(paths(res)).toEqual(["quantity"]);
    }
    expect((await add(cart.id, { entityId: item.id, quantity: 999 })).status).toBe(201);
    const over = await add(cart.id, { entityId: item.id, quantity: 1 });
    expect(paths(over)).toEqual(["quantity"]);
    expect((await getCart(cart.id)).items[0]!.quantity).toBe(999);
  });

  it("refuses a stale unitPriceSnapshot with 409, accepts the current one", async () => {
    const item = await product(1999);
    const cart = await newCart();
    const stale = await add(cart.id, { entityId: item.id, quantity: 1, unitPriceSnapshot: 1499 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: "CONFLICT",
      details: { expectedAmount: 1999, givenAmount: 1499, currency: "USD" },
    });
    expect((await add(cart.id, { entityId: item.id, quantity: 1, unitPriceSnapshot: 1999 })).status).toBe(201);
  });

  it("answers 404 for an unknown cart", async () => {
    const item = await product(100);
    expect((await add(MISSING, { entityId: item.id, quantity: 1 })).status).toBe(404);
    expect((await add("nope", { entityId: item.id, quantity: 1 })).status).toBe(404);
  });

  it("loses no quantity when 20 adds of one item race", async () => {
    const item = await product(100);
    const cart = await newCart();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => add(cart.id, { entityId: item.id, quantity: 1 })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const after = await getCart(cart.id);
    expect(after.items).toHaveLength(1);
    expect(after.items[0]!.quantity).toBe(20);
  });
});

describe("PATCH and DELETE /api/carts/:id/items/:itemId", () => {
  it("changes the quantity (re-pricing the line) and removes lines", async () => {
    const item = await product(1000);
    await t.request("POST", "/api/pricing/prices", {
      body: { entityId: item.id, currency: "USD", amount: 900, minQuantity: 10 },
    });
    const cart = await newCart();
    const lineId = (await add(cart.id, { entityId: item.id, quantity: 1 })).body.data.items[0].id;
    const patched = await t.request("PATCH", `/api/carts/${cart.id}/items/${lineId}`, {
      key: null,
      body: { quantity: 10 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data.items[0]).toMatchObject({ id: lineId, quantity: 10, unitPrice: 900, subtotal: 9000 });
    const removed = await t.request("DELETE", `/api/carts/${cart.id}/items/${lineId}`, { key: null });
    expect(removed.status).toBe(200);
    expect(removed.body.data.items).toEqual([]);
    expect((await t.request("DELETE", `/api/carts/${cart.id}/items/${lineId}`, { key: null })).status).toBe(404);
  });

  it("answers 422 for a bad quantity and 404 for unknown items and carts", async () => {
    const item = await product(100);
    const cart = await newCart();
    const lineId = (await add(cart.id, { entityId: item.id, quantity: 1 })).body.data.items[0].id;
    const zero = await t.request("PATCH", `/api/carts/${cart.id}/items/${lineId}`, {
      key: null,
      body: { quantity: 0 },
    });
    expect(paths(zero)).toEqual(["quantity"]);
    expect(
      (await t.request("PATCH", `/api/carts/${cart.id}/items/${MISSING}`, { key: null, body: { quantity: 2 } })).status,
    ).toBe(404);
    expect(
      (await t.request("PATCH", `/api/carts/${cart.id}/items/nope`, { key: null, body: { quantity: 2 } })).status,
    ).toBe(404);
    expect(
      (await t.request("PATCH", `/api/carts/${MISSING}/items/${lineId}`, { key: null, body: { quantity: 2 } })).status,
    ).toBe(404);
    expect((await t.request("DELETE", `/api/carts/${cart.id}/items/nope`, { key: null })).status).toBe(404);
    const other = await newCart();
    expect((await t.request("DELETE", `/api/carts/${other.id}/items/${lineId}`, { key: null })).status).toBe(404);
  });
});

describe("a checked-out cart", () => {
  it("refuses every change with 409 CONFLICT", async () => {
    const item = await product(100);
    const cart = await newCart();
    const lineId = (await add(cart.id, { entityId: item.id, quantity: 1 })).body.data.items[0].id;
    const placed = await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cart.id) });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const attempts = [
      await add(cart.id, { entityId: item.id, quantity: 1 }),
      await t.request("PATCH", `/api/carts/${cart.id}/items/${lineId}`, { key: null, body: { quantity: 2 } }),
      await t.request("DELETE", `/api/carts/${cart.id}/items/${lineId}`, { key: null }),
      await t.request("POST", `/api/carts/${cart.id}/promotions`, { key: null, body: { code: "ANY" } }),
      await t.request("DELETE", `/api/carts/${cart.id}/promotions/ANY`, { key: null }),
    ];
    for (const res of attempts) expect(res.status).toBe(409);
    expect(await getCart(cart.id)).toMatchObject({ status: "checked_out", items: [{ quantity: 1 }] });
  });
});

describe("pricing and totals through the cart", () => {
  it("gives a customer in a group the group price, and a guest the base price", async () => {
    const item = await product(1000);
    const group = (await t.request("POST", "/api/customer-groups", { body: { name: unique("Wholesale") } })).body.data;
    await t.request("POST", "/api/pricing/prices", {
      body: { entityId: item.id, currency: "USD", amount: 700, customerGroupId: group.id },
    });
    const member = await customerIn([group.id]);
    const outsider = await customerIn([]);
    expect(
      (await addAsMerchant((await newCart({ customerId: member.id })).id, { entityId: item.id, quantity: 1 })).body.data
        .items[0].unitPrice,
    ).toBe(700);
    expect(
      (await addAsMerchant((await newCart({ customerId: outsider.id })).id, { entityId: item.id, quantity: 1 })).body
        .data.items[0].unitPrice,
    ).toBe(1000);
  });

  it("applies active price modifiers and ignores expired prices", async () => {
    const item = await product(1000);
    const expired = await t.request("POST", "/api/pricing/prices", {
      body: { entityId: item.id, currency: "USD", amount: 1, validUntil: new Date(Date.now() - DAY).toISOString() },
    });
    expect(expired.status, JSON.stringify(expired.body)).toBe(201);
    await t.request("POST", "/api/pricing/modifiers", {
      body: { name: "Sale", type: "percentage_off", value: 25, entityId: item.id },
    });
    const cart = await newCart();
    expect((await add(cart.id, { entityId: item.id, quantity: 1 })).body.data.items[0].unitPrice).toBe(750);
  });

  it("adds tax and shipping from the store settings", async () => {
    const original = await updateStoreSettings(t, {
      taxRateBps: 1000,
      shippingEnabled: true,
      flatShippingAmount: 500,
      freeShippingThreshold: 10_000,
    });
    try {
      const item = await product(2000);
      const cart = await newCart();
      expect((await add(cart.id, { entityId: item.id, quantity: 2 })).body.data.totals).toEqual({
        subtotal: 4000,
        discount: 0,
        tax: 400,
        shipping: 500,
        total: 4900,
      });
      expect((await add(cart.id, { entityId: item.id, quantity: 3 })).body.data.totals).toEqual({
        subtotal: 10_000,
        discount: 0,
        tax: 1000,
        shipping: 0,
        total: 11_000,
      });
    } finally {
      await updateStoreSettings(t, {
        taxRateBps: original.taxRateBps,
        shippingEnabled: original.shippingEnabled,
        flatShippingAmount: original.flatShippingAmount,
        freeShippingThreshold: original.freeShippingThreshold,
      });
    }
  });
});

describe("promotion codes on the cart", () => {
  async function promotion(data: Record<string, unknown> = {}) {
    return (await createPromotion(t, { code: unique("SAVE").toUpperCase(), ...data })).code;
  }

  it("applies a code (case-insensitive) that changes the discount, and removes it", async () => {
    const code = await promotion();
    const item = await product(1000);
    const cart = await newCart();
    await add(cart.id, { entityId: item.id, quantity: 3 });
    const applied = await t.request("POST", `/api/carts/${cart.id}/promotions`, {
      key: null,
      body: { code: code.toLowerCase() },
    });
    expect(applied.status).toBe(200);
    expect(applied.body.data.promotionCodes).toEqual([code]);
    expect(applied.body.data.totals).toMatchObject({ subtotal: 3000, discount: 300, total: 2700 });
    expect(applied.body.data.items[0]).toMatchObject({ subtotal: 3000, discount: 300, total: 2700 });
    expect(
      (await t.request("POST", `/api/carts/${cart.id}/promotions`, { key: null, body: { code } })).body.data
        .promotionCodes,
    ).toEqual([code]);
    const removed = await t.request("DELETE", `/api/carts/${cart.id}/promotions/${code.toLowerCase()}`, { key: null });
    expect(removed.status).toBe(200);
    expect(removed.body.data).toMatchObject({ promotionCodes: [], totals: { discount: 0, total: 3000 } });
    expect((await t.request("DELETE", `/api/carts/${cart.id}/promotions/${code}`, { key: null })).status).toBe(404);
  });

  it("refuses a code that does not apply now with 422 on `code` and the reason", async () => {
    const expired = await promotion({ validUntil: new Date(Date.now() - DAY) });
    const big = await promotion({ minSubtotal: 1_000_000 });
    const item = await product(1000);
    const cart = await newCart();
    await add(cart.id, { entityId: item.id, quantity: 1 });
    for (const [code, reason] of [
      ["NO-SUCH-CODE", "NOT_FOUND"],
      [expired, "EXPIRED"],
      [big, "MIN_SUBTOTAL_NOT_MET"],
    ] as const) {
      const res = await t.request("POST", `/api/carts/${cart.id}/promotions`, { key: null, body: { code } });
      expect(res.status, code).toBe(422);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: "code", code: reason })]);
      expect(res.body.error.message).toContain(reason);
    }
    expect(paths(await t.request("POST", `/api/carts/${cart.id}/promotions`, { key: null, body: {} }))).toEqual([
      "code",
    ]);
    expect(
      (await t.request("POST", `/api/carts/${MISSING}/promotions`, { key: null, body: { code: expired } })).status,
    ).toBe(404);
  });

  it("refuses a code the cart's customer has used up (per-customer limit), as checkout would", async () => {
    const code = await promotion({ perCustomerLimit: 1 });
    const customer = await customerIn([]);
    const item = await product(1000);
    // The customer's one use: an order of theirs checked out with the code, through the API.
    const used = await newCart({ customerId: customer.id });
    await addAsMerchant(used.id, { entityId: item.id, quantity: 1 });
    expect((await t.request("POST", `/api/carts/${used.id}/promotions`, { body: { code } })).status).toBe(200);
    const placed = await t.request("POST", "/api/checkout", {
      body: {
        cartId: used.id,
        email: "used@example.com",
        shippingAddress: { line1: "1 Main St", city: "Springfield", country: "US" },
      },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.data.customerId).toBe(customer.id);
    const cart = await newCart({ customerId: customer.id });
    await addAsMerchant(cart.id, { entityId: item.id, quantity: 1 });
    const res = await t.request("POST", `/api/carts/${cart.id}/promotions`, { body: { code } });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details[0]).toMatchObject({ path: "code", code: "CUSTOMER_LIMIT_REACHED" });
  });

  it("leaves a code that stopped applying out of the totals", async () => {
    const code = await promotion({ minSubtotal: 2000 });
    const item = await product(1000);
    const cart = await newCart();
    const lineId = (await add(cart.id, { entityId: item.id, quantity: 2 })).body.data.items[0].id;
    expect(
      (await t.request("POST", `/api/carts/${cart.id}/promotions`, { key: null, body: { code } })).body.data.totals
        .discount,
    ).toBe(200);
    const smaller = await t.request("PATCH", `/api/carts/${cart.id}/items/${lineId}`, {
      key: null,
      body: { quantity: 1 },
    });
    expect(smaller.body.data).toMatchObject({
      promotionCodes: [code],
      totals: { subtotal: 1000, discount: 0, total: 1000 },
    });
  });
});

describe("carts through GraphQL", () => {
  const CART =
    "id currency status promotionCodes items { id quantity unitPrice subtotal discount total } totals { subtotal discount tax shipping total }";
  const ERRORS =
    "... on Error { __typename code message ... on ValidationError { fieldErrors { path code } } ... on PriceMismatchError { expectedAmount givenAmount currency } }";
  const mutation = (field: string, inputType: string) => {
    const payload = `${field[0]!.toUpperCase()}${field.slice(1)}Payload`;
    return `mutation ($input: ${inputType}!) { ${field}(input: $input) { __typename ... on ${payload} { cart { ${CART} } } ${ERRORS} } }`;
  };

  it("runs every cart mutation with result unions", async () => {
    const item = await product(500);
    const { code } = await createPromotion(t, {
      code: unique("GQL").toUpperCase(),
      name: "GQL",
      type: "fixed_amount_off_order",
      value: 100,
      currency: "USD",
    });
    const created = await t.graphql(mutation("createCart", "CreateCartInput"), { input: { currency: "USD" } }, null);
    expect(created.body.data.createCart).toMatchObject({
      __typename: "CreateCartPayload",
      cart: { currency: "USD", items: [] },
    });
    const cartId = created.body.data.createCart.cart.id;
    const mismatch = await t.graphql(
      mutation("addCartItem", "AddCartItemInput"),
      { input: { cartId, entityId: item.id, quantity: 1, unitPriceSnapshot: 1 } },
      null,
    );
    expect(mismatch.body.data.addCartItem).toMatchObject({
      __typename: "PriceMismatchError",
      code: "CONFLICT",
      expectedAmount: 500,
      givenAmount: 1,
      currency: "USD",
    });
    const added = await t.graphql(
      mutation("addCartItem", "AddCartItemInput"),
      { input: { cartId, entityId: item.id, quantity: 2 } },
      null,
    );
    expect(added.body.data.addCartItem.cart.items).toEqual([
      { id: expect.any(String), quantity: 2, unitPrice: 500, subtotal: 1000, discount: 0, total: 1000 },
    ]);
    const itemId = added.body.data.addCartItem.cart.items[0].id;
    const updated = await t.graphql(
      mutation("updateCartItem", "UpdateCartItemInput"),
      { input: { cartId, itemId, quantity: 4 } },
      null,
    );
    expect(updated.body.data.updateCartItem.cart.totals).toEqual({
      subtotal: 2000,
      discount: 0,
      tax: 0,
      shipping: 0,
      total: 2000,
    });
    const invalid = await t.graphql(
      mutation("updateCartItem", "UpdateCartItemInput"),
      { input: { cartId, itemId, quantity: 0 } },
      null,
    );
    expect(invalid.body.data.updateCartItem).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ path: "quantity" }],
    });
    const applied = await t.graphql(
      mutation("applyCartPromotion", "CartPromotionInput"),
      { input: { cartId, code } },
      null,
    );
    expect(applied.body.data.applyCartPromotion.cart).toMatchObject({
      promotionCodes: [code],
      totals: { discount: 100, total: 1900 },
    });
    const rejected = await t.graphql(
      mutation("applyCartPromotion", "CartPromotionInput"),
      { input: { cartId, code: "NOPE-NOPE" } },
      null,
    );
    expect(rejected.body.data.applyCartPromotion).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ path: "code", code: "NOT_FOUND" }],
    });
    const unapplied = await t.graphql(
      mutation("removeCartPromotion", "CartPromotionInput"),
      { input: { cartId, code } },
      null,
    );
    expect(unapplied.body.data.removeCartPromotion.cart).toMatchObject({ promotionCodes: [], totals: { discount: 0 } });
    const removed = await t.graphql(
      mutation("removeCartItem", "RemoveCartItemInput"),
      { input: { cartId, itemId } },
      null,
    );
    expect(removed.body.data.removeCartItem.cart.items).toEqual([]);
    const gone = await t.graphql(
      mutation("removeCartItem", "RemoveCartItemInput"),
      { input: { cartId, itemId } },
      null,
    );
    expect(gone.body.data.removeCartItem).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND" });
    const read = await t.graphql(`query ($id: ID!) { cart(id: $id) { ${CART} } }`, { id: cartId }, null);
    expect(read.body.data.cart).toMatchObject({ id: cartId, items: [], totals: { total: 0 } });
    expect(
      (await t.graphql(`query ($id: ID!) { cart(id: $id) { id } }`, { id: "nope" }, null)).body.data.cart,
    ).toBeNull();
  });

  it("reads a cart with items and totals in a constant number of statements", async () => {
    const cart = await newCart();
    for (let i = 0; i < 5; i++) await add(cart.id, { entityId: (await product(100 + i)).id, quantity: 1 });
    const before = t.app.db.statementCount();
    await getCart(cart.id);
    const five = t.app.db.statementCount() - before;
    for (let i = 0; i < 15; i++) await add(cart.id, { entityId: (await product(100 + i)).id, quantity: 1 });
    const mid = t.app.db.statementCount();
    expect((await getCart(cart.id)).items).toHaveLength(20);
    expect(t.app.db.statementCount() - mid).toBe(five);
    console.log("cart read statements", five);
  });
});
