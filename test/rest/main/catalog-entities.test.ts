import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";

const t = useTestApp();

async function createEntity(slug: string, extra: Record<string, unknown> = {}) {
  const res = await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug, ...extra } });
  expect(res.status).toBe(201);
  return res.body.data as { id: string; slug: string; status: string };
}

describe("POST /api/catalog/entities", () => {
  it("creates a draft entity and answers 201 with it in the data envelope", async () => {
    const res = await t.request("POST", "/api/catalog/entities", {
      body: { type: "product", slug: "blue-widget", status: "draft", metadata: { color: "blue" } },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      type: "product",
      slug: "blue-widget",
      status: "draft",
      metadata: { color: "blue" },
    });
    expect(res.body.data.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("refuses a duplicate slug with 409 CONFLICT", async () => {
    await createEntity("dup-slug");
    const res = await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug: "dup-slug" } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
    expect(res.body.error.message).toContain("slug");
  });

  it("answers 422 VALIDATION_FAILED with field details for bad input", async () => {
    const res = await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug: "Not A Slug" } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: "slug" })]);
  });

  it("reports unknown, missing and mistyped fields by path", async () => {
    const res = await t.request("POST", "/api/catalog/entities", { body: { slug: "x", status: "bogus", extra: 1 } });
    expect(res.status).toBe(422);
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(["extra", "status", "type"]);
  });

  it("needs a key (401) with catalog:create (403)", async () => {
    const anonymous = await t.request("POST", "/api/catalog/entities", {
      key: null,
      body: { type: "product", slug: "a1" },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("UNAUTHORIZED");
    const reader = await t.createKey(["catalog:read"]);
    const forbidden = await t.request("POST", "/api/catalog/entities", {
      key: reader,
      body: { type: "product", slug: "a1" },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("FORBIDDEN");
    const bogus = await t.request("GET", "/api/catalog/entities", { key: "not-a-real-key" });
    expect(bogus.status).toBe(401);
    const writer = await t.createKey(["catalog:create"]);
    const ok = await t.request("POST", "/api/catalog/entities", { key: writer, body: { type: "product", slug: "a1" } });
    expect(ok.status).toBe(201);
  });

  it("accepts the key as Authorization: Bearer", async () => {
    const writer = await t.createKey(["catalog:*"]);
    const res = await t.request("POST", "/api/catalog/entities", {
      key: null,
      headers: { authorization: `Bearer ${writer}` },
      body: { type: "digitalDownload", slug: "ebook" },
    });
    expect(res.status).toBe(201);
    expect(res.body.data.type).toBe("digitalDownload");
  });
});

describe("GET /api/catalog/entities/:idOrSlug", () => {
  it("finds an entity by UUID and by slug, 404 otherwise", async () => {
    const entity = await createEntity("findable", { status: "active" });
    const byId = await t.request("GET", `/api/catalog/entities/${entity.id}`, { key: null });
    expect(byId.status).toBe(200);
    expect(byId.body.data.slug).toBe("findable");
    const bySlug = await t.request("GET", "/api/catalog/entities/findable", { key: null });
    expect(bySlug.body.data.id).toBe(entity.id);
    const missing = await t.request("GET", "/api/catalog/entities/00000000-0000-4000-8000-000000000000");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: "NOT_FOUND", message: "Entity not found." } });
  });

  it("hides drafts from the public but shows them to merchants", async () => {
    const draft = await createEntity("secret-draft");
    expect((await t.request("GET", `/api/catalog/entities/${draft.id}`, { key: null })).status).toBe(404);
    expect((await t.request("GET", `/api/catalog/entities/${draft.id}`)).status).toBe(200);
  });

  it("embeds relations named in include, and rejects unknown ones", async () => {
    const entity = await createEntity("included", { status: "active" });
    await t.request("PUT", `/api/catalog/entities/${entity.id}/attributes/en`, { body: { title: "Included" } });
    const res = await t.request(
      "GET",
      `/api/catalog/entities/${entity.id}?include=attributes,variants,categories,brands,media,inventory,pricing`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      attributes: [expect.objectContaining({ locale: "en", title: "Included" })],
      variants: [],
      categories: [],
      brands: [],
      media: [],
      inventory: [],
      pricing: [],
    });
    const plain = await t.request("GET", `/api/catalog/entities/${entity.id}`);
    expect(plain.body.data.attributes).toBeUndefined();
    // stock detail per warehouse is for merchants: the public sees what is available
    const warehouse = (
      await t.request("POST", "/api/inventory/warehouses", { body: { code: "INCL", name: "Included" } })
    ).body.data;
    await t.request("POST", "/api/inventory/adjust", {
      body: { entityId: entity.id, warehouseId: warehouse.id, type: "restock", quantity: 7 },
    });
    await t.request("POST", "/api/inventory/reserve", { body: { entityId: entity.id, quantity: 2 } });
    const merchant = await t.request("GET", `/api/catalog/entities/${entity.id}?include=inventory`);
    expect(merchant.body.data.inventory).toEqual([
      { warehouseId: warehouse.id, variantId: null, onHand: 7, reserved: 2, available: 5 },
    ]);
    const shopper = await t.request("GET", `/api/catalog/entities/${entity.id}?include=inventory`, { key: null });
    expect(shopper.body.data.inventory).toEqual([
      { warehouseId: null, variantId: null, onHand: null, reserved: null, available: 5 },
    ]);
    const bad = await t.request("GET", `/api/catalog/entities/${entity.id}?include=secrets`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe("include");
  });
});

