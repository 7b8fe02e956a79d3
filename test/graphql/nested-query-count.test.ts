import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeBase64 } from "@pothos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { mutateEach } from "../helpers/graphql-batch.js";
import {
  addVariants,
  adjustStock,
  capturePayments,
  createProducts,
  createWarehouse,
  exchangeFor,
  fulfilOrders,
  type PlacedOrder,
  placeOrders,
  pngBytes,
  returnAndRefund,
  setPrices,
  signUpMany,
  uploadAndAttach,
} from "../helpers/order-history.js";

/**
 * No N+1 under lists: every list or connection nested under a list is planned into the parent's
 * query or batched per request, so a page of 100 parents costs the statements a page of 10 does.
 * Everything is seeded through the public API (GraphQL mutations batched as aliases, REST uploads) and
 * read through /graphql.
 */
const dataDir = await mkdtemp(path.join(tmpdir(), "cg-nested-query-count-"));
const t = useTestApp({ dataDir });
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const PARENTS = 100;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

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

// ---- seed: 100 customers with addresses, a group and two orders each -----------------------------
// Two orders each (a page of one per customer leaves a next page), placed in two rounds of one per
// customer, so the newest 100 orders are every customer's latest: those are paid and shipped, and one
// in four also has a refunded return and an exchange with its replacement shipment and a pending
// payment for the dearer replacement. (Each order is a checkout of its own, ~40 statements through
// the API: a third order per customer would add ~10 s on PGlite.)

/** The store's first order number (customer 0's oldest order). */
let firstOrderNumber = "";

async function seedCustomersAndOrders() {
  const customers = await signUpMany(
    t,
    range(PARENTS).map((c) => ({ email: `nested-${c}@example.com`, name: `Customer ${c}` })),
  );
  for (let start = 0; start < customers.length; start += 10) {
    await Promise.all(
      customers.slice(start, start + 10).map((customer, k) =>
        mutateEach(
          t,
          "addMyAddress",
          "AddMyAddressInput",
          [
            { line1: `${start + k} Main St`, city: "Berlin", country: "DE" },
            { line1: `${start + k} Side St`, city: "Bonn", country: "DE" },
          ],
          "",
          customer.as,
        ),
      ),
    );
  }
  const [vip] = await mutateEach<{ customerGroup: { id: string } }>(
    t,
    "createCustomerGroup",
    "CreateCustomerGroupInput",
    [{ name: "VIP", slug: "vip" }],
    "customerGroup { id }",
  );
  await mutateEach(
    t,
    "addCustomerToGroup",
    "CustomerGroupMembershipInput",
    customers.map((c) => ({ customerId: c.id, groupId: vip!.customerGroup.id })),
  );

  // What they buy (not stock-tracked), and the dearer variant an exchange swaps it for.
  const [tote, otherColour] = await createProducts(t, [
    { slug: "nested-ordered", title: "Linen Tote", price: 2100 },
    { slug: "nested-replacement", title: "Linen Tote, other colour" },
  ]);
  const [replacement] = (
    await addVariants(t, [{ entityId: otherColour!, skuPrefix: "NESTED-SWAP" }], { name: "Colour", values: ["Red"] })
  )[0]!;
  await setPrices(t, [{ entityId: otherColour!, variantId: replacement!.id, amount: 2200 }]);

  let latest: PlacedOrder[] = [];
  for (let round = 0; round < 2; round++) {
    latest = await placeOrders(
      t,
      customers.map((c) => ({ customerId: c.id, lines: [{ entityId: tote!, quantity: 2 }] })),
    );
    if (round === 0) firstOrderNumber = latest[0]!.number;
  }
  await capturePayments(t, latest);
  await fulfilOrders(t, latest, (c) => `T-${c}`);
  const withEverything = latest.filter((_, c) => c % 4 === 0);
  await returnAndRefund(t, withEverything);
  await exchangeFor(t, withEverything, replacement!.id);
}

// ---- seed: 100 root categories, each with two children and a grandchild ----

async function seedCategories() {
  const create = (inputs: unknown[]) =>
    mutateEach<{ category: { id: string } }>(t, "createCategory", "CreateCategoryInput", inputs, "category { id }");
  const roots = await create(range(PARENTS).map((i) => ({ name: `Root ${i}`, slug: `root-${i}`, sortOrder: i })));
  const children = await create(
    roots.flatMap((root, i) =>
      [0, 1].map((j) => ({ parentId: root.category.id, name: `Child ${i}.${j}`, slug: `child-${i}-${j}` })),
    ),
  );
  await create(
    children.map((child, k) => ({
      parentId: child.category.id,
      name: `Leaf ${Math.floor(k / 2)}.${k % 2}`,
      slug: `leaf-${Math.floor(k / 2)}-${k % 2}`,
    })),
  );
}

// ---- seed: 100 products with variants, prices, stock (with its ledger) and media ----

