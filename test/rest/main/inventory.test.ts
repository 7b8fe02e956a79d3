import { describe, expect, it } from "vitest";
import { consumeReservations, releaseReservations, reserveStock } from "../../../src/domain/inventory/reservations.js";
import { useTestApp } from "../../helpers/app.js";
import { createStore } from "../../helpers/merchant.js";

const t = useTestApp();

const MISSING = "00000000-0000-4000-8000-000000000000";
let seq = 0;

async function createEntity(status: "active" | "draft" = "active") {
  const res = await t.request("POST", "/api/catalog/entities", {
    body: { type: "product", slug: `stock-${++seq}`, status },
  });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

/** Variants of one option type (one variant per value), so each has its own option combination. */
async function createVariants(entityId: string, count: number) {
  const values = Array.from({ length: count }, (_, i) => ({ value: `v${i}` }));
  const option = await t.request("POST", `/api/catalog/entities/${entityId}/options`, {
    body: { name: `Opt${++seq}`, values },
  });
  expect(option.status, JSON.stringify(option.body)).toBe(201);
  const ids: string[] = [];
  for (const value of option.body.data.values as { id: string }[]) {
    const res = await t.request("POST", `/api/catalog/entities/${entityId}/variants`, {
      body: { sku: `SKU-${++seq}`, optionValueIds: [value.id] },
    });
    expect(res.status).toBe(201);
    ids.push(res.body.data.id);
  }
  return ids;
}

async function createVariant(entityId: string) {
  return (await createVariants(entityId, 1))[0]!;
}

async function createWarehouse(code = `WH-${++seq}`) {
  const res = await t.request("POST", "/api/inventory/warehouses", { body: { code, name: `Warehouse ${code}` } });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

async function adjust(body: Record<string, unknown>, key?: string | null) {
  return t.request("POST", "/api/inventory/adjust", { body, key });
}

/** An entity with `onHand` units in a fresh warehouse. */
async function stocked(onHand: number) {
  const entityId = await createEntity();
  const warehouseId = await createWarehouse();
  const res = await adjust({ entityId, warehouseId, type: "restock", quantity: onHand });
  expect(res.status).toBe(200);
  return { entityId, warehouseId };
}

async function level(entityId: string, warehouseId: string, variantId: string | null = null) {
  return t.app.db.prisma.inventoryLevel.findUniqueOrThrow({
    where: { entityId_variantKey_warehouseId: { entityId, variantKey: variantId ?? "", warehouseId } },
  });
}

async function ledger(entityId: string) {
  return t.app.db.prisma.inventoryAdjustment.findMany({
    where: { level: { entityId } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { type: true, delta: true, reason: true, reference: true },
  });
}

describe("POST /api/inventory/warehouses", () => {
  it("creates a warehouse (201) and refuses a duplicate code in the same store (409)", async () => {
    const res = await t.request("POST", "/api/inventory/warehouses", {
      body: { code: "MAIN", name: "Main warehouse", address: { city: "Lisbon", country: "PT" } },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      code: "MAIN",
      name: "Main warehouse",
      address: { city: "Lisbon", country: "PT" },
      active: true,
    });
    expect(res.body.data.id).toMatch(/^[0-9a-f-]{36}$/);

    const dup = await t.request("POST", "/api/inventory/warehouses", { body: { code: "MAIN", name: "Again" } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("CONFLICT");
    expect(dup.body.error.message).toContain("code");
  });

  it("validates with field paths (422)", async () => {
    const res = await t.request("POST", "/api/inventory/warehouses", { body: { code: "has space", name: "" } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["code", "name"]);
    const missing = await t.request("POST", "/api/inventory/warehouses", { body: { name: "No code" } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: "code", code: "required" })]);
  });

  it("needs a key (401) with inventory:update (403)", async () => {
    const body = { code: "PERM", name: "Perm" };
    expect((await t.request("POST", "/api/inventory/warehouses", { key: null, body })).status).toBe(401);
    const reader = await t.createKey(["inventory:read", "catalog:*"]);
    const forbidden = await t.request("POST", "/api/inventory/warehouses", { key: reader, body });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("FORBIDDEN");
    const writer = await t.createKey(["inventory:update"]);
    expect((await t.request("POST", "/api/inventory/warehouses", { key: writer, body })).status).toBe(201);
  });
});

describe("GET /api/inventory/warehouses", () => {
  it("lists the store's warehouses by code with page/limit pagination", async () => {
    const other = await createStore(t, { slug: "inventory-b", name: "Store B" });
    const keyB = await t.createKey(["inventory:*"], other.id);
    for (const code of ["LIST-C", "LIST-A", "LIST-B"]) await createWarehouse(code);
    expect(
      (await t.request("POST", "/api/inventory/warehouses", { key: keyB, body: { code: "LIST-A", name: "B's own" } }))
        .status,
    ).toBe(201);

    const all = await t.request("GET", "/api/inventory/warehouses?limit=100");
    const codes = all.body.data.map((w: { code: string }) => w.code);
    expect(codes.filter((c: string) => c.startsWith("LIST-"))).toEqual(["LIST-A", "LIST-B", "LIST-C"]);
    expect(codes).toEqual([...codes].sort());

    const page = await t.request("GET", "/api/inventory/warehouses?limit=2&page=2");
    expect(page.status).toBe(200);
    expect(page.body.meta.pagination).toEqual({
      page: 2,
      limit: 2,
      total: all.body.data.length,
      totalPages: Math.ceil(all.body.data.length / 2),
    });
    expect(page.body.data.map((w: { code: string }) => w.code)).toEqual(codes.slice(2, 4));

    const listB = await t.request("GET", "/api/inventory/warehouses", { key: keyB });
    expect(listB.body.data.map((w: { name: string }) => w.name)).toEqual(["B's own"]);
    expect((await t.request("GET", "/api/inventory/warehouses?page=0")).status).toBe(422);
  });

  it("needs inventory:read", async () => {
    expect((await t.request("GET", "/api/inventory/warehouses", { key: null })).status).toBe(401);
    const catalog = await t.createKey(["catalog:*"]);
    expect((await t.request("GET", "/api/inventory/warehouses", { key: catalog })).status).toBe(403);
    const reader = await t.createKey(["inventory:read"]);
    expect((await t.request("GET", "/api/inventory/warehouses", { key: reader })).status).toBe(200);
  });
});

describe("POST /api/inventory/adjust", () => {
  it("creates the level on first restock and applies every type, with a ledger row each", async () => {
    const entityId = await createEntity();
    const warehouseId = await createWarehouse();
    const steps: [string, number, number][] = [
      ["restock", 10, 10],
      ["restock", 5, 15],
      ["sale", 3, 12],
      ["return", 1, 13],
      ["damage", 2, 11],
      ["correction", 20, 20],
      ["correction", 0, 0],
    ];
    for (const [type, quantity, onHand] of steps) {
      const res = await adjust({ entityId, warehouseId, type, quantity, reason: `${type} ${quantity}` });
      expect(res.status, type).toBe(200);
      expect(res.body.data).toEqual({ entityId, variantId: null, warehouseId, onHand, reserved: 0, available: onHand });
    }
    expect(await ledger(entityId)).toEqual([
      { type: "restock", delta: 10, reason: "restock 10", reference: null },
      { type: "restock", delta: 5, reason: "restock 5", reference: null },
      { type: "sale", delta: -3, reason: "sale 3", reference: null },
      { type: "return", delta: 1, reason: "return 1", reference: null },
      { type: "damage", delta: -2, reason: "damage 2", reference: null },
      { type: "correction", delta: 9, reason: "correction 20", reference: null },
      { type: "correction", delta: -20, reason: "correction 0", reference: null },
    ]);
    // One level, whatever the number of adjustments.
    expect(await t.app.db.prisma.inventoryLevel.count({ where: { entityId } })).toBe(1);
  });

  it("keeps variant stock apart from the entity's own stock", async () => {
    const entityId = await createEntity();
    const variantId = await createVariant(entityId);
    const warehouseId = await createWarehouse();
    const res = await adjust({ entityId, variantId, warehouseId, type: "restock", quantity: 4 });
    expect(res.body.data).toEqual({ entityId, variantId, warehouseId, onHand: 4, reserved: 0, available: 4 });
    await adjust({ entityId, warehouseId, type: "restock", quantity: 1 });
    expect((await level(entityId, warehouseId, variantId)).onHand).toBe(4);
    expect((await level(entityId, warehouseId)).onHand).toBe(1);
  });

  it("refuses to take available below zero (409 InsufficientStockError) and changes nothing", async () => {
    const { entityId, warehouseId } = await stocked(5);
    const reserve = await t.request("POST", "/api/inventory/reserve", { body: { entityId, warehouseId, quantity: 2 } });
    expect(reserve.status).toBe(201);

    const sale = await adjust({ entityId, warehouseId, type: "sale", quantity: 4 });
    expect(sale.status).toBe(409);
    expect(sale.body.error).toMatchObject({
      code: "CONFLICT",
      message: "Only 3 available, 4 requested.",
      details: { entityId, variantId: null, requested: 4, available: 3 },
    });
    expect((await adjust({ entityId, warehouseId, type: "damage", quantity: 4 })).status).toBe(409);
    // A count below what is reserved is refused too: the reserved units are promised.
    const correction = await adjust({ entityId, warehouseId, type: "correction", quantity: 1 });
    expect(correction.status).toBe(409);
    expect(correction.body.error.details).toMatchObject({ requested: 4, available: 3 });
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 5, reserved: 2 });
    expect((await ledger(entityId)).map((l) => l.type)).toEqual(["restock"]);

    // Exactly down to the reserved quantity is fine.
    const exact = await adjust({ entityId, warehouseId, type: "sale", quantity: 3 });
    expect(exact.body.data).toMatchObject({ onHand: 2, reserved: 2, available: 0 });
    const corrected = await adjust({ entityId, warehouseId, type: "correction", quantity: 2 });
    expect(corrected.status).toBe(200);
    // Selling from a level that does not exist yet: nothing is available.
    const otherWarehouse = await createWarehouse();
    const none = await adjust({ entityId, warehouseId: otherWarehouse, type: "sale", quantity: 1 });
    expect(none.status).toBe(409);
    expect(none.body.error.details).toMatchObject({ requested: 1, available: 0 });
    expect(await t.app.db.prisma.inventoryLevel.count({ where: { entityId, warehouseId: otherWarehouse } })).toBe(0);
  });

  it("is backed by CHECK constraints: onHand >= 0 and 0 <= reserved <= onHand, whatever writes", async () => {
    const { entityId, warehouseId } = await stocked(3);
    const { id } = await level(entityId, warehouseId);
    // Deliberately bad rows written behind the API: the database, not only the domain, must refuse them.
    const prisma = t.app.db.prisma;
    await expect(prisma.inventoryLevel.update({ where: { id }, data: { reserved: 4 } })).rejects.toThrow();
    await expect(prisma.inventoryLevel.update({ where: { id }, data: { onHand: -1 } })).rejects.toThrow();
    await expect(prisma.inventoryLevel.update({ where: { id }, data: { reserved: -1 } })).rejects.toThrow();
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it("validates the body with field paths (422)", async () => {
    const entityId = await createEntity();
    const warehouseId = await createWarehouse();
    const cases: [Record<string, unknown>, string][] = [
      [{ entityId, warehouseId, type: "restock", quantity: 0 }, "quantity"],
      [{ entityId, warehouseId, type: "sale", quantity: -1 }, "quantity"],
      [{ entityId, warehouseId, type: "correction", quantity: -1 }, "quantity"],
      [{ entityId, warehouseId, type: "restock", quantity: 1.5 }, "quantity"],
      [{ entityId, warehouseId, type: "theft", quantity: 1 }, "type"],
      [{ entityId, type: "restock", quantity: 1 }, "warehouseId"],
      [{ entityId: "not-a-uuid", warehouseId, type: "restock", quantity: 1 }, "entityId"],
      [{ entityId, warehouseId, variantId: "nope", type: "restock", quantity: 1 }, "variantId"],
      [{ entityId, warehouseId, type: "restock", quantity: 1, extra: true }, "extra"],
    ];
    for (const [body, path] of cases) {
      const res = await adjust(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(
        res.body.error.details.map((d: { path: string }) => d.path),
        JSON.stringify(body),
      ).toEqual([path]);
    }
    expect(await t.app.db.prisma.inventoryLevel.count({ where: { entityId } })).toBe(0);
  });

  it("answers 404 for an unknown entity, variant or warehouse, and 422 for another entity's variant", async () => {
    const entityId = await createEntity();
    const warehouseId = await createWarehouse();
    const noEntity = await adjust({ entityId: MISSING, warehouseId, type: "restock", quantity: 1 });
    expect(noEntity.status).toBe(404);
    expect(noEntity.body.error.message).toBe("Catalog entity not found.");
    const noWarehouse = await adjust({ entityId, warehouseId: MISSING, type: "restock", quantity: 1 });
    expect(noWarehouse.status).toBe(404);
    expect(noWarehouse.body.error.message).toBe("Warehouse not found.");
    const noVariant = await adjust({ entityId, variantId: MISSING, warehouseId, type: "restock", quantity: 1 });
    expect(noVariant.status).toBe(404);
    expect(noVariant.body.error.message).toBe("Variant not found.");

    const otherVariant = await createVariant(await createEntity());
    const foreign = await adjust({ entityId, variantId: otherVariant, warehouseId, type: "restock", quantity: 1 });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.details).toEqual([expect.objectContaining({ path: "variantId", code: "not_in_entity" })]);
  });

  it("keeps stores apart: another store's entity or warehouse is not found", async () => {
    const other = await createStore(t, { slug: "inventory-c", name: "Store C" });
    const keyC = await t.createKey(["inventory:*", "catalog:*"], other.id);
    const { entityId, warehouseId } = await stocked(1);
    const warehouseC = (
      await t.request("POST", "/api/inventory/warehouses", { key: keyC, body: { code: "C", name: "C" } })
    ).body.data.id;
    expect((await adjust({ entityId, warehouseId: warehouseC, type: "restock", quantity: 1 })).status).toBe(404);
    expect((await adjust({ entityId, warehouseId, type: "restock", quantity: 1 }, keyC)).status).toBe(404);
    expect(
      (await t.request("POST", "/api/inventory/reserve", { key: keyC, body: { entityId, quantity: 1 } })).status,
    ).toBe(404);
  });

  it("needs a key (401) with inventory:update (403)", async () => {
    const { entityId, warehouseId } = await stocked(1);
    const body = { entityId, warehouseId, type: "restock", quantity: 1 };
    expect((await adjust(body, null)).status).toBe(401);
    const reader = await t.createKey(["inventory:read", "catalog:*"]);
    expect((await adjust(body, reader)).status).toBe(403);
    const writer = await t.createKey(["inventory:update"]);
    expect((await adjust(body, writer)).body.data.onHand).toBe(2);
  });
});

describe("GET /api/inventory/check", () => {
  it("totals across warehouses and per variant; the breakdown only for inventory:read", async () => {
    const entityId = await createEntity();
    const [red, blue] = await createVariants(entityId, 2);
    const [w1, w2] = [await createWarehouse(), await createWarehouse()];
    await adjust({ entityId, variantId: red, warehouseId: w1, type: "restock", quantity: 5 });
    await adjust({ entityId, variantId: red, warehouseId: w2, type: "restock", quantity: 3 });
    await adjust({ entityId, warehouseId: w2, type: "restock", quantity: 2 });
    await t.request("POST", "/api/inventory/reserve", {
      body: { entityId, variantId: red, warehouseId: w1, quantity: 4 },
    });
    const plain = await stocked(7);

    const res = await t.request("GET", `/api/inventory/check?entityIds=${plain.entityId},${entityId},${MISSING}`, {
      key: null,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      { entityId: plain.entityId, onHand: 7, reserved: 0, available: 7, warehouses: null, variants: [] },
      {
        entityId,
        onHand: 10,
        reserved: 4,
        available: 6,
        warehouses: null,
        variants: [
          { variantId: red, onHand: 8, reserved: 4, available: 4 },
          { variantId: blue, onHand: 0, reserved: 0, available: 0 },
        ],
      },
    ]);

    const reader = await t.createKey(["inventory:read"]);
    const merchant = await t.request("GET", `/api/inventory/check?entityIds=${entityId}`, { key: reader });
    expect(merchant.body.data[0].warehouses).toHaveLength(3);
    expect(merchant.body.data[0].warehouses).toEqual(
      expect.arrayContaining([
        { warehouseId: w1, variantId: red, onHand: 5, reserved: 4, available: 1 },
        { warehouseId: w2, variantId: red, onHand: 3, reserved: 0, available: 3 },
        { warehouseId: w2, variantId: null, onHand: 2, reserved: 0, available: 2 },
      ]),
    );
  });

  it("leaves out drafts for the public but not for merchants", async () => {
    const draft = await createEntity("draft");
    const warehouseId = await createWarehouse();
    await adjust({ entityId: draft, warehouseId, type: "restock", quantity: 1 });
    expect((await t.request("GET", `/api/inventory/check?entityIds=${draft}`, { key: null })).body.data).toEqual([]);
    const merchant = await t.request("GET", `/api/inventory/check?entityIds=${draft},${draft}`);
    expect(merchant.body.data).toEqual([expect.objectContaining({ entityId: draft, available: 1 })]);
  });

  it("answers 422 for malformed, missing or too many ids", async () => {
    const entityId = await createEntity();
    const malformed = await t.request("GET", `/api/inventory/check?entityIds=${entityId},nope`, { key: null });
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.details).toEqual([expect.objectContaining({ path: "entityIds.1" })]);
    const missing = await t.request("GET", "/api/inventory/check", { key: null });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0].path).toBe("entityIds");
    const many = Array.from({ length: 101 }, () => entityId).join(",");
    const tooMany = await t.request("GET", `/api/inventory/check?entityIds=${many}`, { key: null });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.details[0].path).toBe("entityIds");
  });
});

