import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { MODELS, type ModelDef } from "../../../src/domain/analytics/models.js";
import { runAnalyticsQuery } from "../../../src/domain/analytics/run.js";
import { ValidationError } from "../../../src/domain/errors.js";
import { ADMIN_KEY, useTestApp } from "../../helpers/app.js";
import { cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { startMailbox } from "../../helpers/mailbox.js";
import { insertOrder } from "../../helpers/orders.js";

// Account mails (the verification link of the customers test) go to a local SMTP server.
const mailbox = await startMailbox();
const t = useTestApp({ smtpUrl: mailbox.url, publicUrl: "http://shop.test" });
afterAll(() => mailbox.close());

let seq = 0;

/** A request that must succeed; answers its `data`. */
async function send(method: string, path: string, body?: unknown, key: string = ADMIN_KEY) {
  const res = await t.request(method, path, { body, key });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body.data;
}

/** An active product priced `unitPrice` in `currency`, through the catalog and pricing routes. */
async function product(unitPrice: number, options: { currency?: string; key?: string; slug?: string } = {}) {
  const slug = options.slug ?? `analytics-${++seq}-${randomUUID().slice(0, 8)}`;
  const entity = await send("POST", "/api/catalog/entities", { type: "product", slug, status: "active" }, options.key);
  await send(
    "POST",
    "/api/pricing/prices",
    { entityId: entity.id, currency: options.currency ?? "USD", amount: unitPrice },
    options.key,
  );
  return entity.id as string;
}

/**
 * An order placed at a known instant with a known grand total (one line of a new product, unless given),
 * recorded by a merchant as a past order (`placedAt`), then paid and shipped as far as `status`.
 * No tax or shipping is configured, so the grand total is the line's.
 */
async function orderAt(
  placedAt: string,
  grandTotal: number,
  options: { status?: string; currency?: string; key?: string; entityId?: string; quantity?: number } = {},
) {
  const { key, currency = "USD", quantity = 1, status = "confirmed" } = options;
  const unitPrice = grandTotal / quantity;
  expect(Number.isInteger(unitPrice)).toBe(true);
  const entityId = options.entityId ?? (await product(unitPrice, { currency, key }));
  const cart = await send("POST", "/api/carts", { currency }, key);
  await send("POST", `/api/carts/${cart.id}/items`, { entityId, quantity }, key);
  const order = await send("POST", "/api/checkout", { ...checkoutBody(cart.id), placedAt }, key);
  expect(order.totals.total).toBe(grandTotal);
  if (status !== "pending") await send("POST", `/api/orders/${order.id}/payment/capture`, {}, key);
  if (status === "fulfilled") await send("POST", `/api/orders/${order.id}/fulfillments`, {}, key);
  const placed = await send("GET", `/api/orders/${order.id}`, undefined, key);
  expect(placed.status).toBe(status);
  return { id: placed.id as string, createdAt: new Date(placed.createdAt), grandTotal: placed.totals.total as number };
}

const query = (body: unknown, key?: string | null) => t.request("POST", "/api/analytics/query", { body, key });

describe("POST /api/analytics/query", () => {
  it("gives revenue by day equal to the sum of the orders created on each day", async () => {
    const placed = [
      await orderAt("2025-03-01T08:00:00Z", 1200),
      await orderAt("2025-03-01T23:59:59Z", 800, { status: "pending" }),
      await orderAt("2025-03-02T00:00:00Z", 4321),
      await orderAt("2025-03-04T12:30:00Z", 999, { status: "fulfilled" }),
    ];
    await orderAt("2025-02-28T23:59:59Z", 5000); // outside the range
    await orderAt("2025-03-05T00:00:00Z", 7000); // outside the range (to is a whole day: through 03-04)

    const answer = await query({
      model: "orders",
      measures: ["revenue", "count"],
      timeDimension: { dimension: "createdAt", granularity: "day" },
      dateRange: { from: "2025-03-01", to: "2025-03-04" },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);

    const expected = new Map<string, { revenue: number; count: number }>();
    for (const order of placed) {
      const day = `${order.createdAt.toISOString().slice(0, 10)}T00:00:00.000Z`;
      const sum = expected.get(day) ?? { revenue: 0, count: 0 };
      expected.set(day, { revenue: sum.revenue + order.grandTotal, count: sum.count + 1 });
    }
    expect(answer.body.data.rows).toEqual(
      [...expected]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, v]) => ({ currency: "USD", "createdAt.day": day, ...v })),
    );
    expect(answer.body.data.columns.map((c: { name: string }) => c.name)).toEqual([
      "currency",
      "createdAt.day",
      "revenue",
      "count",
    ]);
    expect(answer.body.data.columns[1]).toMatchObject({
      kind: "timeDimension",
      member: "createdAt",
      type: "time",
      granularity: "day",
    });
    expect(answer.body.data.truncated).toBe(false);

    // Buckets follow the time zone: 2025-03-02T00:00Z (March 2nd in UTC) is still March 1st in New York.
    const ny = await query({
      model: "orders",
      measures: ["revenue"],
      timeDimension: { dimension: "createdAt", granularity: "day" },
      dateRange: { from: "2025-03-01T00:00:00Z", to: "2025-03-03T00:00:00Z" },
      timezone: "America/New_York",
    });
    expect(ny.body.data.rows).toEqual([
      { currency: "USD", "createdAt.day": "2025-03-01T05:00:00.000Z", revenue: 1200 + 800 + 4321 },
    ]);

    const byStatus = await query({
      model: "orders",
      measures: ["revenue"],
      dimensions: ["status"],
      dateRange: { from: "2025-03-01", to: "2025-03-04" },
      filters: [{ member: "status", operator: "in", values: ["confirmed", "fulfilled"] }],
      order: [{ member: "status", direction: "asc" }],
    });
    expect(byStatus.body.data.rows).toEqual([
      { status: "confirmed", currency: "USD", revenue: 1200 + 4321 },
      { status: "fulfilled", currency: "USD", revenue: 999 },
    ]);
  });

  it("counts a real checkout: its units, line revenue and grand total", async () => {
    const product = await productWithStock(t, { price: 2500 });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 2 }]);
    const order = (await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cartId) })).body.data;
    const created = await t.app.db.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    const answer = await query({
      model: "orderLines",
      measures: ["unitsSold", "revenue", "orders"],
      dimensions: ["product"],
      filters: [{ member: "product", operator: "equals", values: [product.id] }],
    });
    expect(answer.body.data.rows).toEqual([
      { product: product.id, currency: "USD", unitsSold: 2, revenue: 5000, orders: 1 },
    ]);

    const totals = await query({
      model: "orders",
      measures: ["revenue", "count"],
      dateRange: { from: created.createdAt.toISOString(), to: new Date(created.createdAt.getTime() + 1).toISOString() },
    });
    expect(totals.body.data.rows).toEqual([{ currency: "USD", revenue: created.grandTotal, count: 1 }]);
    expect(created.grandTotal).toBe(order.totals.total);
  });

  it("never adds up different currencies", async () => {
    await orderAt("2025-04-01T10:00:00Z", 1000, { currency: "USD" });
    await orderAt("2025-04-01T11:00:00Z", 3000, { currency: "EUR" });
    await orderAt("2025-04-01T12:00:00Z", 500, { currency: "EUR" });
    const answer = await query({
      model: "orders",
      measures: ["revenue", "averageOrderValue"],
      dateRange: { from: "2025-04-01", to: "2025-04-01" },
      order: [{ member: "revenue", direction: "desc" }],
    });
    expect(answer.body.data.rows).toEqual([
      { currency: "EUR", revenue: 3500, averageOrderValue: 1750 },
      { currency: "USD", revenue: 1000, averageOrderValue: 1000 },
    ]);
    // A filter on a measure applies to the grouped rows.
    const large = await query({
      model: "orders",
      measures: ["revenue"],
      dateRange: { from: "2025-04-01", to: "2025-04-01" },
      filters: [{ member: "revenue", operator: "gt", values: ["2000"] }],
    });
    expect(large.body.data.rows).toEqual([{ currency: "EUR", revenue: 3500 }]);
  });

  it("breaks sales down by category and brand without counting a line twice", async () => {
    const tote = await product(1000, { slug: "analytics-tote" });
    const mug = await product(1000, { slug: "analytics-mug" });
    const bags = await send("POST", "/api/catalog/categories", { name: "Bags", slug: "an-bags" });
    const gifts = await send("POST", "/api/catalog/categories", { name: "Gifts", slug: "an-gifts" });
    const acme = await send("POST", "/api/catalog/brands", { name: "Acme", slug: "an-acme" });
    await send("POST", `/api/catalog/entities/${tote}/categories/${bags.id}`);
    await send("POST", `/api/catalog/entities/${tote}/categories/${gifts.id}`);
    await send("POST", `/api/catalog/entities/${mug}/categories/${gifts.id}`);
    await send("POST", `/api/catalog/entities/${tote}/brands/${acme.id}`);
    await orderAt("2025-05-01T10:00:00Z", 3000, { entityId: tote, quantity: 3 });
    await orderAt("2025-05-02T10:00:00Z", 1000, { entityId: mug, quantity: 1 });
    const range = { from: "2025-05-01", to: "2025-05-02" };

    const byCategory = await query({
      model: "orderLines",
      measures: ["unitsSold", "revenue"],
      dimensions: ["category"],
      dateRange: range,
      order: [{ member: "category" }],
    });
    expect(byCategory.body.data.rows).toEqual([
      { category: "an-bags", currency: "USD", unitsSold: 3, revenue: 3000 },
      { category: "an-gifts", currency: "USD", unitsSold: 4, revenue: 4000 },
    ]);
    const byBrand = await query({
      model: "orderLines",
      measures: ["unitsSold"],
      dimensions: ["brand"],
      dateRange: range,
      order: [{ member: "brand" }],
    });
    expect(byBrand.body.data.rows).toEqual([
      { brand: "an-acme", unitsSold: 3 },
      { brand: null, unitsSold: 1 },
    ]);

    // Filtering on a category without grouping by it: the tote is in both, and still counts once.
    const filtered = await query({
      model: "orderLines",
      measures: ["unitsSold", "revenue"],
      dateRange: range,
      filters: [{ member: "category", operator: "in", values: ["an-bags", "an-gifts"] }],
    });
    expect(filtered.body.data.rows).toEqual([{ currency: "USD", unitsSold: 4, revenue: 4000 }]);
    const notBags = await query({
      model: "orderLines",
      measures: ["unitsSold"],
      dateRange: range,
      filters: [{ member: "category", operator: "notEquals", values: ["an-bags"] }],
    });
    expect(notBags.body.data.rows).toEqual([{ unitsSold: 1 }]);
  });

  it("takes refunds from the refund table", async () => {
    // Placed, paid (manual capture) and shipped through the API today; then partly refunded.
    const order = await insertOrder(t, { status: "fulfilled" });
    expect((await t.request("POST", `/api/orders/${order.id}/refunds`, { body: { amount: 1500 } })).status).toBe(201);
    const orders = await query({
      model: "orders",
      measures: ["revenue", "refunds", "netRevenue"],
      // The only order of this file that is shipped today.
      dateRange: { from: new Date().toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) },
      filters: [{ member: "status", operator: "equals", values: ["fulfilled"] }],
    });
    expect(orders.body.data.rows).toEqual([{ currency: "USD", revenue: 4200, refunds: 1500, netRevenue: 2700 }]);
    const refunds = await query({
      model: "refunds",
      measures: ["count", "amount"],
      dimensions: ["status"],
      filters: [{ member: "order", operator: "equals", values: [order.id] }],
    });
    expect(refunds.body.data.rows).toEqual([{ status: "succeeded", currency: "USD", count: 1, amount: 1500 }]);
  });

  it("reports stock and customers", async () => {
    const product = await productWithStock(t, { stock: 7 });
    const stock = await query({
      model: "inventory",
      measures: ["onHand", "available", "count"],
      dimensions: ["productSlug"],
      filters: [{ member: "product", operator: "equals", values: [product.id] }],
    });
    expect(stock.body.data.rows).toEqual([{ productSlug: product.slug, onHand: 7, available: 7, count: 1 }]);

    // One customer signed up and verified their email by the mailed link; a merchant created the other.
    const verifiedEmail = `an-1-${randomUUID().slice(0, 8)}@example.com`;
    const signedUp = await t.request("POST", "/api/auth/sign-up/email", {
      key: null,
      body: { email: verifiedEmail, password: "correct horse battery", name: "An One" },
    });
    expect(signedUp.status, JSON.stringify(signedUp.body)).toBe(200);
    await send("GET", "/api/jobs/run?queue=mail");
    const [link] = mailbox.linksTo(verifiedEmail);
    const verified = await t.request("GET", new URL(link!).pathname + new URL(link!).search, { key: null });
    expect(verified.status).toBe(200);
    await send("POST", "/api/customers", { email: `an-2-${randomUUID().slice(0, 8)}@example.com` });
    // Customers are counted by when they joined (today): the month buckets are read back, not assumed.
    const joined = await t.app.db.prisma.customer.findMany({
      where: { storeId: t.app.defaultStoreId },
      orderBy: { emailVerified: "asc" },
    });
    expect(joined.map((c) => c.emailVerified)).toEqual([false, true]);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const month = (d: Date) => `${d.toISOString().slice(0, 7)}-01T00:00:00.000Z`;
    const days = joined.map((c) => day(c.createdAt)).sort();
    const customers = await query({
      model: "customers",
      measures: ["count"],
      dimensions: ["emailVerified"],
      timeDimension: { dimension: "createdAt", granularity: "month" },
      dateRange: { from: days[0], to: days.at(-1) },
      order: [{ member: "emailVerified" }],
    });
    expect(customers.body.data.rows).toEqual(
      joined.map((c) => ({ emailVerified: c.emailVerified, "createdAt.month": month(c.createdAt), count: 1 })),
    );
  });

  it("is harmless against injection attempts in values and names", async () => {
    await orderAt("2025-08-01T10:00:00Z", 100);
    const attempts = ["confirmed' OR '1'='1", `x'); DROP TABLE "order"; --`, "confirmed\\' OR 1=1 --", "$1"];
    const injected = await query({
      model: "orders",
      measures: ["count"],
      dimensions: ["status"],
      filters: [{ member: "status", operator: "in", values: attempts }],
    });
    expect(injected.status).toBe(200);
    expect(injected.body.data.rows).toEqual([]);
    // LIKE wildcards are matched literally.
    const wildcard = await query({
      model: "orders",
      measures: ["count"],
      filters: [{ member: "status", operator: "contains", values: ["%"] }],
    });
    expect(wildcard.body.data.rows).toEqual([{ count: 0 }]);
    // Names are looked up, never spliced into SQL.
    const named = await query({
      model: "orders",
      measures: [`count"); DROP TABLE "order"; --`],
      dimensions: ["status; SELECT 1"],
    });
    expect(named.status).toBe(422);
    expect(named.body.error.details.map((d: { path: string }) => d.path)).toEqual(["measures.0", "dimensions.0"]);
    const nul = await query({
      model: "orders",
      measures: ["count"],
      filters: [{ member: "status", operator: "equals", values: ["a\u0000b"] }],
    });
    expect(nul.status).toBe(422);
    expect(nul.body.error.details[0].path).toBe("filters.0.values.0");
    const zone = await query({ model: "orders", measures: ["count"], timezone: 'UTC\'; DROP TABLE "order"; --' });
    expect(zone.status).toBe(422);
    expect(zone.body.error.details[0].path).toBe("timezone");

    const still = await query({
      model: "orders",
      measures: ["count"],
      dateRange: { from: "2025-08-01", to: "2025-08-01" },
    });
    expect(still.body.data.rows).toEqual([{ count: 1 }]);
  });

  it("answers 422 with field-level details for anything unknown or malformed, never 500", async () => {
    const cases: [unknown, string, string][] = [
      [{ model: "vendors", measures: ["count"] }, "model", "unknown_model"],
      [{ model: "orders", measures: ["profit"] }, "measures.0", "unknown_measure"],
      [{ model: "orders", measures: ["count"], dimensions: ["vendor"] }, "dimensions.0", "unknown_dimension"],
      [{ model: "orders", measures: ["count"], dimensions: ["createdAt"] }, "dimensions.0", "time_dimension"],
      [
        { model: "orders", measures: ["count"], timeDimension: { dimension: "status", granularity: "day" } },
        "timeDimension.dimension",
        "unknown_dimension",
      ],
      [
        { model: "orders", measures: ["count"], filters: [{ member: "nope", operator: "equals", values: ["a"] }] },
        "filters.0.member",
        "unknown_member",
      ],
      [
        { model: "orders", measures: ["count"], filters: [{ member: "status", operator: "gt", values: ["a"] }] },
        "filters.0.operator",
        "unsupported_operator",
      ],
      [
        { model: "orders", measures: ["count"], filters: [{ member: "status", operator: "in", values: [] }] },
        "filters.0.values",
        "invalid_count",
      ],
      [
        {
          model: "orders",
          measures: ["count"],
          filters: [{ member: "customer", operator: "equals", values: ["not-a-uuid"] }],
        },
        "filters.0.values.0",
        "invalid_value",
      ],
      [
        {
          model: "orders",
          measures: ["count"],
          filters: [{ member: "createdAt", operator: "gte", values: ["yesterday"] }],
        },
        "filters.0.values.0",
        "invalid_value",
      ],
      [{ model: "orders", measures: ["count"], dateRange: { from: "2025-13-45" } }, "dateRange.from", "custom"],
      [{ model: "orders", measures: ["count"], dateRange: { to: "0000-01-01" } }, "dateRange.to", "custom"],
      [
        { model: "orders", measures: ["count"], filters: [{ member: "revenue", operator: "gt", values: ["1e9"] }] },
        "filters.0.values.0",
        "invalid_value",
      ],
      [
        {
          model: "orders",
          measures: ["count"],
          filters: [{ member: "hasPromotion", operator: "equals", values: ["yes"] }],
        },
        "filters.0.values.0",
        "invalid_value",
      ],
      [
        { model: "orders", measures: ["count"], filters: [{ member: "status", operator: "set", values: ["x"] }] },
        "filters.0.values",
        "unexpected",
      ],
      [{ model: "orders", measures: ["count", "count"] }, "measures.1", "duplicate"],
      [{ model: "orders", measures: ["count"], timezone: "Mars/Olympus" }, "timezone", "invalid_timezone"],
      [
        { model: "orders", measures: ["count"], dateRange: { from: "2025-03-02", to: "2025-03-01" } },
        "dateRange.to",
        "before_from",
      ],
      [{ model: "orders", measures: ["count"], order: [{ member: "revenue" }] }, "order.0.member", "not_selected"],
      [{ model: "orders", measures: ["count"], limit: 5000 }, "limit", "too_big"],
      [{ model: "orders" }, "measures", "empty"],
    ];
    for (const [body, path, code] of cases) {
      const answer = await query(body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.error.code).toBe("VALIDATION_FAILED");
      expect(answer.body.error.details, JSON.stringify(body)).toContainEqual(
        expect.objectContaining({ path, code, message: expect.any(String) }),
      );
    }
    // Operators and granularities are enums of the schema: GraphQL's own coercion names the field.
    const operator = await query({
      model: "orders",
      measures: ["count"],
      filters: [{ member: "status", operator: "like", values: ["a"] }],
    });
    expect(operator.status).toBe(422);
    expect(operator.body.error.details[0]).toMatchObject({ path: "filters.0.operator" });
    const unknownKey = await query({ model: "orders", measures: ["count"], groupBy: ["status"] });
    expect(unknownKey.status).toBe(422);
    expect(unknownKey.body.error.details[0]).toMatchObject({ path: "groupBy", code: "unrecognized_key" });
    expect((await query({})).status).toBe(422);
  });

  it("honours the row limit and says when rows were left out", async () => {
    for (const day of ["01", "02", "03", "04", "05"]) await orderAt(`2025-09-${day}T10:00:00Z`, 100);
    const base = {
      model: "orders",
      measures: ["count"],
      timeDimension: { dimension: "createdAt", granularity: "day" },
      dateRange: { from: "2025-09-01", to: "2025-09-05" },
    };
    const limited = await query({ ...base, limit: 2 });
    expect(limited.body.data.rows.map((r: Record<string, string>) => r["createdAt.day"])).toEqual([
      "2025-09-01T00:00:00.000Z",
      "2025-09-02T00:00:00.000Z",
    ]);
    expect(limited.body.data).toMatchObject({ limit: 2, truncated: true });
    const next = await query({ ...base, limit: 2, offset: 4 });
    expect(next.body.data.rows.map((r: Record<string, string>) => r["createdAt.day"])).toEqual([
      "2025-09-05T00:00:00.000Z",
    ]);
    expect(next.body.data.truncated).toBe(false);
    const all = await query(base);
    expect(all.body.data).toMatchObject({ limit: 100, truncated: false });
    expect(all.body.data.rows).toHaveLength(5);
  });

  it("needs analytics:read and stays within the caller's store", async () => {
    const body = {
      model: "orders",
      measures: ["count", "revenue"],
      dateRange: { from: "2025-10-01", to: "2025-10-01" },
    };
    expect((await query(body, null)).status).toBe(401);
    expect((await query(body, await t.createKey(["orders:read"]))).status).toBe(403);
    expect((await t.request("GET", "/api/analytics/meta", { key: null })).status).toBe(401);
    expect((await t.request("GET", "/api/analytics/meta", { key: await t.createKey(["orders:*"]) })).status).toBe(403);

    const other = await send("POST", "/api/stores", { slug: "analytics-b", name: "B" });
    const otherKey = (
      await send("POST", "/api/api-keys", { name: "store B merchant", permissions: ["*:*"], storeId: other.id })
    ).secret as string;
    await orderAt("2025-10-01T10:00:00Z", 111);
    await orderAt("2025-10-01T11:00:00Z", 90_000, { key: otherKey });
    await orderAt("2025-10-01T12:00:00Z", 10_000, { key: otherKey });

    const ours = await query(body, await t.createKey(["analytics:read"]));
    expect(ours.status).toBe(200);
    expect(ours.body.data.rows).toEqual([{ currency: "USD", count: 1, revenue: 111 }]);
    const theirs = await query(body, await t.createKey(["analytics:read"], other.id));
    expect(theirs.body.data.rows).toEqual([{ currency: "USD", count: 2, revenue: 100_000 }]);
  });
});

