import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { approvedVendor, vendorKey, vendorProduct } from "../helpers/marketplace.js";

const t = useTestApp();

async function ok(query: string, variables: Record<string, unknown> = {}, key?: string | null) {
  const res = await t.graphql(query, variables, key);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data;
}

describe("Product and the other entity types", () => {
  it("implement CatalogEntity: `... on Product { variants vendor }` works and plain selections are unchanged", async () => {
    const vendor = await approvedVendor(t, { name: "Typed Goods" });
    const productId = await vendorProduct(t, vendor, { slug: "typed-tent" });
    const variant = await t.request("POST", `/api/catalog/entities/${productId}/variants`, {
      key: vendor.key,
      body: { sku: "TYPED-TENT-1" },
    });
    expect(variant.status, JSON.stringify(variant.body)).toBe(201);
    for (const [type, slug] of [
      ["digitalDownload", "typed-ebook"],
      ["giftWrap", "typed-wrap"],
    ]) {
      expect(
        (await t.request("POST", "/api/catalog/entities", { body: { type, slug, status: "active" } })).status,
      ).toBe(201);
    }

    const data = await ok(
      `{
        a: catalogEntity(slug: "typed-tent") { __typename id slug ... on Product { variants { sku } vendor { name } } }
        b: catalogEntity(slug: "typed-ebook") { __typename ... on DigitalDownload { slug vendor { name } } }
        c: catalogEntity(slug: "typed-wrap") { __typename ... on GenericCatalogEntity { type } }
        list: catalogEntities(first: 50) { edges { node { slug ... on Product { variants { sku } } } } }
        node(id: "${productId}") { __typename ... on CatalogEntity { slug } }
      }`,
      {},
      null,
    );
    expect(data.a).toEqual({
      __typename: "Product",
      id: productId,
      slug: "typed-tent",
      variants: [{ sku: "TYPED-TENT-1" }],
      vendor: { name: "Typed Goods" },
    });
    expect(data.b).toEqual({ __typename: "DigitalDownload", slug: "typed-ebook", vendor: null });
    expect(data.c).toEqual({ __typename: "GenericCatalogEntity", type: "giftWrap" });
    expect(data.node).toEqual({ __typename: "Product", slug: "typed-tent" });
    const listed = new Map(data.list.edges.map((e: { node: { slug: string } }) => [e.node.slug, e.node]));
    expect(listed.get("typed-tent")).toEqual({ slug: "typed-tent", variants: [{ sku: "TYPED-TENT-1" }] });
    expect(listed.get("typed-ebook")).toEqual({ slug: "typed-ebook" });
  });
});

describe("vendors in GraphQL", () => {
  it("vendor B's key sees and changes nothing of vendor A, on every vendor, catalog, pricing and stock field", async () => {
    const a = await approvedVendor(t, { name: "Alpha", metadata: { iban: "alpha-iban" } });
    const b = await approvedVendor(t, { name: "Beta" });
    const aEntity = await vendorProduct(t, a, { price: 1200, stock: 3 });
    const aPrice = (await t.request("GET", `/api/pricing/prices?entityId=${aEntity}`, { key: a.key })).body.data[0].id;
    const bKey = await vendorKey(t, b.id, ["*:*"]);

    const reads = await ok(
      `query ($a: ID!, $entity: ID!) {
        vendor(id: $a) { id }
        vendors(first: 100) { edges { node { id name } } }
        vendorMe { id name metadata }
        catalogEntity(id: $entity) { id }
        catalogEntities(first: 100, filter: { vendorId: $a }) { edges { node { id } } }
        entity: node(id: $entity) { id }
        vendorNode: node(id: $a) { id }
        prices(first: 100, filter: { entityId: $entity }) { edges { node { id } } }
        inventoryCheck(entityIds: [$entity]) { entityId }
        vendorReviews(vendorId: $a, first: 10) { totalCount }
      }`,
      { a: a.id, entity: aEntity },
      bKey,
    );
    expect(reads).toEqual({
      vendor: null,
      vendors: { edges: [{ node: { id: b.id, name: "Beta" } }] },
      vendorMe: { id: b.id, name: "Beta", metadata: {} },
      catalogEntity: null,
      catalogEntities: { edges: [] },
      entity: null,
      vendorNode: null,
      prices: { edges: [] },
      inventoryCheck: [],
      vendorReviews: { totalCount: 0 },
    });

    const mutations: [string, Record<string, unknown>][] = [
      ['updateCatalogEntity(input: { id: $id, slug: "stolen" })', { id: aEntity }],
      ["publishCatalogEntity(input: { id: $id })", { id: aEntity }],
      ["archiveCatalogEntity(input: { id: $id })", { id: aEntity }],
      ["deleteCatalogEntity(input: { id: $id })", { id: aEntity }],
      ["updatePrice(input: { id: $id, amount: 1 })", { id: aPrice }],
      ['updateVendor(input: { id: $id, name: "Stolen" })', { id: a.id }],
      ['updateVendorReview(input: { vendorId: $id, reviewId: $id, reply: "x" })', { id: a.id }],
    ];
    for (const [field, variables] of mutations) {
      const res = await t.graphql(
        `mutation ($id: ID!) { result: ${field} { __typename ... on Error { code } } }`,
        variables,
        bKey,
      );
      expect(res.body.data?.result, `${field}: ${JSON.stringify(res.body)}`).toMatchObject({ code: "NOT_FOUND" });
    }
    for (const field of ["approveVendor", "suspendVendor", "rejectVendor", "reinstateVendor"]) {
      const res = await t.graphql(
        `mutation ($id: ID!) { ${field}(input: { id: $id, reason: "x" }) { __typename } }`,
        { id: a.id },
        bKey,
      );
      expect(res.body.errors?.[0]?.extensions?.code, field).toBe("FORBIDDEN");
    }
    const created = await ok(
      `mutation ($a: ID!) { createCatalogEntity(input: { type: "product", slug: "beta-claims-alpha", vendorId: $a }) { ... on CreateCatalogEntityPayload { entity { vendorId } } } }`,
      { a: a.id },
      bKey,
    );
    expect(created.createCatalogEntity.entity.vendorId).toBe(b.id);
    // A is as it was.
    const admin = await ok(
      `query ($a: ID!, $e: ID!) { vendor(id: $a) { name metadata } catalogEntity(id: $e) { slug status prices { amount } } }`,
      { a: a.id, e: aEntity },
    );
    expect(admin).toEqual({
      vendor: { name: "Alpha", metadata: { iban: "alpha-iban" } },
      catalogEntity: expect.objectContaining({ status: "active", prices: [{ amount: 1200 }] }),
    });
  });

  it("the public sees approved vendors and their active products, not private fields", async () => {
    const vendor = await approvedVendor(t, { name: "Public Co", phone: "+49 30 1234" });
    const active = await vendorProduct(t, vendor);
    await t.request("POST", "/api/catalog/entities", {
      key: vendor.key,
      body: { type: "product", slug: "public-co-draft" },
    });
    const data = await ok(
      `query ($id: ID!) { vendor(id: $id) { name phone email products(first: 10) { totalCount edges { node { id } } } } }`,
      { id: vendor.id },
      null,
    );
    expect(data.vendor).toEqual({
      name: "Public Co",
      phone: null,
      email: null,
      products: { totalCount: 1, edges: [{ node: { id: active } }] },
    });
    const own = await ok(`{ vendorMe { phone products(first: 10) { totalCount } } }`, {}, vendor.key);
    expect(own.vendorMe).toEqual({ phone: "+49 30 1234", products: { totalCount: 2 } });
  });
});