describe("POST /api/inventory/reserve", () => {
  it("reserves from the warehouse with the most available and answers 201 with the reservation", async () => {
    const entityId = await createEntity();
    const [small, large] = [await createWarehouse(), await createWarehouse()];
    await adjust({ entityId, warehouseId: small, type: "restock", quantity: 3 });
    await adjust({ entityId, warehouseId: large, type: "restock", quantity: 5 });
    const orderId = "5f0c6a8e-1d2b-4c3d-8e9f-0a1b2c3d4e5f";

    const res = await t.request("POST", "/api/inventory/reserve", {
      body: { entityId, quantity: 4, reference: "cart 42", orderId, expiresInSeconds: 900 },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      entityId,
      variantId: null,
      warehouseId: large,
      quantity: 4,
      status: "active",
      orderId,
      cartId: null,
      reference: "cart 42",
    });
    const expiresIn = Date.parse(res.body.data.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(800_000);
    expect(expiresIn).toBeLessThanOrEqual(900_000);
    expect(await level(entityId, large)).toMatchObject({ onHand: 5, reserved: 4 });

    // large has 1 left, small 3: the next one comes from small; then 2 is more than any single warehouse has.
    const next = await t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 2 } });
    expect(next.body.data.warehouseId).toBe(small);
    const tooMuch = await t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 2 } });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.details).toEqual({ entityId, variantId: null, requested: 2, available: 1 });
    expect(await t.app.db.prisma.inventoryReservation.count({ where: { level: { entityId } } })).toBe(2);
  });

  it("reserves from the given warehouse only, and answers 404 for an unknown one", async () => {
    const { entityId, warehouseId } = await stocked(2);
    const empty = await createWarehouse();
    const fromEmpty = await t.request("POST", "/api/inventory/reserve", {
      body: { entityId, warehouseId: empty, quantity: 1 },
    });
    expect(fromEmpty.status).toBe(409);
    expect(fromEmpty.body.error.details.available).toBe(0);
    const ok = await t.request("POST", "/api/inventory/reserve", { body: { entityId, warehouseId, quantity: 2 } });
    expect(ok.body.data).toMatchObject({ warehouseId, quantity: 2 });
    expect(
      (await t.request("POST", "/api/inventory/reserve", { body: { entityId, warehouseId: MISSING, quantity: 1 } }))
        .status,
    ).toBe(404);
    expect(
      (await t.request("POST", "/api/inventory/reserve", { body: { entityId: MISSING, quantity: 1 } })).status,
    ).toBe(404);
  });

  it("validates (422), needs a key (401) with inventory:update (403)", async () => {
    const { entityId } = await stocked(5);
    const zero = await t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 0 } });
    expect(zero.status).toBe(422);
    expect(zero.body.error.details.map((d: { path: string }) => d.path)).toEqual(["quantity"]);
    const bad = await t.request("POST", "/api/inventory/reserve", {
      body: { entityId, quantity: 1, orderId: "x", expiresInSeconds: 0 },
    });
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["expiresInSeconds", "orderId"]);
    expect(
      (await t.request("POST", "/api/inventory/reserve", { body: { quantity: 1 } })).body.error.details[0].path,
    ).toBe("entityId");

    expect(
      (await t.request("POST", "/api/inventory/reserve", { key: null, body: { entityId, quantity: 1 } })).status,
    ).toBe(401);
    const reader = await t.createKey(["inventory:read"]);
    expect(
      (await t.request("POST", "/api/inventory/reserve", { key: reader, body: { entityId, quantity: 1 } })).status,
    ).toBe(403);
    expect(await t.app.db.prisma.inventoryReservation.count({ where: { level: { entityId } } })).toBe(0);
  });

  it("never oversells: 50 parallel reservations of 1 against a stock of 10", async () => {
    const { entityId, warehouseId } = await stocked(10);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 1 } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    for (const refused of results.filter((r) => r.status === 409)) {
      expect(refused.body.error.details).toMatchObject({ requested: 1, available: 0 });
    }
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 10, reserved: 10 });
    expect(await t.app.db.prisma.inventoryReservation.count({ where: { level: { entityId }, status: "active" } })).toBe(
      10,
    );
    const check = await t.request("GET", `/api/inventory/check?entityIds=${entityId}`, { key: null });
    expect(check.body.data[0]).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    const negative = await t.app.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM inventory_level WHERE "onHand" - reserved < 0`;
    expect(negative[0]!.n).toBe(0);
  });
  it("never oversells across warehouses: 30 parallel reservations against 4 + 3 + 3", async () => {
    const entityId = await createEntity();
    const warehouses = [await createWarehouse(), await createWarehouse(), await createWarehouse()];
    for (const [i, warehouseId] of warehouses.entries()) {
      await adjust({ entityId, warehouseId, type: "restock", quantity: i === 0 ? 4 : 3 });
    }
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 1 } }),
      ),
    );
    // Nothing else: in particular no 500 from a deadlock between the racing transactions.
    expect(results.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.body)).toEqual([]);
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409)).toHaveLength(20);
    for (const [i, warehouseId] of warehouses.entries()) {
      expect(await level(entityId, warehouseId)).toMatchObject({ onHand: i === 0 ? 4 : 3, reserved: i === 0 ? 4 : 3 });
    }
  });
});

describe("POST /api/inventory/release", () => {
  it("gives the quantity back once; a second release is 409 and changes nothing", async () => {
    const { entityId, warehouseId } = await stocked(5);
    const reservation = (await t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 3 } })).body
      .data;
    await t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 1 } });
    expect(await level(entityId, warehouseId)).toMatchObject({ reserved: 4 });

    const released = await t.request("POST", "/api/inventory/release", { body: { reservationId: reservation.id } });
    expect(released.status).toBe(200);
    expect(released.body.data).toMatchObject({
      id: reservation.id,
      status: "released",
      quantity: 3,
      entityId,
      warehouseId,
    });
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 5, reserved: 1 });

    const again = await t.request("POST", "/api/inventory/release", { body: { reservationId: reservation.id } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: "CONFLICT",
      details: { currentStatus: "released", requestedStatus: "released" },
    });
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 5, reserved: 1 });
  });

  it("lets exactly one of two racing releases win", async () => {
    const { entityId, warehouseId } = await stocked(5);
    await t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 1 } });
    const reservation = (await t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 2 } })).body
      .data;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.request("POST", "/api/inventory/release", { body: { reservationId: reservation.id } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 5, reserved: 1 });
  });

  it("answers 404 for unknown, malformed or other stores' reservations; 401 and 403 without the permission", async () => {
    const { entityId } = await stocked(2);
    const reservation = (await t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 1 } })).body
      .data;
    expect((await t.request("POST", "/api/inventory/release", { body: { reservationId: MISSING } })).status).toBe(404);
    expect((await t.request("POST", "/api/inventory/release", { body: { reservationId: "nope" } })).status).toBe(404);
    const missing = await t.request("POST", "/api/inventory/release", { body: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0].path).toBe("reservationId");
    const other = await createStore(t, { slug: "inventory-d", name: "Store D" });
    const keyD = await t.createKey(["inventory:*"], other.id);
    expect(
      (await t.request("POST", "/api/inventory/release", { key: keyD, body: { reservationId: reservation.id } }))
        .status,
    ).toBe(404);
    expect(
      (await t.request("POST", "/api/inventory/release", { key: null, body: { reservationId: reservation.id } }))
        .status,
    ).toBe(401);
    const reader = await t.createKey(["inventory:read"]);
    expect(
      (await t.request("POST", "/api/inventory/release", { key: reader, body: { reservationId: reservation.id } }))
        .status,
    ).toBe(403);
    const still = await t.app.db.prisma.inventoryReservation.findUniqueOrThrow({ where: { id: reservation.id } });
    expect(still.status).toBe("active");
  });
});

describe("GraphQL inventory mutations", () => {
  const adjustMutation = `mutation ($input: AdjustInventoryInput!) {
    adjustInventory(input: $input) {
      __typename
      ... on AdjustInventoryPayload { level { entityId onHand reserved available adjustments { type delta } } }
      ... on InsufficientStockError { code entityId variantId requested available }
      ... on ValidationError { code fieldErrors { path } }
      ... on NotFoundError { code resource }
    }
  }`;
  const reserveMutation = `mutation ($input: ReserveInventoryInput!) {
    reserveInventory(input: $input) {
      __typename
      ... on ReserveInventoryPayload { reservation { id status quantity warehouseId } }
      ... on InsufficientStockError { code requested available }
      ... on ValidationError { fieldErrors { path } }
    }
  }`;
  const releaseMutation = `mutation ($input: ReleaseInventoryReservationInput!) {
    releaseInventoryReservation(input: $input) {
      __typename
      ... on ReleaseInventoryReservationPayload { reservation { id status } }
      ... on InvalidTransitionError { code currentStatus requestedStatus }
      ... on NotFoundError { resource }
    }
  }`;

  it("return the typed errors of the result unions", async () => {
    const { entityId, warehouseId } = await stocked(2);
    const ok = await t.graphql(adjustMutation, { input: { entityId, warehouseId, type: "sale", quantity: 1 } });
    expect(ok.body.data.adjustInventory).toEqual({
      __typename: "AdjustInventoryPayload",
      level: {
        entityId,
        onHand: 1,
        reserved: 0,
        available: 1,
        adjustments: [
          { type: "restock", delta: 2 },
          { type: "sale", delta: -1 },
        ],
      },
    });
    const short = await t.graphql(adjustMutation, { input: { entityId, warehouseId, type: "damage", quantity: 2 } });
    expect(short.body.data.adjustInventory).toEqual({
      __typename: "InsufficientStockError",
      code: "CONFLICT",
      entityId,
      variantId: null,
      requested: 2,
      available: 1,
    });
    const invalid = await t.graphql(adjustMutation, { input: { entityId, warehouseId, type: "restock", quantity: 0 } });
    expect(invalid.body.data.adjustInventory).toEqual({
      __typename: "ValidationError",
      code: "VALIDATION_FAILED",
      fieldErrors: [{ path: "quantity" }],
    });
    const missing = await t.graphql(adjustMutation, {
      input: { entityId, warehouseId: MISSING, type: "restock", quantity: 1 },
    });
    expect(missing.body.data.adjustInventory).toEqual({
      __typename: "NotFoundError",
      code: "NOT_FOUND",
      resource: "Warehouse",
    });

    const reserved = await t.graphql(reserveMutation, { input: { entityId, quantity: 1 } });
    expect(reserved.body.data.reserveInventory).toMatchObject({
      __typename: "ReserveInventoryPayload",
      reservation: { status: "active", quantity: 1, warehouseId },
    });
    const none = await t.graphql(reserveMutation, { input: { entityId, quantity: 1 } });
    expect(none.body.data.reserveInventory).toEqual({
      __typename: "InsufficientStockError",
      code: "CONFLICT",
      requested: 1,
      available: 0,
    });

    const id = reserved.body.data.reserveInventory.reservation.id;
    const released = await t.graphql(releaseMutation, { input: { reservationId: id } });
    expect(released.body.data.releaseInventoryReservation).toEqual({
      __typename: "ReleaseInventoryReservationPayload",
      reservation: { id, status: "released" },
    });
    const twice = await t.graphql(releaseMutation, { input: { reservationId: id } });
    expect(twice.body.data.releaseInventoryReservation).toEqual({
      __typename: "InvalidTransitionError",
      code: "CONFLICT",
      currentStatus: "released",
      requestedStatus: "released",
    });
    const unknown = await t.graphql(releaseMutation, { input: { reservationId: MISSING } });
    expect(unknown.body.data.releaseInventoryReservation).toEqual({
      __typename: "NotFoundError",
      resource: "Reservation",
    });

    const createWarehouse = `mutation ($input: CreateWarehouseInput!) {
      createWarehouse(input: $input) { __typename ... on CreateWarehousePayload { warehouse { code } } ... on ConflictError { code target } }
    }`;
    const created = await t.graphql(createWarehouse, { input: { code: "GQL", name: "GraphQL" } });
    expect(created.body.data.createWarehouse).toEqual({
      __typename: "CreateWarehousePayload",
      warehouse: { code: "GQL" },
    });
    const duplicate = await t.graphql(createWarehouse, { input: { code: "GQL", name: "GraphQL again" } });
    expect(duplicate.body.data.createWarehouse).toEqual({
      __typename: "ConflictError",
      code: "CONFLICT",
      target: "code",
    });
  });

  it("are top-level UNAUTHORIZED / FORBIDDEN errors without the permission", async () => {
    const { entityId, warehouseId } = await stocked(1);
    const input = { entityId, warehouseId, type: "restock", quantity: 1 };
    const anonymous = await t.graphql(adjustMutation, { input }, null);
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHORIZED");
    const reader = await t.createKey(["inventory:read"]);
    const forbidden = await t.graphql(reserveMutation, { input: { entityId, quantity: 1 } }, reader);
    expect(forbidden.body.errors[0].extensions.code).toBe("FORBIDDEN");
    const ledgerForPublic = await t.graphql(
      `query ($id: ID!) { catalogEntity(id: $id) { inventory { onHand adjustments { delta } } } }`,
      { id: entityId },
      null,
    );
    expect(ledgerForPublic.body.errors[0].extensions.code).toBe("UNAUTHORIZED");
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 1, reserved: 0 });
  });

  it("query warehouses with totalCount and inventoryCheck", async () => {
    const { entityId } = await stocked(4);
    const res = await t.graphql(
      `query ($ids: [ID!]!) {
        warehouses(first: 1) { totalCount edges { node { id code } } }
        inventoryCheck(entityIds: $ids) { entityId available warehouses { warehouseId onHand } }
      }`,
      { ids: [entityId] },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.warehouses.edges).toHaveLength(1);
    expect(res.body.data.warehouses.totalCount).toBe(
      await t.app.db.prisma.warehouse.count({ where: { storeId: t.app.defaultStoreId } }),
    );
    expect(res.body.data.inventoryCheck).toEqual([
      { entityId, available: 4, warehouses: [{ warehouseId: expect.any(String), onHand: 4 }] },
    ]);
  });
});

describe("reservation functions for the checkout (inside the caller's transaction)", () => {
  const prisma = () => t.app.db.prisma;
  const storeId = () => t.app.defaultStoreId;

  it("consumeReservations ships an order's reservations: reserved and onHand drop, one sale ledger row each", async () => {
    const { entityId, warehouseId } = await stocked(10);
    const orderId = "0b6f5d2c-6a53-4c1e-9d3b-2f6a7c8d9e01";
    await prisma().$transaction(async (tx) => {
      await reserveStock(tx, storeId(), { entityId, variantId: null, quantity: 2, orderId });
      await reserveStock(tx, storeId(), { entityId, variantId: null, quantity: 3, orderId });
    });
    await t.request("POST", "/api/inventory/reserve", { body: { entityId, quantity: 1 } });
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 10, reserved: 6 });

    expect(await prisma().$transaction((tx) => consumeReservations(tx, { orderId }))).toBe(2);
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 5, reserved: 1 });
    const sales = (await ledger(entityId)).filter((l) => l.type === "sale");
    expect(sales.map((s) => s.delta).sort((a, b) => a - b)).toEqual([-3, -2]);
    expect(
      sales.every((s) => s.reference === `order:${orderId}` && /^Reservation .+ consumed$/.test(s.reason ?? "")),
    ).toBe(true);
    expect(await prisma().inventoryReservation.count({ where: { orderId, status: "consumed" } })).toBe(2);

    // Already consumed: nothing moves again, neither by consume nor by release.
    expect(await prisma().$transaction((tx) => consumeReservations(tx, { orderId }))).toBe(0);
    expect(await prisma().$transaction((tx) => releaseReservations(tx, { orderId }))).toBe(0);
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 5, reserved: 1 });
  });

  it("releaseReservations gives an order's reservations back, once", async () => {
    const { entityId, warehouseId } = await stocked(4);
    const orderId = "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    const row = await prisma().$transaction((tx) =>
      reserveStock(tx, storeId(), { entityId, variantId: null, quantity: 4, orderId, reference: "order 1" }),
    );
    expect(row).toMatchObject({
      status: "active",
      quantity: 4,
      orderId,
      reference: "order 1",
      level: { entityId, warehouseId },
    });
    await expect(
      prisma().$transaction((tx) => reserveStock(tx, storeId(), { entityId, variantId: null, quantity: 1 })),
    ).rejects.toMatchObject({ name: "InsufficientStockError", requested: 1, available: 0 });

    expect(await prisma().$transaction((tx) => releaseReservations(tx, { orderId }))).toBe(1);
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 4, reserved: 0 });
    expect(await prisma().$transaction((tx) => releaseReservations(tx, { orderId }))).toBe(0);
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 4, reserved: 0 });
  });

  it("roll back with the caller's transaction", async () => {
    const { entityId, warehouseId } = await stocked(3);
    await expect(
      prisma().$transaction(async (tx) => {
        await reserveStock(tx, storeId(), { entityId, variantId: null, quantity: 2 });
        throw new Error("payment failed");
      }),
    ).rejects.toThrow("payment failed");
    expect(await level(entityId, warehouseId)).toMatchObject({ onHand: 3, reserved: 0 });
    expect(await prisma().inventoryReservation.count({ where: { level: { entityId } } })).toBe(0);
  });
});
