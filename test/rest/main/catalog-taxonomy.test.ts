import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";

const t = useTestApp();

const createCategory = async (body: Record<string, unknown>) => {
  const res = await t.request("POST", "/api/catalog/categories", { body });
  expect(res.status).toBe(201);
  return res.body.data as { id: string; slug: string; parentId: string | null };
};

describe("categories", () => {
  it("creates categories with derived slugs and a parent/child tree", async () => {
    const root = await createCategory({ name: "Home & Garden" });
    expect(root).toMatchObject({ slug: "home-garden", parentId: null });
    const child = await createCategory({ name: "Lamps", parentId: root.id, sortOrder: 1 });
    await createCategory({ name: "Chairs", parentId: root.id, sortOrder: 0 });
    expect(child.parentId).toBe(root.id);

    const list = await t.request("GET", "/api/catalog/categories", { key: null });
    expect(list.status).toBe(200);
    expect(list.body.meta.pagination.total).toBe(3);
    const listedRoot = list.body.data.find((c: { id: string }) => c.id === root.id);
    expect(listedRoot.children).toHaveLength(2);

    const children = await t.request("GET", `/api/catalog/categories?parentId=${root.id}`, { key: null });
    expect(children.body.data.map((c: { name: string }) => c.name)).toEqual(["Chairs", "Lamps"]);
    const roots = await t.request("GET", "/api/catalog/categories?roots=true", { key: null });
    expect(roots.body.data.map((c: { id: string }) => c.id)).toEqual([root.id]);
  });

  it("refuses duplicate slugs, unknown parents and cycles", async () => {
    const a = await createCategory({ name: "Cycle A" });
    const b = await createCategory({ name: "Cycle B", parentId: a.id });
    const dup = await t.request("POST", "/api/catalog/categories", { body: { name: "Cycle A" } });
    expect(dup.status).toBe(409);
    const orphan = await t.request("POST", "/api/catalog/categories", {
      body: { name: "Orphan", parentId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(orphan.status).toBe(422);
    expect(orphan.body.error.details[0].path).toBe("parentId");
    const cycle = await t.request("PATCH", `/api/catalog/categories/${a.id}`, { body: { parentId: b.id } });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error.details[0]).toMatchObject({ path: "parentId", code: "cycle" });
    const self = await t.request("PATCH", `/api/catalog/categories/${a.id}`, { body: { parentId: a.id } });
    expect(self.status).toBe(422);
  });

  it("updates and moves a category to the top level", async () => {
    const parent = await createCategory({ name: "Move parent" });
    const child = await createCategory({ name: "Move child", parentId: parent.id });
    const renamed = await t.request("PATCH", `/api/catalog/categories/${child.id}`, {
      body: { name: "Moved", parentId: null },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: "Moved", slug: "move-child", parentId: null });
  });

  it("refuses to delete a category with subcategories (409), then deletes it", async () => {
    const parent = await createCategory({ name: "Del parent" });
    const child = await createCategory({ name: "Del child", parentId: parent.id });
    expect((await t.request("DELETE", `/api/catalog/categories/${parent.id}`)).status).toBe(409);
    expect((await t.request("DELETE", `/api/catalog/categories/${child.id}`)).status).toBe(200);
    const gone = await t.request("DELETE", `/api/catalog/categories/${parent.id}`);
    expect(gone.status).toBe(200);
    expect(gone.body.data).toEqual({ id: parent.id });
    expect((await t.request("DELETE", `/api/catalog/categories/${parent.id}`)).status).toBe(404);
  });

  it("requires catalog permissions to write", async () => {
    expect((await t.request("POST", "/api/catalog/categories", { key: null, body: { name: "x" } })).status).toBe(401);
    const key = await t.createKey(["catalog:update"]);
    expect((await t.request("POST", "/api/catalog/categories", { key, body: { name: "x" } })).status).toBe(403);
  });
});

describe("brands", () => {
  it("creates, lists, updates and deletes brands", async () => {
    const created = await t.request("POST", "/api/catalog/brands", {
      body: { name: "Acme Corp", logoUrl: "https://example.com/acme.png" },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      name: "Acme Corp",
      slug: "acme-corp",
      logoUrl: "https://example.com/acme.png",
    });
    const id = created.body.data.id;
    expect((await t.request("POST", "/api/catalog/brands", { body: { name: "Acme Corp" } })).status).toBe(409);
    const badUrl = await t.request("POST", "/api/catalog/brands", { body: { name: "Bad", logoUrl: "not a url" } });
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.error.details[0].path).toBe("logoUrl");

    const list = await t.request("GET", "/api/catalog/brands?limit=10", { key: null });
    expect(list.body.data.map((b: { id: string }) => b.id)).toContain(id);
    expect(list.body.meta.pagination).toMatchObject({ page: 1, limit: 10 });

    const updated = await t.request("PATCH", `/api/catalog/brands/${id}`, { body: { description: "Everything" } });
    expect(updated.body.data).toMatchObject({ name: "Acme Corp", description: "Everything" });
    expect(
      (await t.request("PATCH", "/api/catalog/brands/00000000-0000-4000-8000-000000000000", { body: { name: "x" } }))
        .status,
    ).toBe(404);
    expect((await t.request("DELETE", `/api/catalog/brands/${id}`)).status).toBe(200);
    expect((await t.request("DELETE", `/api/catalog/brands/${id}`)).status).toBe(404);
  });
});

describe("entity links", () => {
  it("adds and removes an entity to categories and brands", async () => {
    const entity = (
      await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug: "linked", status: "active" } })
    ).body.data;
    const category = await createCategory({ name: "Linked cat" });
    const brand = (await t.request("POST", "/api/catalog/brands", { body: { name: "Linked brand" } })).body.data;

    const addCat = await t.request("POST", `/api/catalog/entities/${entity.id}/categories/${category.id}`);
    expect(addCat.status).toBe(200);
    expect(addCat.body.data.categories.map((c: { id: string }) => c.id)).toEqual([category.id]);
    // adding twice is harmless
    expect((await t.request("POST", `/api/catalog/entities/${entity.id}/categories/${category.id}`)).status).toBe(200);
    const addBrand = await t.request("POST", `/api/catalog/entities/${entity.id}/brands/${brand.id}`);
    expect(addBrand.body.data.brands.map((b: { id: string }) => b.id)).toEqual([brand.id]);

    const included = await t.request("GET", `/api/catalog/entities/${entity.id}?include=categories,brands`, {
      key: null,
    });
    expect(included.body.data.categories[0]).toMatchObject({ id: category.id, name: "Linked cat" });
    expect(included.body.data.brands[0]).toMatchObject({ id: brand.id, name: "Linked brand" });

    const removeCat = await t.request("DELETE", `/api/catalog/entities/${entity.id}/categories/${category.id}`);
    expect(removeCat.body.data.categories).toEqual([]);
    expect((await t.request("DELETE", `/api/catalog/entities/${entity.id}/categories/${category.id}`)).status).toBe(
      404,
    );
    expect(
      (await t.request("DELETE", `/api/catalog/entities/${entity.id}/brands/${brand.id}`)).body.data.brands,
    ).toEqual([]);
  });

  it("answers 404 for unknown entities, categories and brands", async () => {
    const entity = (await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug: "link-404" } }))
      .body.data;
    const none = "00000000-0000-4000-8000-000000000000";
    expect((await t.request("POST", `/api/catalog/entities/${entity.id}/categories/${none}`)).status).toBe(404);
    expect((await t.request("POST", `/api/catalog/entities/${entity.id}/brands/${none}`)).status).toBe(404);
    expect((await t.request("POST", `/api/catalog/entities/${none}/brands/${none}`)).status).toBe(404);
    expect((await t.request("POST", `/api/catalog/entities/${entity.id}/brands/garbage`)).status).toBe(404);
  });
});
