import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { ok, product } from "../../helpers/storefront.js";

const t = useTestApp();

const link = (entityId: string, kind: "categories" | "brands", id: string) =>
  ok(t, "POST", `/api/catalog/entities/${entityId}/${kind}/${id}`, { body: {} });

let source: { id: string; slug: string };
let sameCategoryAndBrand: { id: string };
let sameCategory: { id: string };
let sameBrand: { id: string };
let sameWords: { id: string };
let unrelated: { id: string };
let draft: string;

beforeAll(async () => {
  const bags = await ok(t, "POST", "/api/catalog/categories", { body: { name: "Bags", slug: "bags" } });
  const shoes = await ok(t, "POST", "/api/catalog/categories", { body: { name: "Shoes", slug: "shoes" } });
  const acme = await ok(t, "POST", "/api/catalog/brands", { body: { name: "Acme", slug: "acme" } });
  source = await product(t, { titles: { en: "Canvas Weekender", de: "Segeltuch Reisetasche" } });
  sameCategoryAndBrand = await product(t, { titles: { en: "Leather Duffel", de: "Leder Sporttasche" } });
  sameCategory = await product(t, { title: "Tote" });
  sameBrand = await product(t, { title: "Sneaker" });
  sameWords = await product(t, { title: "Canvas Strap" });
  unrelated = await product(t, { title: "Garden Hose" });
  await link(source.id, "categories", bags.id);
  await link(source.id, "brands", acme.id);
  await link(sameCategoryAndBrand.id, "categories", bags.id);
  await link(sameCategoryAndBrand.id, "brands", acme.id);
  await link(sameCategory.id, "categories", bags.id);
  await link(sameBrand.id, "brands", acme.id);
  await link(sameBrand.id, "categories", shoes.id);
  await link(unrelated.id, "categories", shoes.id);
  // A draft that shares everything is never shown.
  draft = (await ok(t, "POST", "/api/catalog/entities", { body: { type: "product", slug: "draft-weekender" } })).id;
  await ok(t, "PUT", `/api/catalog/entities/${draft}/attributes/en`, { body: { title: "Canvas Weekender" } });
  await link(draft, "categories", bags.id);
});

describe("similar products: shared categories, brands and title words", () => {
  it("ranks category (3) + brand (2) over category, brand, then title words; leaves out unrelated and draft products", async () => {
    const res = await t.request("GET", `/api/catalog/entities/${source.id}/similar`, { key: null });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ids = res.body.data.map((e: any) => e.id);
    expect(ids.slice(0, 3)).toEqual([sameCategoryAndBrand.id, sameCategory.id, sameBrand.id]);
    expect(ids).toContain(sameWords.id);
    expect(ids).not.toContain(unrelated.id);
    expect(ids).not.toContain(draft);
    expect(ids).not.toContain(source.id);
  });

  it("answers by slug, honours limit, localizes by Accept-Language, and is a 404 for an unknown product", async () => {
    const res = await t.request("GET", `/api/catalog/entities/${source.slug}/similar?limit=1`, {
      key: null,
      headers: { "accept-language": "de-DE,de;q=0.9" },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      id: sameCategoryAndBrand.id,
      localized: { locale: "de", title: "Leder Sporttasche" },
    });
    expect((await t.request("GET", "/api/catalog/entities/no-such-product/similar", { key: null })).status).toBe(404);
    expect((await t.request("GET", `/api/catalog/entities/${source.id}/similar?limit=51`, { key: null })).status).toBe(
      422,
    );
  });

  it("is CatalogEntity.similar(first:) in GraphQL, one statement for the matches of a whole page", async () => {
    const query = `query ($first: Int) { catalogEntities(first: $first) { edges { node { id similar(first: 3) { id localized { title } } } } } }`;
    const count = async (first: number) => {
      const before = t.app.db.statementCount();
      const res = await t.graphql(query, { first }, null);
      expect(res.body.errors).toBeUndefined();
      return { statements: t.app.db.statementCount() - before, data: res.body.data };
    };
    await count(1); // warm-up; the other sizes are different variables, so no cached answer is counted
    const one = await count(2);
    const all = await count(20);
    expect(all.data.catalogEntities.edges.length).toBeGreaterThan(3);
    const ofSource = all.data.catalogEntities.edges.find((e: any) => e.node.id === source.id);
    expect(ofSource.node.similar.map((s: any) => s.id)).toEqual([
      sameCategoryAndBrand.id,
      sameCategory.id,
      sameBrand.id,
    ]);
    expect(all.statements).toBe(one.statements);
  });
});
