import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { catalogProduct, createBrand, createCategory, times } from "../helpers/catalog.js";

const t = useTestApp();

const SEARCH = /* GraphQL */ `
  query ($first: Int!) {
    search(query: "lantern", first: $first) {
      totalCount
      facets(fields: [type, brand, category, status]) { field values { value label count } }
      edges { node {
        score
        entity {
          id slug attributes(locale: "en") { title }
          variants { sku optionValues { value optionType { name } } }
          categories { name parent { name } }
          brands { name }
        }
      } }
    }
  }`;

async function seed(count: number) {
  const category = await createCategory(t, { name: "Lights", slug: "lights" });
  const brand = await createBrand(t, { name: "Lumen", slug: "lumen" });
  await times(count, (i) =>
    catalogProduct(t, {
      slug: `lantern-${i}`,
      titles: { en: `Lantern ${i}`, fr: `Lanterne ${i}` },
      categoryIds: [category.id],
      brandIds: [brand.id],
      option: { name: "Size", values: ["S"], sku: () => `LAN-${i}` },
    }),
  );
}

async function statementsFor(first: number): Promise<number> {
  const before = t.app.db.statementCount();
  const res = await t.request("POST", "/graphql", { body: { query: SEARCH, variables: { first } }, key: null });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.search.edges).toHaveLength(first);
  expect(res.body.data.search.edges[0].node.entity.variants[0].optionValues[0].optionType.name).toBe("Size");
  expect(res.body.data.search.facets[1].values).toEqual([expect.objectContaining({ label: "Lumen", count: 100 })]);
  return t.app.db.statementCount() - before;
}

describe("search without N+1", () => {
  // A hundred products through the API: seconds of requests, more than a test's default timeout.
  beforeAll(() => seed(100), 300_000);

  it("issues the same number of SQL statements for 10 and for 100 hits with nested entities", async () => {
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    expect(hundred).toBe(ten);
    // how the query matches, the page of hits, their entities (relations joined), the count, the facets
    expect(ten).toBeLessThanOrEqual(5);
  });

  it("keeps the REST search with every include constant too", async () => {
    const count = async (limit: number) => {
      const before = t.app.db.statementCount();
      const res = await t.request(
        "GET",
        `/api/search?q=lantern&limit=${limit}&facets=type,brand&include=attributes,variants,categories,brands,media,inventory,pricing`,
        { key: null },
      );
      expect(res.body.data).toHaveLength(limit);
      return t.app.db.statementCount() - before;
    };
    expect(await count(100)).toBe(await count(10));
  });
});
