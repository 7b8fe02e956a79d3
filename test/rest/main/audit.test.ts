import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { cartWith, checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { createStore } from "../../helpers/merchant.js";

const t = useTestApp();

describe("the audit log", () => {
  it("records a checkout and a status change with actor, before/after and request id", async () => {
    const product = await productWithStock(t);
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    const order = (
      await t.request("POST", "/api/checkout", {
        key: null,
        body: checkoutBody(cartId),
        headers: { "x-request-id": "req-checkout-1" },
      })
    ).body.data;
    const editor = await t.createKey(["orders:update"]);
    await t.request("PATCH", `/api/orders/${order.id}/status`, {
      key: editor,
      body: { status: "confirmed" },
      headers: { "x-request-id": "req-confirm-1" },
    });

    const trail = await t.request("GET", `/api/audit/order/${order.id}`);
    expect(trail.status).toBe(200);
    expect(trail.body.data.map((e: { event: string }) => e.event)).toEqual(["orders.statusChange", "orders.create"]);
    const [change, created] = trail.body.data;
    expect(change).toMatchObject({
      actorType: "apiKey",
      before: { status: "pending" },
      after: { status: "confirmed" },
      requestId: "req-confirm-1",
    });
    const key = await t.app.db.prisma.apiKey.findFirstOrThrow({
      where: { name: { startsWith: "test" } },
      orderBy: { createdAt: "desc" },
    });
    expect(change.actorId).toBe(key.id);
    expect(created).toMatchObject({
      actorType: "anonymous",
      actorId: null,
      after: { number: order.number, status: "pending" },
      requestId: "req-checkout-1",
    });
  });

  it("records catalog, pricing, promotion and inventory changes, and filters them", async () => {
    const entity = (await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug: "audited" } }))
      .body.data;
    await t.request("PATCH", `/api/catalog/entities/${entity.id}`, { body: { slug: "audited-2" } });
    await t.request("POST", `/api/catalog/entities/${entity.id}/publish`);
    await t.request("POST", "/api/pricing/prices", { body: { entityId: entity.id, currency: "USD", amount: 100 } });
    await t.request("DELETE", `/api/catalog/entities/${entity.id}`);

    const history = (await t.request("GET", `/api/audit/catalog_entity/${entity.id}`)).body.data;
    expect(history.map((e: { event: string }) => e.event)).toEqual([
      "catalog.delete",
      "catalog.update",
      "catalog.update",
      "catalog.create",
    ]);
    expect(history[1]).toMatchObject({ before: { status: "draft" }, after: { status: "active" } });
    expect(history[2]).toMatchObject({ before: { slug: "audited" }, after: { slug: "audited-2" } });

    const prices = await t.request("GET", "/api/audit?event=pricing.create&limit=5");
    expect(prices.body.data[0]).toMatchObject({ entityType: "price", after: { entityId: entity.id, amount: 100 } });
    expect(prices.body.meta.pagination).toMatchObject({ limit: 5 });
    expect((await t.request("GET", "/api/audit")).body.meta.pagination.limit).toBe(50);
    const future = await t.request("GET", `/api/audit?from=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.body.data).toEqual([]);
    expect((await t.request("GET", "/api/audit?from=yesterday")).status).toBe(422);
  });

  it("records carts, API keys, webhooks, refunds and store settings too, without secrets", async () => {
    const product = await productWithStock(t);
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 2 }]);
    const cartTrail = (await t.request("GET", `/api/audit/cart/${cartId}`)).body.data.map(
      (e: { event: string }) => e.event,
    );
    expect(cartTrail).toEqual(["cart.afterAddItem", "carts.create"]);

    const key = (await t.request("POST", "/api/api-keys", { body: { name: "audited", permissions: ["catalog:read"] } }))
      .body.data;
    await t.request("DELETE", `/api/api-keys/${key.apiKey.id}`);
    const keyTrail = (await t.request("GET", `/api/audit/api_key/${key.apiKey.id}`)).body.data;
    expect(keyTrail.map((e: { event: string }) => e.event)).toEqual(["apiKeys.revoke", "apiKeys.create"]);
    expect(JSON.stringify(keyTrail)).not.toContain(key.secret);
    expect(keyTrail[1].after.hash).toBeUndefined();

    await t.request("PATCH", "/api/store/settings", { body: { taxRateBps: 725 } });
    const settings = (await t.request("GET", "/api/audit?event=settings.update")).body.data[0];
    expect(settings).toMatchObject({ entityType: "store", after: { taxRateBps: 725 } });

    const order = (await t.request("POST", "/api/checkout", { key: null, body: checkoutBody(cartId) })).body.data;
    expect(
      (await t.request("POST", `/api/orders/${order.id}/payment/capture`, { body: { reference: "CASH" } })).status,
    ).toBe(200);
    await t.request("POST", `/api/orders/${order.id}/refunds`, { body: { amount: 100 } });
    const refunds = (await t.request("GET", `/api/audit?event=payments.refund&entityId=${order.id}`)).body.data;
    expect(refunds[0]).toMatchObject({ entityType: "order", after: { amount: 100, refundedAmount: 100 } });
  });

  it("records taxonomy, options and variants as catalog changes", async () => {
    const entity = (
      await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug: "audited-tree" } })
    ).body.data;
    const category = (await t.request("POST", "/api/catalog/categories", { body: { name: "Audited" } })).body.data;
    await t.request("POST", `/api/catalog/entities/${entity.id}/categories/${category.id}`);
    await t.request("POST", `/api/catalog/entities/${entity.id}/options`, {
      body: { name: "Size", values: [{ value: "S" }] },
    });
    await t.request("POST", `/api/catalog/entities/${entity.id}/variants/generate`, { body: {} });
    const history = (await t.request("GET", `/api/audit/catalog_entity/${entity.id}`)).body.data;
    expect(history.map((e: { after: Record<string, unknown> }) => Object.keys(e.after ?? {})[0])).toEqual([
      "variantsGenerated",
      "optionTypeAdded",
      "categoryAdded",
      "id",
    ]);
    expect((await t.request("GET", `/api/audit/category/${category.id}`)).body.data[0]).toMatchObject({
      event: "categories.create",
    });
  });

  it("records warehouses, reservations, price modifiers, customer groups and cart promotion codes", async () => {
    const warehouse = (
      await t.request("POST", "/api/inventory/warehouses", { body: { code: "AUD-WH", name: "Audited" } })
    ).body.data;
    expect((await t.request("GET", `/api/audit/warehouse/${warehouse.id}`)).body.data[0]).toMatchObject({
      event: "warehouses.create",
      after: { code: "AUD-WH" },
    });

    const product = await productWithStock(t, { stock: 5 });
    const reservation = (
      await t.request("POST", "/api/inventory/reserve", { body: { entityId: product.id, quantity: 2 } })
    ).body.data;
    await t.request("POST", "/api/inventory/release", { body: { reservationId: reservation.id } });
    const reservationTrail = (await t.request("GET", `/api/audit/inventory_reservation/${reservation.id}`)).body.data;
    expect(
      reservationTrail.map((e: { event: string; after: { status: string } }) => [e.event, e.after.status]),
    ).toEqual([
      ["inventory.release", "released"],
      ["inventory.reserve", "active"],
    ]);

    const modifier = (
      await t.request("POST", "/api/pricing/modifiers", {
        body: { name: "Audited sale", type: "percentage_off", value: 5, entityId: product.id },
      })
    ).body.data;
    expect((await t.request("GET", `/api/audit/price_modifier/${modifier.id}`)).body.data[0]).toMatchObject({
      event: "pricing.create",
      after: { value: 5 },
    });
    const group = (await t.request("POST", "/api/customer-groups", { body: { name: "Audited group" } })).body.data;
    expect((await t.request("GET", `/api/audit/customer_group/${group.id}`)).body.data[0]).toMatchObject({
      event: "customerGroups.create",
    });

    const promotion = await t.request("POST", "/api/promotions", {
      body: { name: "Audited", code: "AUDIT10", type: "percentage_off_order", value: 10 },
    });
    expect(promotion.status, JSON.stringify(promotion.body)).toBe(201);
    const cartId = await cartWith(t, [{ entityId: product.id, quantity: 1 }]);
    expect(
      (await t.request("POST", `/api/carts/${cartId}/promotions`, { key: null, body: { code: "audit10" } })).status,
    ).toBe(200);
    await t.request("DELETE", `/api/carts/${cartId}/promotions/AUDIT10`, { key: null });
    const cartTrail = (await t.request("GET", `/api/audit/cart/${cartId}?limit=2`)).body.data;
    expect(
      cartTrail.map((e: { event: string; after: { promotionCodes: string[] } }) => [e.event, e.after.promotionCodes]),
    ).toEqual([
      ["carts.removePromotion", []],
      ["carts.applyPromotion", ["AUDIT10"]],
    ]);
  });

  it("writes nothing for a change that was refused", async () => {
    const entity = (await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug: "refused" } }))
      .body.data;
    expect((await t.request("POST", `/api/catalog/entities/${entity.id}/discontinue`)).status).toBe(409);
    const history = (await t.request("GET", `/api/audit/catalog_entity/${entity.id}`)).body.data;
    expect(history.map((e: { event: string }) => e.event)).toEqual(["catalog.create"]);
  });

  it("needs audit:read and stays within the store", async () => {
    expect((await t.request("GET", "/api/audit", { key: null })).status).toBe(401);
    expect((await t.request("GET", "/api/audit", { key: await t.createKey(["orders:*"]) })).status).toBe(403);
    const other = await createStore(t, { slug: "audit-b", name: "B" });
    const theirs = await t.request("GET", "/api/audit", { key: await t.createKey(["audit:read"], other.id) });
    // Only its own store's history, newest first: the key just made for it and its creation, nothing of the
    // default store's.
    expect(theirs.body.data.map((e: { event: string; entityId: string }) => [e.event, e.entityId])).toEqual([
      ["apiKeys.create", expect.any(String)],
      ["stores.create", other.id],
    ]);
  });
});