describe("GET /api/analytics/meta", () => {
  it("lists the models with their measures and dimensions", async () => {
    const answer = await t.request("GET", "/api/analytics/meta", { key: await t.createKey(["analytics:read"]) });
    expect(answer.status).toBe(200);
    const meta = answer.body.data;
    expect(meta.models.map((m: { name: string }) => m.name)).toEqual([
      "orders",
      "orderLines",
      "customers",
      "refunds",
      "inventory",
    ]);
    const model = (name: string) => meta.models.find((m: { name: string }) => m.name === name);
    const names = (members: { name: string }[]) => members.map((m) => m.name);
    expect(names(model("orders").measures)).toEqual(
      expect.arrayContaining(["count", "revenue", "averageOrderValue", "refunds"]),
    );
    expect(names(model("orders").dimensions)).toEqual(expect.arrayContaining(["status", "currency", "createdAt"]));
    expect(names(model("orderLines").measures)).toEqual(expect.arrayContaining(["unitsSold", "revenue"]));
    expect(names(model("orderLines").dimensions)).toEqual(
      expect.arrayContaining(["product", "category", "brand", "status", "currency"]),
    );
    expect(model("orders").measures.find((m: { name: string }) => m.name === "revenue")).toMatchObject({
      type: "money",
      operators: expect.arrayContaining(["gt"]),
    });
    expect(model("orders").dimensions.find((d: { name: string }) => d.name === "status")).toMatchObject({
      type: "string",
      operators: expect.arrayContaining(["in", "contains"]),
    });
    expect(model("orders")).toMatchObject({ defaultTimeDimension: "createdAt", currencyDimension: "currency" });
    // No vendor model exists yet, so no vendor dimension is offered.
    expect(JSON.stringify(meta)).not.toMatch(/vendor/i);
    expect(meta.granularities).toEqual(["hour", "day", "week", "month", "quarter", "year"]);
    expect(meta.limits).toEqual({ defaultRows: 100, maxRows: 1000, timeoutMs: 5000 });
  });

  it("documents the query format with an example in the OpenAPI description", async () => {
    const doc = (await t.request("GET", "/api/doc")).body;
    const operation = doc.paths["/api/analytics/query"].post;
    expect(operation.description).toContain("timeDimension");
    expect(operation.description).toContain("analytics:read");
    const example = operation.requestBody.content["application/json"].example;
    expect(example).toMatchObject({ model: "orders", measures: expect.arrayContaining(["revenue"]) });
    // The example is a valid query.
    expect((await query(example)).status).toBe(200);
    expect(doc.paths["/api/analytics/meta"].get.summary).toBe("List available models, measures, and dimensions");
  });
});

