import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, useTestApp } from "../../helpers/app.js";
import { productWithStock } from "../../helpers/commerce.js";
import { type SignedIn, signUp } from "../../helpers/customers.js";

const dataDir = await mkdtemp(path.join(tmpdir(), "cg-me-orders-"));
const t = useTestApp({ dataDir });
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const ADDRESS = { line1: "1 Main St", city: "Springfield", postalCode: "62701", country: "US" };

/** A checkout by the signed-in customer, through REST with their bearer token. */
async function orderAs(me: SignedIn, lines: { entityId: string; quantity: number }[]) {
  const cart = await t.request("POST", "/api/carts", { ...me.as, body: { currency: "USD" } });
  expect(cart.status).toBe(201);
  expect(cart.body.data.customerId).toBe(me.id);
  for (const line of lines) {
    const added = await t.request("POST", `/api/carts/${cart.body.data.id}/items`, { ...me.as, body: line });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
  }
  const placed = await t.request("POST", "/api/checkout", {
    ...me.as,
    body: { cartId: cart.body.data.id, shippingAddress: ADDRESS },
  });
  expect(placed.status, JSON.stringify(placed.body)).toBeLessThan(300);
  const order = await t.app.db.prisma.order.findFirstOrThrow({ where: { cartId: cart.body.data.id } });
  expect(order).toMatchObject({ customerId: me.id, email: me.email });
  return order;
}