describe("PATCH and DELETE /api/catalog/entities/:id", () => {
  it("updates fields and keeps the id from the path", async () => {
    const entity = await createEntity("patch-me");
    const other = await createEntity("other-one");
    const res = await t.request("PATCH", `/api/catalog/entities/${entity.id}`, {
      body: { id: other.id, slug: "patched", metadata: { a: 1 } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: entity.id, slug: "patched", metadata: { a: 1 } });
    const untouched = await t.request("GET", `/api/catalog/entities/${other.id}`);
    expect(untouched.body.data.slug).toBe("other-one");
  });

  it("moves status only along the lifecycle table", async () => {
    const entity = await createEntity("patch-status");
    const bad = await t.request("PATCH", `/api/catalog/entities/${entity.id}`, { body: { status: "discontinued" } });
    expect(bad.status).toBe(409);
    expect(bad.body.error.details).toEqual({
      currentStatus: "draft",
      requestedStatus: "discontinued",
      allowedStatuses: ["active", "archived"],
      guard: null,
    });
    const ok = await t.request("PATCH", `/api/catalog/entities/${entity.id}`, { body: { status: "active" } });
    expect(ok.body.data.status).toBe("active");
  });

  it("answers 409 when the new slug is taken and 404 for unknown or malformed ids", async () => {
    const a = await createEntity("slug-a");
    await createEntity("slug-b");
    expect((await t.request("PATCH", `/api/catalog/entities/${a.id}`, { body: { slug: "slug-b" } })).status).toBe(409);
    expect((await t.request("PATCH", "/api/catalog/entities/nope", { body: { slug: "x" } })).status).toBe(404);
    expect((await t.request("DELETE", "/api/catalog/entities/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("deletes an entity", async () => {
    const entity = await createEntity("delete-me");
    const res = await t.request("DELETE", `/api/catalog/entities/${entity.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: entity.id });
    expect((await t.request("GET", `/api/catalog/entities/${entity.id}`)).status).toBe(404);
    const reader = await t.createKey(["catalog:update"]);
    expect((await t.request("DELETE", `/api/catalog/entities/${entity.id}`, { key: reader })).status).toBe(403);
  });
});

describe("lifecycle transitions", () => {
  it("publishes, archives and discontinues through guarded transitions", async () => {
    const entity = await createEntity("lifecycle");
    const publish = await t.request("POST", `/api/catalog/entities/${entity.id}/publish`);
    expect(publish.status).toBe(200);
    expect(publish.body.data.status).toBe("active");

    const again = await t.request("POST", `/api/catalog/entities/${entity.id}/publish`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: "CONFLICT",
      details: { currentStatus: "active", requestedStatus: "active" },
    });

    expect((await t.request("POST", `/api/catalog/entities/${entity.id}/discontinue`)).body.data.status).toBe(
      "discontinued",
    );
    expect((await t.request("POST", `/api/catalog/entities/${entity.id}/publish`)).status).toBe(409);
    expect((await t.request("POST", `/api/catalog/entities/${entity.id}/archive`)).body.data.status).toBe("archived");
    expect((await t.request("POST", `/api/catalog/entities/${entity.id}/publish`)).body.data.status).toBe("active");
  });

  it("lets exactly one of two racing transitions win", async () => {
    const entity = await createEntity("race");
    const results = await Promise.all([
      t.request("POST", `/api/catalog/entities/${entity.id}/publish`),
      t.request("POST", `/api/catalog/entities/${entity.id}/publish`),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("answers 404 for an unknown entity and 401 without a key", async () => {
    expect((await t.request("POST", "/api/catalog/entities/00000000-0000-4000-8000-000000000000/archive")).status).toBe(
      404,
    );
    const entity = await createEntity("anon-transition");
    expect((await t.request("POST", `/api/catalog/entities/${entity.id}/publish`, { key: null })).status).toBe(401);
  });
});

describe("localized attributes", () => {
  it("sets and reads attributes per locale (PUT replaces)", async () => {
    const entity = await createEntity("localized", { status: "active" });
    const body = {
      title: "Blue Widget",
      description: "A fine blue widget.",
      seoTitle: "Buy Blue Widget",
      seoDescription: "Best blue widget online.",
    };
    const put = await t.request("PUT", `/api/catalog/entities/${entity.id}/attributes/en`, { body });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ locale: "en", ...body });
    await t.request("PUT", `/api/catalog/entities/${entity.id}/attributes/de`, { body: { title: "Blaues Widget" } });
    await t.request("PUT", `/api/catalog/entities/${entity.id}/attributes/en`, { body: { title: "Blue Widget II" } });

    const en = await t.request("GET", `/api/catalog/entities/${entity.id}/attributes/en`, { key: null });
    expect(en.body.data).toMatchObject({ locale: "en", title: "Blue Widget II", description: null });
    const de = await t.request("GET", "/api/catalog/entities/localized/attributes/de", { key: null });
    expect(de.body.data.title).toBe("Blaues Widget");
    expect((await t.request("GET", `/api/catalog/entities/${entity.id}/attributes/fr`)).status).toBe(404);
  });

  it("validates the title and the locale", async () => {
    const entity = await createEntity("localized-bad");
    const noTitle = await t.request("PUT", `/api/catalog/entities/${entity.id}/attributes/en`, {
      body: { description: "x" },
    });
    expect(noTitle.status).toBe(422);
    expect(noTitle.body.error.details[0].path).toBe("title");
    const badLocale = await t.request("PUT", `/api/catalog/entities/${entity.id}/attributes/not_a_locale`, {
      body: { title: "x" },
    });
    expect(badLocale.status).toBe(422);
    expect(badLocale.body.error.details[0].path).toBe("locale");
    const missing = await t.request("PUT", "/api/catalog/entities/00000000-0000-4000-8000-000000000000/attributes/en", {
      body: { title: "x" },
    });
    expect(missing.status).toBe(404);
  });
});

describe("GET /api/catalog/entities", () => {
  it("paginates with page/limit and meta.pagination, capping limit at 100", async () => {
    for (let i = 0; i < 5; i++) await createEntity(`page-${i}`, { status: "active", type: "bundle" });
    const first = await t.request("GET", "/api/catalog/entities?type=bundle&limit=2&page=1&sort=slug:asc");
    expect(first.status).toBe(200);
    expect(first.body.data.map((e: { slug: string }) => e.slug)).toEqual(["page-0", "page-1"]);
    expect(first.body.meta.pagination).toEqual({ page: 1, limit: 2, total: 5, totalPages: 3 });
    const last = await t.request("GET", "/api/catalog/entities?type=bundle&limit=2&page=3&sort=slug:asc");
    expect(last.body.data.map((e: { slug: string }) => e.slug)).toEqual(["page-4"]);
    const beyond = await t.request("GET", "/api/catalog/entities?type=bundle&limit=2&page=9");
    expect(beyond.body.data).toEqual([]);
    const capped = await t.request("GET", "/api/catalog/entities?type=bundle&limit=500");
    expect(capped.body.meta.pagination.limit).toBe(100);
    const defaults = await t.request("GET", "/api/catalog/entities?type=bundle");
    expect(defaults.body.meta.pagination).toMatchObject({ page: 1, limit: 20 });
  });

  it("rejects a malformed page, limit or sort with 422", async () => {
    for (const query of ["page=0", "page=abc", "limit=-1", "sort=price:desc", "sort=slug:sideways"]) {
      const res = await t.request("GET", `/api/catalog/entities?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
  });

  it("filters by type, status, category and brand, and sorts", async () => {
    const a = await createEntity("filter-a", { type: "service", status: "active" });
    const b = await createEntity("filter-b", { type: "service" });
    const category = (await t.request("POST", "/api/catalog/categories", { body: { name: "Filter cat" } })).body.data;
    const brand = (await t.request("POST", "/api/catalog/brands", { body: { name: "Filter brand" } })).body.data;
    await t.request("POST", `/api/catalog/entities/${a.id}/categories/${category.id}`);
    await t.request("POST", `/api/catalog/entities/${b.id}/brands/${brand.id}`);

    const slugs = async (query: string, key?: string | null) =>
      (await t.request("GET", `/api/catalog/entities?${query}`, { key })).body.data.map(
        (e: { slug: string }) => e.slug,
      );
    expect(await slugs("type=service&sort=slug:asc")).toEqual(["filter-a", "filter-b"]);
    expect(await slugs("type=service&sort=slug:desc")).toEqual(["filter-b", "filter-a"]);
    expect(await slugs("type=service&status=draft")).toEqual(["filter-b"]);
    expect(await slugs(`category=${category.id}`)).toEqual(["filter-a"]);
    expect(await slugs(`brand=${brand.id}`)).toEqual(["filter-b"]);
    // the public sees active entities only, whatever status it asks for
    expect(await slugs("type=service", null)).toEqual(["filter-a"]);
    expect(await slugs("type=service&status=draft", null)).toEqual([]);
    expect((await t.request("GET", "/api/catalog/entities?status=bogus")).status).toBe(422);
    expect((await t.request("GET", "/api/catalog/entities?category=not-a-uuid")).status).toBe(422);
  });

  it("includes relations for every listed entity", async () => {
    const entity = await createEntity("list-include", { type: "kit", status: "active" });
    await t.request("PUT", `/api/catalog/entities/${entity.id}/attributes/en`, { body: { title: "Kit" } });
    const res = await t.request("GET", "/api/catalog/entities?type=kit&include=attributes,variants", { key: null });
    expect(res.body.data[0]).toMatchObject({ slug: "list-include", attributes: [{ title: "Kit" }], variants: [] });
  });
});
