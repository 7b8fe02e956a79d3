import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { catalogProduct, createBrand, createCategory, times } from "../helpers/catalog.js";

const t = useTestApp();

const NESTED = /* GraphQL */ `
  query ($first: Int!) {
    catalogEntities(first: $first, filter: { type: "product" }) {
      totalCount
      edges { node {
        id slug attributes(locale: "en") { title }
        variants { sku optionValues { value optionType { name } } }
        optionTypes { name values { value } }
        categories { name parent { name } }
        brands { name }
      } }
    }
  }`;

async function seed(count: number, prefix: string) {
  const category = await createCategory(t, { name: `${prefix} cat`, slug: `${prefix}-cat` });
  const brand = await createBrand(t, { name: `${prefix} brand`, slug: `${prefix}-brand` });
  await times(count, (i) =>
    catalogProduct(t, {
      slug: `${prefix}-${i}`,
      titles: { en: `Product ${i}` },
      categoryIds: [category.id],
      brandIds: [brand.id],
      option: { name: "Size", values: ["S", "M"], sku: (value) => `${prefix}-${i}-${value}` },
    }),
  );
}

async function statementsFor(first: number): Promise<number> {
  const before = t.app.db.statementCount();
  const res = await t.request("POST", "/graphql", { body: { query: NESTED, variables: { first } }, key: null });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.catalogEntities.edges).toHaveLength(first);
  return t.app.db.statementCount() - before;
}

describe("no N+1", () => {
  // A hundred products through the API: seconds of requests, more than a test's default timeout.
  beforeAll(() => seed(100, "qc"), 300_000);

  it("issues the same number of SQL statements for 10 and for 100 products", async () => {
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    expect(hundred).toBe(ten);
    // one planned query for the page (relations joined) plus the count
    expect(ten).toBeLessThanOrEqual(3);
  });

  it("keeps the REST list with every include constant too", async () => {
    const count = async (limit: number) => {
      const before = t.app.db.statementCount();
      const res = await t.request(
        "GET",
        `/api/catalog/entities?limit=${limit}&include=attributes,variants,categories,brands,media,inventory,pricing`,
        { key: null },
      );
      expect(res.body.data).toHaveLength(limit);
      return t.app.db.statementCount() - before;
    };
    expect(await count(100)).toBe(await count(10));
  });
});
