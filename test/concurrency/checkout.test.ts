import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { availableOf, cartWith, checkoutBody, productWithStock } from "../helpers/commerce.js";

// Runs on the embedded database in `npm test` and on PostgreSQL (real concurrency) with TEST_DATABASE_URL.
const t = useTestApp();

const checkout = (cartId: string, headers: Record<string, string> = {}) =>
  t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cartId), headers });

describe("checkout under load", () => {
  it("200 concurrent checkouts against stock 10 give exactly 10 orders, 0 oversold, 0 5xx", async () => {
    const product = await productWithStock(t, { stock: 10 });
    const carts = [];
    for (let i = 0; i < 200; i++) carts.push(await cartWith(t, [{ entityId: product.id, quantity: 1 }]));
    const results = await Promise.all(carts.map((cartId) => checkout(cartId)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 422 && r.body.error.details.reason === "INSUFFICIENT_STOCK")).toBe(true);
    expect(await t.app.db.prisma.order.count({ where: { lines: { some: { entityId: product.id } } } })).toBe(10);
    expect(await availableOf(t, product.id)).toBe(0);
    const level = await t.app.db.prisma.inventoryLevel.findFirstOrThrow({ where: { entityId: product.id } });
    expect(level).toMatchObject({ onHand: 10, reserved: 10 });
    const numbers = results.filter((r) => r.status === 201).map((r) => r.body.data.number);
    expect(new Set(numbers).size).toBe(10);
  }, 120_000);

  it("counts two cart lines of one product against the same stock", async () => {
    const product = await productWithStock(t, { stock: 10 });
    const carts = [];
    for (let i = 0; i < 30; i++) {
      const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
      // A second line of the same product: carts merge lines through the API, so it is inserted directly, a row
      // the API refuses to make, to prove checkout counts lines against stock per level rather than per line.
      const line = await t.app.db.prisma.cartItem.findFirstOrThrow({ where: { cartId } });
      await t.app.db.prisma.cartItem.create({
        data: { cartId, entityId: product.id, quantity: 1, unitPrice: line.unitPrice },
      });
      carts.push(cartId);
    }
    const results = await Promise.all(carts.map((cartId) => checkout(cartId)));
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(await availableOf(t, product.id)).toBe(0);
  }, 60_000);

  it("50 parallel checkouts with one Idempotency-Key make one order and one payment", async () => {
    const product = await productWithStock(t, { stock: 100 });
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => checkout(cartId, { "idempotency-key": `same-${cartId}` })),
    );
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const orderIds = new Set(results.filter((r) => r.status === 201).map((r) => r.body.data.id));
    expect(orderIds.size).toBe(1);
    expect(await t.app.db.prisma.order.count({ where: { cartId } })).toBe(1);
    expect(await t.app.db.prisma.payment.count({ where: { order: { cartId } } })).toBe(1);
    expect(await availableOf(t, product.id)).toBe(99);
    const retry = await checkout(cartId, { "idempotency-key": `same-${cartId}` });
    expect(retry.body.data.id).toEqual([...orderIds][0]);
  }, 60_000);
});
