import { encodeBase64 } from "@pothos/core";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";

/**
 * No N+1 under lists: every list or connection nested under a list is planned into the parent's
 * query or batched per request, so a page of 100 parents costs the statements a page of 10 does.
 * Volume is seeded straight into the database (hundreds of rows through the API would take minutes);
 * everything asserted is read through /graphql.
 */
const t = useTestApp();

const PARENTS = 100;

async function statementsFor(query: string, first: number, variables: Record<string, unknown> = {}) {
  const before = t.app.db.statementCount();
  const res = await t.graphql(query, { first, ...variables });
  const statements = t.app.db.statementCount() - before;
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return { statements, data: res.body.data };
}

/** Statements for 10 and for 100 parents (after one warm-up request, so nothing cached is counted). */
async function tenAndHundred(query: string, variables: Record<string, unknown> = {}) {
  await statementsFor(query, 1, variables);
  const ten = await statementsFor(query, 10, variables);
  const hundred = await statementsFor(query, PARENTS, variables);
  return { ten, hundred };
}

// ---- seed: 100 customers with addresses, groups and orders; each order with everything under it ----

let orderSeq = 0;

async function seedCustomersAndOrders() {
  const { prisma } = t.app.db;
  const storeId = t.app.defaultStoreId;
  const group = await prisma.customerGroup.create({ data: { storeId, name: "VIP", slug: "vip" } });
  const entity = await prisma.catalogEntity.create({
    data: { storeId, type: "product", slug: "nested-ordered", status: "active" },
  });
  for (let c = 0; c < PARENTS; c++) {
    const customer = await prisma.customer.create({
      data: {
        storeId,
        email: `nested-${c}@example.com`,
        name: `Customer ${c}`,
        addresses: {
          create: [
            { line1: `${c} Main St`, city: "Berlin", country: "DE" },
            { line1: `${c} Side St`, city: "Bonn", country: "DE" },
          ],
        },
        groups: { create: { groupId: group.id } },
      },
    });
    // Three orders each: a page of two per customer leaves a next page.
    for (let o = 0; o < 3; o++) await seedOrder(storeId, customer.id, entity.id, o === 0);
  }
}

async function seedOrder(storeId: string, customerId: string, entityId: string, everything: boolean) {
  const { prisma } = t.app.db;
  const order = await prisma.order.create({
    data: {
      storeId,
      number: `ORD-2026-${String(++orderSeq).padStart(6, "0")}`,
      status: "processing",
      paymentStatus: "paid",
      customerId,
      email: "buyer@example.com",
      currency: "USD",
      subtotal: 4200,
      grandTotal: 4200,
      lines: {
        create: [
          {
            entityId,
            title: "Linen Tote",
            quantity: 2,
            unitPrice: 2100,
            subtotal: 4200,
            total: 4200,
            fulfilledQuantity: 2,
          },
        ],
      },
      statusHistory: { create: [{ toStatus: "pending" }, { fromStatus: "pending", toStatus: "processing" }] },
    },
    include: { lines: true },
  });
  if (!everything) return;
  const line = order.lines[0]!;
  const payment = await prisma.payment.create({
    data: {
      storeId,
      orderId: order.id,
      provider: "manual",
      status: "captured",
      amount: 4200,
      capturedAmount: 4200,
      currency: "USD",
    },
  });
  await prisma.fulfillment.create({
    data: { orderId: order.id, trackingNumber: `T-${orderSeq}`, items: [{ lineId: line.id, quantity: 2 }] },
  });
  const ret = await prisma.orderReturn.create({
    data: {
      storeId,
      orderId: order.id,
      kind: "return",
      status: "received",
      reason: "too big",
      lines: { create: { orderLineId: line.id, quantity: 1 } },
    },
  });
  await prisma.refund.create({
    data: { paymentId: payment.id, orderId: order.id, returnId: ret.id, amount: 2100, status: "succeeded" },
  });
  const exchange = await prisma.orderReturn.create({
    data: {
      storeId,
      orderId: order.id,
      kind: "exchange",
      status: "received",
      reason: "colour",
      priceDifference: 0,
      lines: { create: { orderLineId: line.id, quantity: 1, newVariantId: entityId, newEntityId: entityId } },
    },
  });
  await prisma.fulfillment.create({
    data: { orderId: order.id, returnId: exchange.id, items: [{ lineId: line.id, quantity: 1 }] },
  });
  await prisma.payment.create({
    data: {
      storeId,
      orderId: order.id,
      returnId: exchange.id,
      provider: "manual",
      status: "pending",
      amount: 100,
      currency: "USD",
    },
  });
}

// ---- seed: 100 root categories, each with two children and a grandchild ----

