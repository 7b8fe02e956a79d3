import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { planStore, type SeedReport, seedDemoStore, seedSizeFrom } from "../../scripts/seed/demo-store.js";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";
import { freshDatabase } from "../helpers/server-process.js";

/**
 * The demo seed (`npm run seed`): a store through the public API, the same on every run, and a second
 * run that adds nothing.
 */
const SIZE = { products: 16, customers: 4, orders: 12 };

const COUNTS = `{
  catalogEntities(first: 1) { totalCount }
  customers(first: 1) { totalCount }
  orders(first: 1) { totalCount }
  categories(first: 1) { totalCount }
  brands(first: 1) { totalCount }
  warehouses(first: 1) { totalCount }
}`;

describe("demo seed", () => {
  const t = useTestApp();
  const backdated: { orderId: string; at: Date }[] = [];
  const seed = (size = SIZE) =>
    seedDemoStore({
      fetch: (request) => t.app.fetch(request),
      apiKey: ADMIN_KEY,
      size,
      backdateOrder: async (orderId, at) => {
        backdated.push({ orderId, at });
        await t.app.db.sql.query(`UPDATE "order" SET "createdAt" = $1 WHERE id = $2::uuid`, [
          at.toISOString(),
          orderId,
        ]);
      },
    });
  const counts = async () => {
    const res = await t.graphql(COUNTS);
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data;
    return {
      products: d.catalogEntities.totalCount,
      customers: d.customers.totalCount,
      orders: d.orders.totalCount,
      categories: d.categories.totalCount,
      brands: d.brands.totalCount,
      warehouses: d.warehouses.totalCount,
    };
  };
  let first: SeedReport;

  it("loads products with variants, prices and stock, customers and orders in several states", async () => {
    first = await seed();
    expect(first.alreadySeeded).toBe(false);
    expect(first.created).toMatchObject({ products: 16, customers: 4, orders: 12, categories: 8, brands: 6 });
    expect(await counts()).toEqual({ products: 16, customers: 4, orders: 12, categories: 8, brands: 6, warehouses: 2 });

    // Variants with stock and a price the storefront resolves.
    const entities = await t.graphql(`{ catalogEntities(first: 100) { edges { node {
      id slug price(currency: "USD") { amount } variants { id sku price(currency: "USD") { amount } } } } } }`);
    expect(entities.body.errors).toBeUndefined();
    const nodes = entities.body.data.catalogEntities.edges.map((e: any) => e.node);
    expect(first.created.variants).toBe(nodes.reduce((n: number, e: any) => n + e.variants.length, 0));
    expect(nodes.filter((e: any) => e.variants.length > 1).length).toBeGreaterThan(5);
    expect(nodes.every((e: any) => e.slug.startsWith("demo-") && e.price.amount > 0)).toBe(true);
    expect(nodes.flatMap((e: any) => e.variants).every((v: any) => v.sku && v.price.amount > 0)).toBe(true);
    // Stock: most items on hand (one in ten planned sold out), what the orders hold reserved or shipped.
    const check = await t.request(
      "GET",
      `/api/inventory/check?entityIds=${nodes
        .slice(0, 10)
        .map((e: any) => e.id)
        .join(",")}`,
    );
    expect(check.status).toBe(200);
    expect(check.body.data.filter((level: any) => level.onHand > 0).length).toBeGreaterThanOrEqual(5);

    // Every order reached its planned status, through captures, fulfillments, cancellations and refunds.
    const planned = planStore(SIZE).orders;
    const orders = await t.graphql(
      `{ orders(first: 100) { edges { node { id status paymentStatus metadata totals { total } } } } }`,
    );
    const byKey = new Map(orders.body.data.orders.edges.map((e: any) => [e.node.metadata.demoSeed, e.node]));
    for (const order of planned) expect((byKey.get(order.key) as any)?.status, order.key).toBe(order.status);
    const statuses = new Set(planned.map((o) => o.status));
    expect(statuses.size).toBeGreaterThanOrEqual(4);
    for (const node of byKey.values() as Iterable<any>) {
      expect(node.totals.total).toBeGreaterThan(0);
      if (node.status === "refunded") expect(node.paymentStatus).toBe("refunded");
      if (["confirmed", "processing", "fulfilled", "partially_fulfilled"].includes(node.status))
        expect(node.paymentStatus).toBe("paid");
    }
    // Orders spread over the last 30 days, for the dashboard's chart.
    expect(backdated).toHaveLength(12);
    const days = await t.graphql(`query ($input: AnalyticsQueryInput!) { analyticsQuery(input: $input) { rows } }`, {
      input: { model: "orders", measures: ["count"], timeDimension: { dimension: "createdAt", granularity: "day" } },
    });
    expect(days.body.data.analyticsQuery.rows.length).toBeGreaterThan(1);
  }, 240_000);

  it("adds nothing the second time and says so", async () => {
    const before = await counts();
    const auditBefore = await t.app.db.prisma.auditEntry.count();
    const again = await seed();
    expect(again.alreadySeeded).toBe(true);
    expect(again.created).toEqual({ categories: 0, brands: 0, products: 0, variants: 0, customers: 0, orders: 0 });
    expect(again.existing).toEqual({ products: 16, customers: 4, orders: 12 });
    expect(await counts()).toEqual(before);
    expect(await t.app.db.prisma.auditEntry.count()).toBe(auditBefore);
  }, 60_000);

  it("a larger size later adds only the difference", async () => {
    const grown = await seed({ products: 18, customers: 5, orders: 13 });
    expect(grown.alreadySeeded).toBe(false);
    expect(grown.created).toMatchObject({ products: 2, customers: 1, orders: 1, categories: 0, brands: 0 });
    expect(await counts()).toMatchObject({ products: 18, customers: 5, orders: 13 });
  }, 120_000);

  it("reads its sizes from SEED_PRODUCTS, SEED_CUSTOMERS and SEED_ORDERS", () => {
    expect(seedSizeFrom({})).toEqual({ products: 300, customers: 50, orders: 150 });
    expect(seedSizeFrom({ SEED_PRODUCTS: "20" })).toEqual({ products: 20, customers: 3, orders: 10 });
    expect(seedSizeFrom({ SEED_PRODUCTS: "20", SEED_ORDERS: "3" }).orders).toBe(3);
    expect(() => seedSizeFrom({ SEED_PRODUCTS: "many" })).toThrow(/SEED_PRODUCTS/);
  });
});

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** `npm run seed` as a user runs it: a process of its own on the configured database. */
function runSeed(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { DATABASE_URL: _url, DATA_DIR: _dir, REDIS_URL: _redis, ADMIN_API_KEY: _key, ...inherited } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/seed.ts"], {
      cwd: ROOT,
      // PORT 0: no server to look for (the script refuses to share an embedded database with one on its port).
      env: { ...inherited, LOG_LEVEL: "warn", PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("npm run seed", () => {
  it("seeds the configured database once; the second run reports it is already seeded", async () => {
    const database = await freshDatabase("seed");
    try {
      const env = { ...database.env, SEED_PRODUCTS: "6", SEED_CUSTOMERS: "2", SEED_ORDERS: "4" };
      const first = await runSeed(env);
      expect(first.code, first.output).toBe(0);
      expect(first.output).toMatch(/Added 6 products \(\d+ variants\), 2 customers, 4 orders/);
      const second = await runSeed(env);
      expect(second.code, second.output).toBe(0);
      expect(second.output).toMatch(/Already seeded: 6 products, 2 customers and 4 orders/);
      expect(second.output).not.toMatch(/Added/);
    } finally {
      await database.drop();
    }
  }, 300_000);
});