describe("analytics over GraphQL", () => {
  it("runs the same query, and reports invalid ones as VALIDATION_FAILED with field errors", async () => {
    await orderAt("2025-11-01T10:00:00Z", 2500);
    await orderAt("2025-11-01T11:00:00Z", 500);
    const operation = `query ($input: AnalyticsQueryInput!) { analyticsQuery(input: $input) { columns { name type } rows truncated } }`;
    const input = {
      model: "orders",
      measures: ["revenue", "count"],
      timeDimension: { dimension: "createdAt", granularity: "month" },
      dateRange: { from: "2025-11-01", to: "2025-11-30" },
    };
    const answer = await t.graphql(operation, { input });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.analyticsQuery.rows).toEqual([
      { currency: "USD", "createdAt.month": "2025-11-01T00:00:00.000Z", revenue: 3000, count: 2 },
    ]);
    expect(answer.body.data.analyticsQuery.columns).toContainEqual({ name: "revenue", type: "money" });
    const rest = await query(input);
    expect(rest.body.data.rows).toEqual(answer.body.data.analyticsQuery.rows);

    const invalid = await t.graphql(operation, { input: { model: "orders", measures: ["profit"] } });
    expect(invalid.body.errors[0].extensions).toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: [expect.objectContaining({ path: "measures.0", code: "unknown_measure" })],
    });
    const anonymous = await t.graphql(`{ analyticsMeta { models { name } } }`, {}, null);
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHORIZED");
  });
});