async function seedCategories() {
  const { prisma } = t.app.db;
  const storeId = t.app.defaultStoreId;
  for (let i = 0; i < PARENTS; i++) {
    const root = await prisma.category.create({
      data: { storeId, name: `Root ${i}`, slug: `root-${i}`, sortOrder: i },
    });
    for (let j = 0; j < 2; j++) {
      const child = await prisma.category.create({
        data: { storeId, parentId: root.id, name: `Child ${i}.${j}`, slug: `child-${i}-${j}` },
      });
      await prisma.category.create({
        data: { storeId, parentId: child.id, name: `Leaf ${i}.${j}`, slug: `leaf-${i}-${j}` },
      });
    }
  }
}

// ---- seed: 100 products with variants, prices, stock (with its ledger) and media ----

async function seedCatalog() {
  const { prisma } = t.app.db;
  const storeId = t.app.defaultStoreId;
  const warehouse = await prisma.warehouse.create({ data: { storeId, code: "NESTED", name: "Nested" } });
  for (let i = 0; i < PARENTS; i++) {
    const entity = await prisma.catalogEntity.create({
      data: {
        storeId,
        type: "product",
        slug: `nested-product-${i}`,
        status: "active",
        attributes: { create: { locale: "en", title: `Nested ${i}` } },
        optionTypes: {
          create: {
            name: "Size",
            displayName: "Size",
            values: {
              create: [
                { value: "S", label: "S" },
                { value: "M", label: "M" },
              ],
            },
          },
        },
        prices: { create: { storeId, currency: "USD", amount: 1000 + i } },
      },
      include: { optionTypes: { include: { values: true } } },
    });
    for (const value of entity.optionTypes[0]!.values) {
      const variant = await prisma.variant.create({
        data: {
          storeId,
          entityId: entity.id,
          sku: `NESTED-${i}-${value.value}`,
          optionKey: value.id,
          optionValues: { create: { optionValueId: value.id } },
          prices: { create: { storeId, entityId: entity.id, currency: "USD", amount: 1100 + i } },
        },
      });
      await prisma.inventoryLevel.create({
        data: {
          entityId: entity.id,
          variantId: variant.id,
          variantKey: variant.id,
          warehouseId: warehouse.id,
          onHand: 5,
          adjustments: {
            create: [
              { type: "restock", delta: 6 },
              { type: "sale", delta: -1 },
            ],
          },
        },
      });
    }
    const asset = await prisma.mediaAsset.create({
      data: { storeId, storageKey: `${storeId}/nested-${i}`, contentType: "image/png", byteSize: 10 },
    });
    await prisma.entityMedia.create({ data: { entityId: entity.id, mediaAssetId: asset.id, role: "gallery" } });
  }
}

beforeAll(async () => {
  await seedCustomersAndOrders();
  await seedCategories();
  await seedCatalog();
}, 240_000);

// ---- the lists ------------------------------------------------------------------------------

const CUSTOMER_ORDERS = /* GraphQL */ `
  query ($first: Int!) {
    customers(first: $first) { edges { node {
      id
      orders(first: 2) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id number lines { id title } fulfillmentStatus } }
      }
    } } }
  }`;

const CUSTOMER_LISTS = /* GraphQL */ `
  query ($first: Int!) {
    customers(first: $first) { edges { node { id addresses { id city } groups { id name } } } }
  }`;

const ORDER_LISTS = /* GraphQL */ `
  query ($first: Int!) {
    orders(first: $first) { edges { node {
      id
      fulfillmentStatus
      store { slug }
      lines { id title }
      statusHistory { toStatus }
      payments { id refunds { id } order { id } }
      fulfillments { id items { lineId quantity } }
      refunds { id amount }
      returns { id lines { lineId quantity } refunds { id } }
      exchanges { id lines { newVariantId } fulfillments { id } refunds { id } payments { id } }
      downloads { url }
    } } }
  }`;

const CATEGORY_TREE = /* GraphQL */ `
  query ($first: Int!) {
    categories(first: $first, rootsOnly: true) { edges { node {
      name parent { name } children { name parent { name } children { name } }
    } } }
  }`;

const CATALOG_LISTS = /* GraphQL */ `
  query ($first: Int!) {
    catalogEntities(first: $first, filter: { type: "product" }) { edges { node {
      id
      price { amount }
      attributes { title }
      prices { amount }
      inventory { available adjustments { delta } }
      media { role asset { id url } }
      optionTypes { name values { value optionType { name } } }
      variants { sku entity { slug } price { amount } prices { amount } inventory { available adjustments { delta } } optionValues { value } }
    } } }
  }`;