async function seedCatalog() {
  const warehouseId = await createWarehouse(t, "NESTED");
  const ids = await createProducts(
    t,
    range(PARENTS).map((i) => ({ slug: `nested-product-${i}`, title: `Nested ${i}`, price: 1000 + i })),
  );
  const variants = await addVariants(
    t,
    ids.map((entityId, i) => ({ entityId, skuPrefix: `NESTED-${i}` })),
    { name: "Size", values: ["S", "M"] },
  );
  await setPrices(
    t,
    variants.flatMap((list, i) => list.map((v) => ({ entityId: ids[i]!, variantId: v.id, amount: 1100 + i }))),
  );
  // Each product's first variant is stocked, with two ledger entries: 6 received, 1 sold. (Every
  // adjustment is a transaction of ~10 statements: the second variant stays untracked.)
  const levels = variants.map((list, i) => ({ entityId: ids[i]!, variantId: list[0]!.id }));
  await adjustStock(
    t,
    levels.map(({ entityId, variantId }) => ({ entityId, variantId, warehouseId, type: "restock", quantity: 6 })),
  );
  await adjustStock(
    t,
    levels.map(({ entityId, variantId }) => ({ entityId, variantId, warehouseId, type: "sale", quantity: 1 })),
  );
  await uploadAndAttach(
    t,
    ids.map((entityId, i) => ({
      entityId,
      bytes: pngBytes(`nested-${i}`),
      fileName: `nested-${i}.png`,
      contentType: "image/png",
      role: "gallery",
    })),
  );
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
      orders(first: 1) {
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
      expect(node.orders.totalCount).toBe(2);
      expect(node.orders.edges).toHaveLength(1);
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
    const first = (await t.graphql(ONE, { id: ids[0], first: 1 })).body.data.customer.orders;
    // Signed offsets of Customer.orders (cursors.ts): opaque, one per row, the same for every parent.
    const cursors = first.edges.map((e: any) => e.cursor);
    expect(cursors).toHaveLength(1);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: cursors[0] });
    const next = (await t.graphql(ONE, { id: ids[0], first: 1, after: first.pageInfo.endCursor })).body.data.customer
      .orders;
    expect(next.edges).toHaveLength(1);
    expect(cursors).not.toContain(next.edges[0].cursor);
    expect(next.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // The two orders, newest first, none twice; the same list the top-level orders field gives.
    const top = await t.graphql(
      `query ($id: ID!) { orders(first: 3, filter: { customerId: $id }) { edges { node { id } } } }`,
      { id: ids[0] },
    );
    expect([...first.edges, ...next.edges].map((e: any) => e.node.id)).toEqual(
      top.body.data.orders.edges.map((e: any) => e.node.id),
    );
    const none = (await t.graphql(ONE, { id: ids[0], first: 1, status: "cancelled" })).body.data.customer.orders;
    expect(none).toMatchObject({ totalCount: 0, edges: [] });

    // Two aliases with different pages of the same relation each get their own rows.
    const aliased = await t.graphql(
      `{ customers(first: 5) { edges { node { a: orders(first: 1) { edges { node { id } } } b: orders(first: 3) { totalCount edges { node { id } } } } } } }`,
    );
    expect(aliased.body.errors).toBeUndefined();
    for (const { node } of aliased.body.data.customers.edges) {
      expect(node.a.edges).toHaveLength(1);
      expect(node.b.edges).toHaveLength(2);
      expect(node.b.totalCount).toBe(2);
      expect(node.b.edges[0].node.id).toBe(node.a.edges[0].node.id);
    }

    // Nothing selected under the nodes: the page is still read (its cursors, hasNextPage), and counted.
    const bare = await t.graphql(`{ customers(first: 3) { edges { node {
      counted: orders { totalCount } paged: orders(first: 1) { pageInfo { hasNextPage } edges { cursor } }
    } } } }`);
    expect(bare.body.errors).toBeUndefined();
    for (const { node } of bare.body.data.customers.edges) {
      expect(node.counted.totalCount).toBe(2);
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
    const forged = await t.graphql(ONE, { id: ids[0], first: 1, after: encodeBase64("OffsetConnection:-1") });
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
    expect(firstOrderNumber).toMatch(/^ORD-\d{4}-000001$/);
    const { ten, hundred } = await tenAndHundred(LOOKUP, { key: firstOrderNumber });
    const found = hundred.data.customers.edges.filter((e: any) => e.node.order !== null);
    // The first order belongs to the first customer only; everyone else gets null.
    expect(found.map((e: any) => [e.node.email, e.node.order.number, e.node.order.lines.length])).toEqual([
      ["nested-0@example.com", firstOrderNumber, 1],
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
    // Each paid (pending -> confirmed), then shipped in one fulfillment (-> processing -> fulfilled).
    expect(orders.every((o: any) => o.lines.length === 1 && o.statusHistory.length === 3)).toBe(true);
    // One order in four carries the post-purchase rows.
    const full = orders.filter((o: any) => o.returns.length === 1);
    expect(full.length).toBeGreaterThanOrEqual(25);
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
