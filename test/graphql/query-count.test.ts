import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";

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
  const { prisma } = t.app.db;
  const storeId = t.app.defaultStoreId;
  const category = await prisma.category.create({ data: { storeId, name: `${prefix} cat`, slug: `${prefix}-cat` } });
  const brand = await prisma.brand.create({ data: { storeId, name: `${prefix} brand`, slug: `${prefix}-brand` } });
  for (let i = 0; i < count; i++) {
    const entity = await prisma.catalogEntity.create({
      data: {
        storeId,
        type: "product",
        slug: `${prefix}-${i}`,
        status: "active",
        attributes: { create: { locale: "en", title: `Product ${i}` } },
        categories: { create: { categoryId: category.id } },
        brands: { create: { brandId: brand.id } },
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
      },
      include: { optionTypes: { include: { values: true } } },
    });
    for (const value of entity.optionTypes[0]!.values) {
      await prisma.variant.create({
        data: {
          storeId,
          entityId: entity.id,
          sku: `${prefix}-${i}-${value.value}`,
          optionKey: value.id,
          optionValues: { create: { optionValueId: value.id } },
        },
      });
    }
  }
}

async function statementsFor(first: number): Promise<number> {
  const before = t.app.db.statementCount();
  const res = await t.request("POST", "/graphql", { body: { query: NESTED, variables: { first } }, key: null });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.catalogEntities.edges).toHaveLength(first);
  return t.app.db.statementCount() - before;
}

describe("no N+1", () => {
  it("issues the same number of SQL statements for 10 and for 100 products", async () => {
    await seed(100, "qc");
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