describe("analytics safety", () => {
  it("cancels a query that runs past the statement timeout on PostgreSQL (PGlite cannot interrupt one)", async () => {
    const slow: Record<string, ModelDef> = {
      slowOrders: {
        ...MODELS.orders!,
        measures: {
          slow: {
            title: "Slow",
            description: "Sleeps once.",
            type: "integer",
            sql: "COUNT(*) + (SELECT 0 FROM pg_sleep(0.3))",
          },
        },
      },
    };
    const scope = { prisma: t.app.db.prisma, storeId: t.app.defaultStoreId };
    const run = runAnalyticsQuery(scope, { model: "slowOrders", measures: ["slow"] }, { timeoutMs: 50, models: slow });
    if (t.app.db.kind === "postgres") {
      const error = await run.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fieldErrors[0]).toMatchObject({ code: "timeout" });
    } else {
      // The setting is accepted and has no effect: the query completes.
      expect((await run).rows).toHaveLength(1);
    }
  });

  it("keeps every measure free of fan-out joins and member names unique within a model", () => {
    for (const [name, model] of Object.entries(MODELS)) {
      const members = [...Object.keys(model.measures), ...Object.keys(model.dimensions)];
      expect(new Set(members).size, name).toBe(members.length);
      for (const measure of Object.values(model.measures)) {
        for (const join of measure.joins ?? []) expect(model.joins[join]?.fanOut, `${name}: ${join}`).toBeFalsy();
      }
      expect(model.dimensions[model.defaultTimeDimension]?.type, name).toBe("time");
      if (model.currencyDimension) expect(model.dimensions[model.currencyDimension]?.type, name).toBe("string");
    }
  });
});
