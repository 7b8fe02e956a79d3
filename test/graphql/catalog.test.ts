import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";

const t = useTestApp();

const CREATE = /* GraphQL */ `
  mutation ($input: CreateCatalogEntityInput!) {
    createCatalogEntity(input: $input) {
      __typename
      ... on CreateCatalogEntityPayload { entity { id slug status } }
      ... on Error { code message }
      ... on ValidationError { fieldErrors { path code } }
      ... on ConflictError { target }
    }
  }`;

async function create(slug: string, status = "active") {
  const res = await t.graphql(CREATE, { input: { type: "product", slug, status } });
  expect(res.body.data.createCatalogEntity.__typename).toBe("CreateCatalogEntityPayload");
  return res.body.data.createCatalogEntity.entity as { id: string };
}

describe("GraphQL catalog mutations", () => {
  it("return typed errors in the result union", async () => {
    await create("gql-dup");
    const dup = await t.graphql(CREATE, { input: { type: "product", slug: "gql-dup" } });
    expect(dup.body.data.createCatalogEntity).toMatchObject({
      __typename: "ConflictError",
      code: "CONFLICT",
      target: "slug",
    });
    const invalid = await t.graphql(CREATE, { input: { type: "Product!", slug: "ok-slug" } });
    expect(invalid.body.data.createCatalogEntity).toMatchObject({
      __typename: "ValidationError",
      code: "VALIDATION_FAILED",
      fieldErrors: [{ path: "type" }],
    });
    const transition = await t.graphql(
      `mutation ($id: ID!) { discontinueCatalogEntity(input: { id: $id }) {
         __typename ... on InvalidTransitionError { code currentStatus requestedStatus } } }`,
      { id: (await create("gql-draft", "draft")).id },
    );
    expect(transition.body.data.discontinueCatalogEntity).toEqual({
      __typename: "InvalidTransitionError",
      code: "CONFLICT",
      currentStatus: "draft",
      requestedStatus: "discontinued",
    });
  });

  it("report missing credentials as UNAUTHORIZED and missing permissions as FORBIDDEN", async () => {
    const anonymous = await t.graphql(CREATE, { input: { type: "product", slug: "nope" } }, null);
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHORIZED");
    const reader = await t.createKey(["catalog:read"]);
    const forbidden = await t.graphql(CREATE, { input: { type: "product", slug: "nope" } }, reader);
    expect(forbidden.body.errors[0].extensions.code).toBe("FORBIDDEN");
    expect(forbidden.body.data).toBeNull();
  });
});