describe("nested lists cost the same statements for 10 and 100 parents", () => {
  it("customers { orders }: one batched page for every customer, one grouped count", async () => {
    const { ten, hundred } = await tenAndHundred(CUSTOMER_ORDERS);
    const customers = hundred.data.customers.edges;
    expect(customers).toHaveLength(PARENTS);
    for (const { node } of customers) {
      expect(node.orders.totalCount).toBe(3);
      expect(node.orders.edges).toHaveLength(2);
      expect(node.orders.pageInfo.hasNextPage).toBe(true);
      expect(node.orders.edges[0].node.lines).toHaveLength(1);
      expect(node.orders.edges[0].node.fulfillmentStatus).toBe("fulfilled");
    }
    expect(
      hundred.statements,
      `customers { orders }: ${ten.statements} statements for 10, ${hundred.statements} for 100`,
    ).toBe(ten.statements);
    // the customers with every page joined in, and one count for all of them
    expect(ten.statements).toBeLessThanOrEqual(2);
  });

  it("customers { orders } pages with the same offset cursors, filters and counts as a top-level list", async () => {
    const ONE = /* GraphQL */ `
      query ($id: ID!, $first: Int, $after: String, $status: OrderStatus) {
        customer(id: $id) { orders(first: $first, after: $after, status: $status) {
          totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } }
        } }
      }`;
    const ids = (await t.graphql(`{ customers(first: 2) { edges { node { id } } } }`)).body.data.customers.edges.map(
      (e: any) => e.node.id,
    );
    const first = (await t.graphql(ONE, { id: ids[0], first: 2 })).body.data.customer.orders;
    // Signed offsets of Customer.orders (cursors.ts): opaque, one per row, the same for every parent.
    const cursors = first.edges.map((e: any) => e.cursor);
    expect(new Set(cursors).size).toBe(2);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: cursors[1] });
    const next = (await t.graphql(ONE, { id: ids[0], first: 2, after: first.pageInfo.endCursor })).body.data.customer
      .orders;
    expect(next.edges).toHaveLength(1);
    expect(cursors).not.toContain(next.edges[0].cursor);
    expect(next.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // The three orders, newest first, none twice; the same list the top-level orders field gives.
    const top = await t.graphql(
      `query ($id: ID!) { orders(first: 3, filter: { customerId: $id }) { edges { node { id } } } }`,
      { id: ids[0] },
    );
    expect([...first.edges, ...next.edges].map((e: any) => e.node.id)).toEqual(
      top.body.data.orders.edges.map((e: any) => e.node.id),
    );
    const none = (await t.graphql(ONE, { id: ids[0], first: 2, status: "cancelled" })).body.data.customer.orders;
    expect(none).toMatchObject({ totalCount: 0, edges: [] });

    // Two aliases with different pages of the same relation each get their own rows.
    const aliased = await t.graphql(
      `{ customers(first: 5) { edges { node { a: orders(first: 1) { edges { node { id } } } b: orders(first: 3) { totalCount edges { node { id } } } } } } }`,
    );
    expect(aliased.body.errors).toBeUndefined();
    for (const { node } of aliased.body.data.customers.edges) {
      expect(node.a.edges).toHaveLength(1);
      expect(node.b.edges).toHaveLength(3);
      expect(node.b.totalCount).toBe(3);
      expect(node.b.edges[0].node.id).toBe(node.a.edges[0].node.id);
    }

    // Nothing selected under the nodes: the page is still read (its cursors, hasNextPage), and counted.
    const bare = await t.graphql(`{ customers(first: 3) { edges { node {
      counted: orders { totalCount } paged: orders(first: 2) { pageInfo { hasNextPage } edges { cursor } }
    } } } }`);
    expect(bare.body.errors).toBeUndefined();
    for (const { node } of bare.body.data.customers.edges) {
      expect(node.counted.totalCount).toBe(3);
      expect(node.paged).toEqual({
        pageInfo: { hasNextPage: true },
        edges: cursors.map((cursor: string) => ({ cursor })),
      });
    }

    // Refused arguments are a field error on the nested connection, not on the list around it.
    const tooMany = await t.graphql(
      `{ customers(first: 2) { edges { node { id orders(first: 101) { totalCount } } } } }`,
    );
    expect(tooMany.body.errors[0].extensions).toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: [expect.objectContaining({ path: "first" })],
    });
    expect(tooMany.body.errors[0].path).toContain("orders");
    const forged = await t.graphql(ONE, { id: ids[0], first: 2, after: encodeBase64("OffsetConnection:-1") });
    expect(forged.body.errors[0].extensions).toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: [expect.objectContaining({ path: "after", code: "invalid_cursor" })],
    });
  });

  it("customers { orders } counts only when totalCount is selected", async () => {
    const withoutCount = CUSTOMER_ORDERS.replace("totalCount", "");
    const counted = await tenAndHundred(CUSTOMER_ORDERS);
    const uncounted = await tenAndHundred(withoutCount);
    expect(uncounted.hundred.statements).toBe(uncounted.ten.statements);
    expect(uncounted.hundred.statements).toBe(counted.hundred.statements - 1);
  });

  it("customers { order(idOrNumber) } next to customers { orders }", async () => {
    const LOOKUP = /* GraphQL */ `
      query ($first: Int!, $key: String!) {
        customers(first: $first) { edges { node { email order(idOrNumber: $key) { number lines { id } } orders(first: 1) { edges { node { number } } } } } }
      }`;
    const { ten, hundred } = await tenAndHundred(LOOKUP, { key: "ORD-2026-000001" });
    const found = hundred.data.customers.edges.filter((e: any) => e.node.order !== null);
    // The first order belongs to the first customer only; everyone else gets null.
    expect(found.map((e: any) => [e.node.email, e.node.order.number, e.node.order.lines.length])).toEqual([
      ["nested-0@example.com", "ORD-2026-000001", 1],
    ]);
    expect(hundred.data.customers.edges.every((e: any) => e.node.orders.edges.length === 1)).toBe(true);
    expect(
      hundred.statements,
      `customers { order }: ${ten.statements} statements for 10, ${hundred.statements} for 100`,
    ).toBe(ten.statements);
    const malformed = await t.graphql(LOOKUP, { first: 3, key: "not an order" });
    expect(malformed.body.data.customers.edges.map((e: any) => e.node.order)).toEqual([null, null, null]);
  });

  it("customers { addresses groups }", async () => {
    const { ten, hundred } = await tenAndHundred(CUSTOMER_LISTS);
    expect(
      hundred.data.customers.edges.every((e: any) => e.node.addresses.length === 2 && e.node.groups.length === 1),
    ).toBe(true);
    expect(
      hundred.statements,
      `customers { addresses groups }: ${ten.statements} statements for 10, ${hundred.statements} for 100`,
    ).toBe(ten.statements);
    expect(ten.statements).toBeLessThanOrEqual(1);
  });

  it("orders { lines payments fulfillments refunds returns exchanges statusHistory store downloads }", async () => {
    const { ten, hundred } = await tenAndHundred(ORDER_LISTS);
    const orders = hundred.data.orders.edges.map((e: any) => e.node);
    expect(orders).toHaveLength(PARENTS);
    expect(orders.every((o: any) => o.lines.length === 1 && o.statusHistory.length === 2)).toBe(true);
    // One order in three carries the post-purchase rows.
    const full = orders.filter((o: any) => o.returns.length === 1);
    expect(full.length).toBeGreaterThanOrEqual(30);
    for (const o of full) {
      expect(o.payments).toHaveLength(2);
      expect(o.fulfillments).toHaveLength(2);
      expect(o.refunds).toHaveLength(1);
      expect(o.returns[0].refunds).toHaveLength(1);
      expect(o.exchanges[0].fulfillments).toHaveLength(1);
      expect(o.exchanges[0].payments).toHaveLength(1);
    }
    expect(
      hundred.statements,
      `orders { ... }: ${ten.statements} statements for 10, ${hundred.statements} for 100`,
    ).toBe(ten.statements);
    // the orders with every list joined in (returns and exchanges share one join), two for the download links
    expect(ten.statements).toBeLessThanOrEqual(3);
  });

  it("categories { parent children { parent children } }", async () => {
    const { ten, hundred } = await tenAndHundred(CATEGORY_TREE);
    const roots = hundred.data.categories.edges.map((e: any) => e.node);
    expect(roots).toHaveLength(PARENTS);
    expect(
      roots.every(
        (r: any) =>
          r.parent === null && r.children.length === 2 && r.children.every((c: any) => c.children.length === 1),
      ),
    ).toBe(true);
    expect(
      hundred.statements,
      `categories { children }: ${ten.statements} statements for 10, ${hundred.statements} for 100`,
    ).toBe(ten.statements);
    expect(ten.statements).toBeLessThanOrEqual(1);
  });

  it("catalogEntities { variants media prices inventory optionTypes price }", async () => {
    const { ten, hundred } = await tenAndHundred(CATALOG_LISTS);
    const entities = hundred.data.catalogEntities.edges.map((e: any) => e.node);
    expect(entities).toHaveLength(PARENTS);
    for (const e of entities) {
      expect(e.price.amount).toBeGreaterThanOrEqual(1000);
      expect(e.media).toHaveLength(1);
      expect(e.variants).toHaveLength(2);
      expect(e.variants[0].price.amount).toBeGreaterThanOrEqual(1100);
      expect(e.variants[0].inventory[0].adjustments).toHaveLength(2);
    }
    expect(
      hundred.statements,
      `catalogEntities { ... }: ${ten.statements} statements for 10, ${hundred.statements} for 100`,
    ).toBe(ten.statements);
    // the entities with every list joined in, the store currency and the resolved prices (two)
    expect(ten.statements).toBeLessThanOrEqual(4);
  });
});
