import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { signUp } from "../helpers/customers.js";
import { buyAndReceive, ok, product } from "../helpers/storefront.js";

/**
 * Storefront v2 fields under a page of products (reviews, ratingSummary, similar, localized, price):
 * the same statement count for 10 and 100 products, each with a published review. Everything is
 * reached through the API: one customer buys and receives all 100 products and reviews each.
 */
const t = useTestApp();
const PRODUCTS = 100;

const PAGE = /* GraphQL */ `
  query ($first: Int!) {
    catalogEntities(first: $first) { edges { node {
      id
      localized { title }
      price { amount currency }
      ratingSummary { average count counts { rating count } }
      reviews(first: 5) { totalCount ratingSummary { count } edges { node { id rating title text authorName reply } } }
      similar(first: 3) { id localized { title } }
    } } }
  }`;

beforeAll(async () => {
  const category = await ok(t, "POST", "/api/catalog/categories", { body: { name: "Bags", slug: "bags" } });
  const ids: string[] = [];
  for (let i = 0; i < PRODUCTS; i++) {
    const { id } = await product(t, { titles: { en: `Bag ${i}`, de: `Tasche ${i}` } });
    await ok(t, "POST", `/api/catalog/entities/${id}/categories/${category.id}`, { body: {} });
    ids.push(id);
  }
  const buyer = await signUp(t, { name: "Reviewer" });
  // Orders of 25 lines: one fulfillment of 100 lines is a long transaction on a loaded machine.
  for (let i = 0; i < ids.length; i += 25) await buyAndReceive(t, buyer, ids.slice(i, i + 25));
  for (const [i, id] of ids.entries()) {
    const review = await ok(t, "POST", `/api/catalog/entities/${id}/reviews`, {
      ...buyer.as,
      body: { rating: (i % 5) + 1, title: "Fine", text: "A fine bag." },
    });
    await ok(t, "PATCH", `/api/reviews/${review.id}`, { body: { status: "published" } });
  }
}, 600_000);

async function statementsFor(first: number) {
  const before = t.app.db.statementCount();
  const res = await t.request("POST", "/graphql", {
    key: null,
    headers: { "accept-language": "de" },
    body: { query: PAGE, variables: { first } },
  });
  const statements = t.app.db.statementCount() - before;
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return { statements, edges: res.body.data.catalogEntities.edges as any[] };
}

describe("storefront v2 statement count", () => {
  it("is the same for 10 and 100 products with reviews, rating summaries, similar products, localized text and prices", async () => {
    await statementsFor(1);
    const ten = await statementsFor(10);
    const hundred = await statementsFor(PRODUCTS);
    expect(hundred.edges).toHaveLength(PRODUCTS);
    expect(hundred.edges.every((e) => e.node.reviews.totalCount === 1 && e.node.ratingSummary.count === 1)).toBe(true);
    expect(hundred.edges.every((e) => e.node.similar.length === 3 && e.node.localized.title.startsWith("Tasche"))).toBe(
      true,
    );
    expect(hundred.edges.every((e) => e.node.reviews.edges[0].node.authorName === "Reviewer")).toBe(true);
    expect(hundred.statements).toBe(ten.statements);
    expect(hundred.statements).toBeLessThanOrEqual(10);
  });
});