describe("GraphQL catalog queries", () => {
  it("serve a Relay connection with nested variants, option values, categories and brands", async () => {
    const entity = await create("nested");
    await t.request("POST", `/api/catalog/entities/${entity.id}/options`, {
      body: { name: "Size", values: [{ value: "S" }, { value: "M" }] },
    });
    await t.request("POST", `/api/catalog/entities/${entity.id}/variants/generate`, { body: {} });
    const category = (await t.request("POST", "/api/catalog/categories", { body: { name: "Nested cat" } })).body.data;
    const brand = (await t.request("POST", "/api/catalog/brands", { body: { name: "Nested brand" } })).body.data;
    await t.request("POST", `/api/catalog/entities/${entity.id}/categories/${category.id}`);
    await t.request("POST", `/api/catalog/entities/${entity.id}/brands/${brand.id}`);

    const res = await t.graphql(
      `{ catalogEntities(first: 10, filter: { type: "product" }) {
          totalCount
          pageInfo { hasNextPage }
          edges { cursor node { slug
            variants { sku optionValues { value optionType { name } } }
            categories { name } brands { name } } } } }`,
      undefined,
      null,
    );
    expect(res.body.errors).toBeUndefined();
    const node = res.body.data.catalogEntities.edges.find(
      (e: { node: { slug: string } }) => e.node.slug === "nested",
    ).node;
    expect(node.variants.map((v: { sku: string }) => v.sku)).toEqual(["NESTED-S", "NESTED-M"]);
    expect(node.variants[0].optionValues).toEqual([{ value: "S", optionType: { name: "Size" } }]);
    expect(node.categories).toEqual([{ name: "Nested cat" }]);
    expect(node.brands).toEqual([{ name: "Nested brand" }]);
  });

  it("pages forward with first/after and caps first at 100", async () => {
    for (let i = 0; i < 3; i++) await create(`pager-${i}`);
    const page = async (after?: string) =>
      (
        await t.graphql(
          `query ($after: String) { catalogEntities(first: 2, after: $after, sort: [{ field: slug, direction: asc }], filter: { type: "product" }) {
             totalCount pageInfo { hasNextPage endCursor } edges { node { slug } } } }`,
          { after },
        )
      ).body.data.catalogEntities;
    const first = await page();
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    const slugs = [...first.edges, ...second.edges].map((e: { node: { slug: string } }) => e.node.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    const tooMany = await t.graphql(`{ catalogEntities(first: 101) { totalCount } }`);
    expect(tooMany.body.errors[0].extensions.code).toBe("VALIDATION_FAILED");
  });

  it("pages backward: last alone is the end of the list, last/before the page before a cursor", async () => {
    for (let i = 0; i < 5; i++) await create(`tail-${i}`);
    const query = `query ($last: Int, $before: String) {
      catalogEntities(last: $last, before: $before, sort: [{ field: slug, direction: asc }], filter: { type: "product" }) {
        totalCount pageInfo { hasPreviousPage startCursor } edges { node { slug } } } }`;
    const all = (
      await t.graphql(
        `{ catalogEntities(first: 100, sort: [{ field: slug, direction: asc }], filter: { type: "product" }) { edges { node { slug } } } }`,
      )
    ).body.data.catalogEntities.edges.map((e: { node: { slug: string } }) => e.node.slug);
    const end = await t.graphql(query, { last: 2 });
    expect(end.body.errors).toBeUndefined();
    const tail = end.body.data.catalogEntities;
    expect(tail.edges.map((e: { node: { slug: string } }) => e.node.slug)).toEqual(all.slice(-2));
    expect(tail.pageInfo.hasPreviousPage).toBe(true);
    const before = (await t.graphql(query, { last: 2, before: tail.pageInfo.startCursor })).body.data.catalogEntities;
    expect(before.edges.map((e: { node: { slug: string } }) => e.node.slug)).toEqual(all.slice(-4, -2));
  });

  it("resolve any object by its UUID through node(id:), within what the caller may see", async () => {
    const active = await create("node-active");
    const draft = await create("node-draft", "draft");
    const query = `query ($id: ID!) { node(id: $id) { __typename id ... on CatalogEntity { slug } } }`;
    const found = await t.graphql(query, { id: active.id }, null);
    // CatalogEntity is an interface: the object type follows the entity's type (entity-types.ts).
    expect(found.body.data.node).toEqual({ __typename: "Product", id: active.id, slug: "node-active" });
    expect((await t.graphql(query, { id: draft.id }, null)).body.data.node).toBeNull();
    expect((await t.graphql(query, { id: draft.id })).body.data.node.slug).toBe("node-draft");
    expect((await t.graphql(query, { id: "not-a-uuid" })).body.data.node).toBeNull();
    const brand = (await t.request("POST", "/api/catalog/brands", { body: { name: "Node brand" } })).body.data;
    const byNode = await t.graphql(
      `query ($id: ID!) { node(id: $id) { __typename ... on Brand { name } } }`,
      { id: brand.id },
      null,
    );
    expect(byNode.body.data.node).toEqual({ __typename: "Brand", name: "Node brand" });
  });

  it("reject queries beyond the depth, breadth or cost limits before running resolvers", async () => {
    const before = t.app.db.statementCount();
    const deep = `{ catalogEntities { edges { node { variants { entity { variants { entity { variants { entity { variants { entity { variants { entity { slug } } } } } } } } } } } } } }`;
    const tooDeep = await t.graphql(deep);
    expect(tooDeep.body.errors.map((e: { message: string }) => e.message).join(" ")).toMatch(/depth/i);
    expect(tooDeep.body.data).toBeUndefined();
    const aliases = Array.from({ length: 301 }, (_, i) => `a${i}: __typename`).join(" ");
    expect((await t.graphql(`{ ${aliases} }`)).body.errors[0].message).toMatch(/breadth/i);
    const costly = `{ catalogEntities(first: 100) { edges { node { variants { optionValues { optionType { values { optionType { values { optionType { values { value } } } } } } } } } } } }`;
    expect((await t.graphql(costly)).body.errors[0].message).toMatch(/complexity/i);
    expect(t.app.db.statementCount()).toBe(before);
  });

  it("report the measured cost in extensions, on every request, with its variables", async () => {
    const query = `query ($n: Int) { catalogEntities(first: $n) { edges { node { slug variants { sku } } } } }`;
    const small = (await t.graphql(query, { n: 1 })).body.extensions.complexity;
    const again = (await t.graphql(query, { n: 1 })).body.extensions.complexity;
    const large = (await t.graphql(query, { n: 100 })).body.extensions.complexity;
    expect(small).toMatchObject({
      complexity: expect.any(Number),
      depth: expect.any(Number),
      limits: { complexity: 100000, depth: 12, breadth: 300 },
    });
    expect(again).toEqual(small);
    expect(large.complexity).toBeGreaterThan(small.complexity);
  });
});