async function moveTo(orderId: string, ...statuses: string[]) {
  for (const status of statuses) {
    const res = await t.request("PATCH", `/api/orders/${orderId}/status`, { body: { status } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}

describe("/me/orders", () => {
  it("lists the customer's own orders with status filter and pagination, and finds one by id or number", async () => {
    const me = await signUp(t);
    const product = await productWithStock(t, { price: 1500 });
    const first = await orderAs(me, [{ entityId: product.id, quantity: 1 }]);
    const second = await orderAs(me, [{ entityId: product.id, quantity: 2 }]);
    await moveTo(second.id, "confirmed");

    const all = await t.request("GET", "/api/me/orders?limit=1", me.as);
    expect(all.status).toBe(200);
    expect(all.body.meta.pagination).toEqual({ page: 1, limit: 1, total: 2, totalPages: 2 });
    expect(all.body.data[0].id).toBe(second.id);
    const page2 = await t.request("GET", "/api/me/orders?limit=1&page=2", me.as);
    expect(page2.body.data[0].id).toBe(first.id);
    const pending = await t.request("GET", "/api/me/orders?status=pending", me.as);
    expect(pending.body.data.map((o: { id: string }) => o.id)).toEqual([first.id]);
    expect((await t.request("GET", "/api/me/orders?status=shipped-ish", me.as)).status).toBe(422);

    const byNumber = await t.request("GET", `/api/me/orders/${second.number}`, me.as);
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.data).toMatchObject({ id: second.id, status: "confirmed", totals: { subtotal: 3000 } });
    expect(byNumber.body.data.statusHistory.map((h: { toStatus: string }) => h.toStatus)).toContain("confirmed");
    expect((await t.request("GET", `/api/me/orders/${first.id}`, me.as)).body.data.number).toBe(first.number);
    expect((await t.request("GET", "/api/me/orders/ORD-1999-000001", me.as)).status).toBe(404);
  });

  it("tracks fulfillments: a partial shipment, then the rest, with fulfillment.create events", async () => {
    const me = await signUp(t);
    const product = await productWithStock(t, { price: 1000, stock: 5 });
    const order = await orderAs(me, [{ entityId: product.id, quantity: 3 }]);
    const lineId = (await t.app.db.prisma.orderLine.findFirstOrThrow({ where: { orderId: order.id } })).id;

    const early = await t.request("POST", `/api/orders/${order.id}/fulfillments`, { body: {} });
    expect(early.status).toBe(409);
    await moveTo(order.id, "confirmed", "processing");
    const tooMany = await t.request("POST", `/api/orders/${order.id}/fulfillments`, {
      body: { items: [{ lineId, quantity: 4 }] },
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.details[0]).toMatchObject({ path: "items.0.quantity", code: "too_big" });
    const asCustomer = await t.request("POST", `/api/orders/${order.id}/fulfillments`, { ...me.as, body: {} });
    expect(asCustomer.status).toBe(403);

    const partial = await t.request("POST", `/api/orders/${order.id}/fulfillments`, {
      body: { carrier: "DHL", trackingNumber: "TRACK-1", items: [{ lineId, quantity: 1 }] },
    });
    expect(partial.status).toBe(201);
    expect(partial.body.data).toMatchObject({
      carrier: "DHL",
      trackingNumber: "TRACK-1",
      items: [{ lineId, quantity: 1 }],
    });
    let tracking = await t.request("GET", `/api/me/orders/${order.number}/tracking`, me.as);
    expect(tracking.body.data).toMatchObject({
      orderId: order.id,
      number: order.number,
      status: "partially_fulfilled",
    });
    expect(tracking.body.data.fulfillments).toHaveLength(1);

    const rest = await t.request("POST", `/api/orders/${order.id}/fulfillments`, {
      body: { carrier: "UPS", trackingNumber: "TRACK-2" },
    });
    expect(rest.body.data.items).toEqual([{ lineId, quantity: 2 }]);
    tracking = await t.request("GET", `/api/me/orders/${order.id}/tracking`, me.as);
    expect(tracking.body.data.status).toBe("fulfilled");
    expect(tracking.body.data.fulfillments.map((f: { trackingNumber: string }) => f.trackingNumber)).toEqual([
      "TRACK-1",
      "TRACK-2",
    ]);
    // shipped stock has left the warehouse
    const level = await t.app.db.prisma.inventoryLevel.findFirstOrThrow({ where: { entityId: product.id } });
    expect(level).toMatchObject({ onHand: 2, reserved: 0 });

    const audited = await t.app.db.prisma.auditEntry.findMany({
      where: { event: "fulfillment.create", entityType: "fulfillment" },
    });
    expect(audited.map((a) => a.entityId)).toEqual(expect.arrayContaining([partial.body.data.id, rest.body.data.id]));
    expect((await t.request("POST", `/api/orders/${order.id}/fulfillments`, { body: {} })).status).toBe(409);
  });

  it("reorders into a new cart of the customer at today's prices, skipping what can no longer be bought", async () => {
    const me = await signUp(t);
    const kept = await productWithStock(t, { price: 1000 });
    const gone = await productWithStock(t, { price: 500 });
    const order = await orderAs(me, [
      { entityId: kept.id, quantity: 2 },
      { entityId: gone.id, quantity: 1 },
    ]);
    await t.request("POST", `/api/catalog/entities/${gone.id}/archive`);
    const priceId = (await t.app.db.prisma.price.findFirstOrThrow({ where: { entityId: kept.id } })).id;
    await t.request("PATCH", `/api/pricing/prices/${priceId}`, { body: { amount: 1200 } });

    const res = await t.request("POST", `/api/me/orders/${order.id}/reorder`, me.as);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data).toMatchObject({ customerId: me.id, status: "active", currency: "USD" });
    expect(res.body.data.id).not.toBe(order.cartId);
    expect(res.body.data.items).toEqual([expect.objectContaining({ entityId: kept.id, quantity: 2, unitPrice: 1200 })]);
    expect(res.body.meta.skipped).toEqual([expect.objectContaining({ entityId: gone.id })]);
    const cart = await t.request("GET", `/api/carts/${res.body.data.id}`, me.as);
    expect(cart.body.data.totals.subtotal).toBe(2400);
  });

  it("hands out signed, expiring download links for digital items once the order is paid", async () => {
    const me = await signUp(t);
    const ebook = await productWithStock(t, { price: 900, stock: null });
    const form = new FormData();
    const pdf = Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "latin1");
    form.set("file", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), "guide.pdf");
    const uploaded = await t.app.fetch(
      new Request("http://localhost/api/media/upload", {
        method: "POST",
        headers: { "x-api-key": ADMIN_KEY },
        body: form,
      }),
    );
    expect(uploaded.status).toBe(201);
    const asset = ((await uploaded.json()) as { data: { id: string } }).data;
    const attached = await t.request("POST", "/api/media/attach", {
      body: { entityId: ebook.id, mediaAssetId: asset.id, role: "download" },
    });
    expect(attached.status).toBe(200);
    // not public: the file of a digital product goes out through signed links only
    expect((await t.app.fetch(new Request(`http://localhost/api/media/${asset.id}/content`))).status).toBe(404);

    const order = await orderAs(me, [{ entityId: ebook.id, quantity: 1 }]);
    expect((await t.request("GET", `/api/me/orders/${order.id}/downloads`, me.as)).body.data).toEqual([]);
    await moveTo(order.id, "confirmed");
    const links = await t.request("GET", `/api/me/orders/${order.number}/downloads`, me.as);
    expect(links.status).toBe(200);
    expect(links.body.data).toEqual([
      expect.objectContaining({
        entityId: ebook.id,
        mediaAssetId: asset.id,
        fileName: "guide.pdf",
        contentType: "application/pdf",
        byteSize: pdf.length,
      }),
    ]);
    const { url, expiresAt } = links.body.data[0];
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    const file = await t.app.fetch(new Request(`http://localhost${url}`));
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
    const tampered = await t.app.fetch(
      new Request(
        `http://localhost${url.replace(/signature=(.)/, (_m: string, c: string) => `signature=${c === "a" ? "b" : "a"}`)}`,
      ),
    );
    expect(tampered.status).toBe(403);

    await moveTo(order.id, "cancelled");
    expect((await t.request("GET", `/api/me/orders/${order.id}/downloads`, me.as)).body.data).toEqual([]);
  });
});

