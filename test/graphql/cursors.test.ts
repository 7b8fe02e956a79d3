import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";

const t = useTestApp();

const CREATE = /* GraphQL */ `
  mutation ($input: CreateCatalogEntityInput!) {
    createCatalogEntity(input: $input) {
      __typename
      ... on CreateCatalogEntityPayload { entity { id slug } }
      ... on Error { code message }
    }
  }`;

async function create(type: string, slug: string, status = "active") {
  const res = await t.graphql(CREATE, { input: { type, slug, status } });
  expect(res.body.data.createCatalogEntity.__typename, JSON.stringify(res.body)).toBe("CreateCatalogEntityPayload");
  return res.body.data.createCatalogEntity.entity as { id: string; slug: string };
}

const LIST = /* GraphQL */ `
  query ($type: String!, $first: Int, $after: String, $last: Int, $before: String, $sort: [CatalogEntitySort!]) {
    catalogEntities(first: $first, after: $after, last: $last, before: $before, sort: $sort, filter: { type: $type }) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { slug } }
    }
  }`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { slug: string } }[];
}

async function page(variables: Record<string, unknown>): Promise<Page> {
  const res = await t.graphql(LIST, variables);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data.catalogEntities;
}

const slugs = (p: Page) => p.edges.map((e) => e.node.slug);

function expectInvalidCursor(res: { body: any }, field: "after" | "before") {
  expect(res.body.errors?.[0]?.extensions, JSON.stringify(res.body)).toMatchObject({
    code: "VALIDATION_FAILED",
    fieldErrors: [expect.objectContaining({ path: field, code: "invalid_cursor" })],
  });
}

/** The cursor with one character of its payload or its signature changed. */
function tampered(cursor: string, part: 0 | 1): string {
  const pieces = cursor.split(".");
  const text = pieces[part]!;
  const i = Math.floor(text.length / 2);
  pieces[part] = `${text.slice(0, i)}${text[i] === "A" ? "B" : "A"}${text.slice(i + 1)}`;
  return pieces.join(".");
}

