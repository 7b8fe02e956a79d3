import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { createStore, mintToken, product, productWithVariants, sf } from "./support.js";

const t = useTestApp();

/** Every page of a list, following next_cursor. */
async function allPages(path: string, limit: number) {
  const pages: { data: { id: string }[]; next_cursor?: string }[] = [];
  let cursor: string | undefined;
  do {
    const res = await sf(
      t,
      "GET",
      `${path}${path.includes("?") ? "&" : "?"}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    pages.push(res.body);
    cursor = res.body.next_cursor;
  } while (cursor && pages.length < 20);
  return pages;
}

describe("storefront v1: stores and products", () => {
  const created: { id: string; slug: string }[] = [];
  let collectionId: string;

  beforeAll(async () => {
    for (let i = 0; i < 5; i++) created.push(await product(t, { price: 1000 + i, title: `Linen tote ${i}` }));
    const collection = await t.request("POST", "/api/catalog/categories", { body: { name: "Totes", slug: "totes" } });
    expect(collection.status).toBe(201);
    collectionId = collection.body.data.id;
    for (const p of created.slice(0, 2)) {
      expect((await t.request("POST", `/api/catalog/entities/${p.id}/categories/${collectionId}`)).status).toBeLessThan(
        300,
      );
    }
  });

  it("reads a store by slug, and an unknown slug is 404 in the dialect's error shape", async () => {
    const store = await sf(t, "GET", "/stores/default");
    expect(store.status).toBe(200);
    expect(store.body).toMatchObject({
      slug: "default",
      currency: "USD",
      payment_provider: "manual",
      shipping: { enabled: true },
    });
    const missing = await sf(t, "GET", "/stores/no-such-store/products");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
  });

  it("pages a store's products with limit and cursor; next_cursor only while more pages exist", async () => {
    const pages = await allPages("/stores/default/products", 2);
    expect(pages.map((p) => p.data.length)).toEqual([2, 2, 1]);
    expect(pages.slice(0, 2).every((p) => typeof p.next_cursor === "string")).toBe(true);
    expect(pages[2]).not.toHaveProperty("next_cursor");
    const ids = pages.flatMap((p) => p.data.map((d) => d.id));
    expect(new Set(ids).size).toBe(5);
    // Newest first.
    expect(ids).toEqual(created.map((p) => p.id).reverse());
  });

  it("shows products in seed 000's shape: snake_case, prices as minor-unit integers", async () => {
    const res = await sf(t, "GET", "/stores/default/products?limit=1");
    const [p] = res.body.data;
    expect(p).toMatchObject({
      id: created[4]!.id,
      slug: created[4]!.slug,
      title: "Linen tote 4",
      price: 1004,
      currency: "USD",
      variants: [],
      images: [],
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(p).not.toHaveProperty("createdAt");
    const bySlug = await sf(t, "GET", `/stores/default/products/${created[0]!.slug}`);
    expect(bySlug.status).toBe(200);
    expect(bySlug.body).toMatchObject({ id: created[0]!.id, price: 1000 });
    expect((await sf(t, "GET", `/stores/default/products/${created[0]!.id}`)).body.slug).toBe(created[0]!.slug);
    expect((await sf(t, "GET", "/stores/default/products/no-such-product")).status).toBe(404);
  });

  it("shows variants with their own prices and options", async () => {
    const { id, variants } = await productWithVariants(t, {
      natural: { price: 4200, stock: 3 },
      black: { price: 4500, stock: 3 },
    });
    const res = await sf(t, "GET", `/stores/default/products/${id}`);
    expect(res.body.variants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: variants.natural,
          price: 4200,
          options: [expect.objectContaining({ name: "Color", value: "natural" })],
        }),
        expect.objectContaining({ id: variants.black, price: 4500 }),
      ]),
    );
    // Not part of the paging assertions above, which ran first.
    await t.request("POST", `/api/catalog/entities/${id}/archive`);
  });

  it("refuses a forged, edited or foreign cursor with 400 on `cursor`", async () => {
    const first = await sf(t, "GET", "/stores/default/products?limit=2");
    const cursor: string = first.body.next_cursor;
    const [body, tag] = cursor.split(".");
    const forgedBody = Buffer.from(
      JSON.stringify({ l: "GET /stores/:slug/products", a: Buffer.from("arrayconnection:0").toString("base64") }),
    ).toString("base64url");
    const collections = await sf(t, "GET", "/stores/default/collections?limit=1");
    await t.request("POST", "/api/catalog/categories", { body: { name: "Bags", slug: "bags" } });
    const moreCollections = await sf(t, "GET", "/stores/default/collections?limit=1");
    expect(moreCollections.body.next_cursor).toBeTruthy();
    for (const bad of [
      "garbage",
      `${forgedBody}.${tag}`,
      `${body}.${tag!.slice(0, -2)}AA`,
      `${body}x.${tag}`,
      moreCollections.body.next_cursor,
    ]) {
      const res = await sf(t, "GET", `/stores/default/products?limit=2&cursor=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error).toMatchObject({
        code: "validation_failed",
        details: [{ path: "cursor", code: "invalid_cursor" }],
      });
    }
    expect(collections.status).toBe(200);
  });

  it("validates limit with seed 000's details", async () => {
    const zero = await sf(t, "GET", "/stores/default/products?limit=0");
    expect(zero.status).toBe(400);
    expect(zero.body.error.details).toEqual([expect.objectContaining({ path: "limit", code: "too_small", min: 1 })]);
    expect((await sf(t, "GET", "/stores/default/products?limit=ten")).status).toBe(400);
  });

  it("lists collections (our categories) and filters products by collection", async () => {
    const collections = await sf(t, "GET", "/stores/default/collections");
    expect(collections.status).toBe(200);
    expect(collections.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: collectionId, slug: "totes", name: "Totes", parent_id: null }),
      ]),
    );
    const one = await sf(t, "GET", `/stores/default/collections/${collectionId}`);
    expect(one.body).toMatchObject({ id: collectionId, name: "Totes" });
    const inIt = await sf(t, "GET", `/stores/default/products?collection_id=${collectionId}`);
    expect(inIt.body.data.map((p: { id: string }) => p.id).sort()).toEqual(
      created
        .slice(0, 2)
        .map((p) => p.id)
        .sort(),
    );
    expect(inIt.body.data[0].collections).toEqual([{ id: collectionId, slug: "totes", name: "Totes" }]);
    const bad = await sf(t, "GET", "/stores/default/products?collection_id=totes");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: "collection_id", code: "invalid_uuid" })]);
  });

  it("searches a store's products", async () => {
    const res = await sf(t, "GET", "/stores/default/search?q=linen%20tote%203");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data[0]).toMatchObject({
      id: created[3]!.id,
      title: "Linen tote 3",
      price: 1003,
      score: expect.any(Number),
    });
  });

  it("answers unknown paths under the dialect in its own error shape", async () => {
    const res = await sf(t, "GET", "/no/such/route");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });

  it("refuses a key of another store on this store's slug (403 store_mismatch); another store's catalog is its own", async () => {
    const other = await createStore(t);
    const token = await mintToken(t, ["orders:read"], other.id);
    const res = await sf(t, "GET", "/stores/default/products", { bearer: token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("store_mismatch");
    const own = await sf(t, "GET", `/stores/${other.slug}/products`, { bearer: token });
    expect(own.status).toBe(200);
    expect(own.body.data).toEqual([]);
    expect((await sf(t, "GET", `/stores/${other.slug}/products`)).body.data).toEqual([]);
  });
});