describe("customer groups", () => {
  it("gives a member the group's prices in carts and storefront reads, until removed", async () => {
    const me = await signUp(t);
    const product = await productWithStock(t, { price: 1000 });
    const group = (await t.request("POST", "/api/customer-groups", { body: { name: `VIP ${me.id.slice(0, 6)}` } })).body
      .data;
    await t.request("POST", "/api/pricing/prices", {
      body: { entityId: product.id, currency: "USD", amount: 750, customerGroupId: group.id },
    });

    const joined = await t.request("POST", `/api/customer-groups/${group.id}/members`, { body: { customerId: me.id } });
    expect(joined.status).toBe(200);
    expect(
      (await t.request("POST", `/api/customer-groups/${group.id}/members`, { body: { customerId: me.id } })).status,
    ).toBe(200);
    expect((await t.request("GET", "/api/me/profile", me.as)).body.data.groups).toEqual([
      { id: group.id, name: group.name, slug: group.slug },
    ]);

    const cart = (await t.request("POST", "/api/carts", { ...me.as, body: { currency: "USD" } })).body.data;
    const added = await t.request("POST", `/api/carts/${cart.id}/items`, {
      ...me.as,
      body: { entityId: product.id, quantity: 1 },
    });
    expect(added.body.data.items[0].unitPrice).toBe(750);
    const priceQuery = `query ($id: ID!) { catalogEntity(id: $id) { price(currency: "USD") { amount } } }`;
    const asMember = await t.app.fetch(
      new Request("http://localhost/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${me.token}` },
        body: JSON.stringify({ query: priceQuery, variables: { id: product.id } }),
      }),
    );
    expect(((await asMember.json()) as any).data.catalogEntity.price.amount).toBe(750);
    expect((await t.graphql(priceQuery, { id: product.id }, null)).body.data.catalogEntity.price.amount).toBe(1000);

    const left = await t.request("DELETE", `/api/customer-groups/${group.id}/members/${me.id}`);
    expect(left.status).toBe(200);
    const later = (await t.request("POST", "/api/carts", { ...me.as, body: { currency: "USD" } })).body.data;
    expect(
      (
        await t.request("POST", `/api/carts/${later.id}/items`, {
          ...me.as,
          body: { entityId: product.id, quantity: 1 },
        })
      ).body.data.items[0].unitPrice,
    ).toBe(1000);

    expect(
      (await t.request("POST", `/api/customer-groups/${group.id}/members`, { ...me.as, body: { customerId: me.id } }))
        .status,
    ).toBe(403);
    expect(
      (
        await t.request("POST", `/api/customer-groups/${group.id}/members`, {
          body: { customerId: "00000000-0000-4000-8000-000000000000" },
        })
      ).status,
    ).toBe(404);
    const events = await t.app.db.prisma.auditEntry.findMany({
      where: { entityId: group.id },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => e.event)).toEqual([
      "customerGroups.create",
      "customerGroups.addMember",
      "customerGroups.removeMember",
    ]);
  });
});