describe("connection cursors", () => {
  it("refuse cursors that are forged, tampered with, or issued for another list", async () => {
    for (let i = 0; i < 3; i++) await create("forgery", `forgery-${i}`);
    const first = await page({ type: "forgery", first: 1 });
    const cursor = first.pageInfo.endCursor!;
    expect(cursor).toMatch(/^[\w-]+\.[\w-]+$/);
    // A genuine cursor pages on.
    expect(slugs(await page({ type: "forgery", first: 1, after: cursor }))).toHaveLength(1);

    // The payload is plain JSON: rewriting it, or its signature, or signing nothing, is refused.
    const [body] = cursor.split(".");
    const payload = JSON.parse(Buffer.from(body!, "base64url").toString("utf8"));
    const edited = Buffer.from(JSON.stringify(["o", 1])).toString("base64url");
    for (const forged of [
      tampered(cursor, 0),
      tampered(cursor, 1),
      `${edited}.${cursor.split(".")[1]}`,
      body!,
      `${Buffer.from(JSON.stringify(payload)).toString("base64url")}.`,
      Buffer.from("OffsetConnection:1").toString("base64"),
      "not a cursor",
    ]) {
      expectInvalidCursor(await t.graphql(LIST, { type: "forgery", first: 1, after: forged }), "after");
      expectInvalidCursor(await t.graphql(LIST, { type: "forgery", last: 1, before: forged }), "before");
    }

    // Another list, the same list in another order, and a nested list refuse it.
    const brands = await t.graphql(`query ($after: String) { brands(first: 1, after: $after) { totalCount } }`, {
      after: cursor,
    });
    expectInvalidCursor(brands, "after");
    const resorted = await t.graphql(LIST, {
      type: "forgery",
      first: 1,
      after: cursor,
      sort: [{ field: "slug", direction: "asc" }],
    });
    expectInvalidCursor(resorted, "after");
    const search = await t.graphql(`query ($after: String) { search(first: 1, after: $after) { totalCount } }`, {
      after: cursor,
    });
    expectInvalidCursor(search, "after");
    const nested = await t.graphql(
      `query ($after: String) { catalogEntities(first: 1) { edges { node { reviews(first: 1, after: $after) { totalCount } } } } }`,
      { after: cursor },
    );
    expectInvalidCursor(nested, "after");

    // A search cursor (a signed offset) pages search, and nothing else.
    const hits = await t.graphql(`{ search(first: 1) { pageInfo { endCursor } } }`);
    const searchCursor = hits.body.data.search.pageInfo.endCursor;
    const next = await t.graphql(`query ($after: String) { search(first: 1, after: $after) { totalCount } }`, {
      after: searchCursor,
    });
    expect(next.body.errors).toBeUndefined();
    expectInvalidCursor(await t.graphql(LIST, { type: "forgery", first: 1, after: searchCursor }), "after");
  });

  it("keep the next page in place when a row is inserted before the cursor", async () => {
    for (let i = 0; i < 6; i++) await create("stable", `stable-${i}`);
    const before = slugs(await page({ type: "stable", first: 100 }));
    expect(before).toHaveLength(6);

    // Newest first: page 1, then a new entity that sorts before everything, then page 2.
    const one = await page({ type: "stable", first: 3 });
    expect(slugs(one)).toEqual(before.slice(0, 3));
    const inserted = await create("stable", "stable-new");
    const two = await page({ type: "stable", first: 3, after: one.pageInfo.endCursor });
    expect(slugs(two)).toEqual(before.slice(3, 6));
    expect(two.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });

    // The list did change: the new row is first, and paging back from page 2 finds it.
    const now = slugs(await page({ type: "stable", first: 100 }));
    expect(now).toEqual([inserted.slug, ...before]);
    const back = await page({ type: "stable", last: 10, before: two.pageInfo.startCursor });
    expect(slugs(back)).toEqual([inserted.slug, ...before.slice(0, 3)]);
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

    // Deleting the row a cursor names does not lose the place either.
    const deleted = await t.graphql(
      `mutation ($id: ID!) { deleteCatalogEntity(input: { id: $id }) { __typename ... on Error { code } } }`,
      { id: inserted.id },
    );
    expect(deleted.body.data.deleteCatalogEntity.__typename).not.toMatch(/Error$/);
    expect(back.edges[0]!.node.slug).toBe(inserted.slug);
    const afterDeleted = await page({ type: "stable", first: 3, after: back.edges[0]!.cursor });
    expect(slugs(afterDeleted)).toEqual(before.slice(0, 3));
  });

  it("page forward (first/after) and backward (last/before, last alone) through the same rows", async () => {
    // Many rows share a type and status: the id decides their order, in both directions.
    for (let i = 0; i < 7; i++)
      await create("walk", `walk-${String.fromCharCode(103 - i)}`, i % 2 ? "draft" : "active");
    for (const sort of [
      undefined,
      [{ field: "slug", direction: "asc" }],
      [{ field: "status", direction: "desc" }],
      [{ field: "type", direction: "asc" }],
    ]) {
      const all = slugs(await page({ type: "walk", first: 100, sort }));
      expect(all).toHaveLength(7);

      const forward: string[] = [];
      let after: string | undefined;
      for (let n = 0; ; n++) {
        const p = await page({ type: "walk", first: 3, after, sort });
        expect(p.pageInfo.hasPreviousPage).toBe(n > 0);
        forward.push(...slugs(p));
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor!;
      }
      expect(forward).toEqual(all);

      const backward: string[] = [];
      let before: string | undefined;
      for (let n = 0; ; n++) {
        const p = await page({ type: "walk", last: 3, before, sort });
        expect(p.pageInfo.hasNextPage).toBe(n > 0);
        backward.unshift(...slugs(p));
        if (!p.pageInfo.hasPreviousPage) break;
        before = p.pageInfo.startCursor!;
      }
      expect(backward).toEqual(all);

      // last alone is the end of the list; first + last the end of the first page.
      expect(slugs(await page({ type: "walk", last: 2, sort }))).toEqual(all.slice(-2));
      const firstLast = await page({ type: "walk", first: 4, last: 2, sort });
      expect(slugs(firstLast)).toEqual(all.slice(2, 4));
      expect(firstLast.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
      // Between two cursors: exactly the rows between them.
      const edges = (await page({ type: "walk", first: 100, sort })).edges;
      const between = await page({ type: "walk", after: edges[1]!.cursor, before: edges[5]!.cursor, sort });
      expect(slugs(between)).toEqual(all.slice(2, 5));
      const betweenBack = await page({
        type: "walk",
        last: 2,
        after: edges[1]!.cursor,
        before: edges[5]!.cursor,
        sort,
      });
      expect(slugs(betweenBack)).toEqual(all.slice(3, 5));
    }
  });

  it("leave REST's page numbers as they were: offsets into the same order", async () => {
    for (let i = 0; i < 5; i++) await create("restpaged", `restpaged-${i}`);
    const all = slugs(await page({ type: "restpaged", first: 100 }));
    const second = await t.request("GET", "/api/catalog/entities?type=restpaged&page=2&limit=2");
    expect(second.status).toBe(200);
    expect(second.body.data.map((e: { slug: string }) => e.slug)).toEqual(all.slice(2, 4));
    expect(second.body.meta.pagination).toEqual({ page: 2, limit: 2, total: 5, totalPages: 3 });
    const third = await t.request("GET", "/api/catalog/entities?type=restpaged&page=3&limit=2");
    expect(third.body.data.map((e: { slug: string }) => e.slug)).toEqual(all.slice(4));
    const beyond = await t.request("GET", "/api/catalog/entities?type=restpaged&page=9&limit=2");
    expect(beyond.body.data).toEqual([]);
  });

  it("carry long order keys: categories named with 200 non-ASCII characters page through seed 000's cursors", async () => {
    const names = ["€", "ß", "文"].map((c) => c.repeat(200));
    for (const [i, name] of names.entries()) {
      const res = await t.request("POST", "/api/catalog/categories", { body: { name, slug: `long-${i}` } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await t.request(
        "GET",
        `/api/storefront/v1/stores/default/collections?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { key: null },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      seen.push(...res.body.data.map((c: { name: string }) => c.name));
      cursor = res.body.next_cursor;
    } while (cursor && seen.length < 10);
    expect(seen.filter((name) => names.includes(name)).sort()).toEqual([...names].sort());
  });
});
