import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { createStore } from "../../helpers/merchant.js";

const t = useTestApp();

interface Hit {
  score: number;
  entity: { id: string; slug: string; type: string; status: string; attributes: { locale: string; title: string }[] };
}

const slugs = (body: { data: Hit[] }) => body.data.map((hit) => hit.entity.slug);

interface Seeded {
  acme: string;
  globex: string;
  footwear: string;
  outdoor: string;
  ids: Record<string, string>;
}

const seeded = {} as Seeded;

async function ok(method: string, path: string, body?: unknown) {
  const res = await t.request(method, path, { body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body.data;
}

async function entity(spec: {
  slug: string;
  type?: string;
  publish?: boolean;
  attributes: Record<string, { title: string; description?: string; seoTitle?: string; seoDescription?: string }>;
  brands?: string[];
  categories?: string[];
  skus?: string[];
}) {
  const created = await ok("POST", "/api/catalog/entities", { type: spec.type ?? "product", slug: spec.slug });
  for (const [locale, attributes] of Object.entries(spec.attributes)) {
    await ok("PUT", `/api/catalog/entities/${created.id}/attributes/${locale}`, attributes);
  }
  for (const brand of spec.brands ?? []) await ok("POST", `/api/catalog/entities/${created.id}/brands/${brand}`);
  for (const category of spec.categories ?? [])
    await ok("POST", `/api/catalog/entities/${created.id}/categories/${category}`);
  for (const sku of spec.skus ?? []) await ok("POST", `/api/catalog/entities/${created.id}/variants`, { sku });
  if (spec.publish !== false) await ok("POST", `/api/catalog/entities/${created.id}/publish`);
  seeded.ids[spec.slug] = created.id;
  return created.id as string;
}

beforeAll(async () => {
  seeded.ids = {};
  seeded.acme = (await ok("POST", "/api/catalog/brands", { name: "Acme", slug: "acme" })).id;
  seeded.globex = (await ok("POST", "/api/catalog/brands", { name: "Globex", slug: "globex" })).id;
  seeded.footwear = (await ok("POST", "/api/catalog/categories", { name: "Footwear", slug: "footwear" })).id;
  seeded.outdoor = (await ok("POST", "/api/catalog/categories", { name: "Outdoor", slug: "outdoor" })).id;
  await entity({
    slug: "trail-boots",
    attributes: {
      en: { title: "Trail Boots", description: "Waterproof leather boots for long walks." },
      de: { title: "Wasserdichte Wanderstiefel", description: "Stiefel für lange Wanderungen." },
    },
    brands: [seeded.acme],
    categories: [seeded.footwear, seeded.outdoor],
    skus: ["TB-42"],
  });
  await entity({
    slug: "walking-sandals",
    attributes: { en: { title: "Walking Sandals", description: "Light sandals for summer, when boots are too warm." } },
    brands: [seeded.globex],
    categories: [seeded.footwear],
  });
  await entity({
    slug: "leather-balm",
    attributes: {
      en: { title: "Leather Balm", seoTitle: "Care for your boots", description: "Keeps leather supple." },
    },
    brands: [seeded.globex],
  });
  await entity({
    slug: "dome-tent",
    type: "camping",
    attributes: {
      en: { title: "Dome Tent", description: "Waterproof tent for two." },
      de: { title: "Dome Zelt", description: "Wasserdichtes Zelt für zwei Personen." },
    },
    brands: [seeded.acme],
    categories: [seeded.outdoor],
  });
  await entity({
    slug: "hiking-guide",
    type: "digitalDownload",
    attributes: { en: { title: "Hiking Guide" }, de: { title: "Wanderführer" } },
    categories: [seeded.outdoor],
  });
  await entity({
    slug: "prototype-boots",
    publish: false,
    attributes: { en: { title: "Prototype Boots" } },
    brands: [seeded.acme],
  });
});

describe("GET /api/search", () => {
  it("ranks title matches over SEO titles over descriptions", async () => {
    const res = await t.request("GET", "/api/search?q=boots", { key: null });
    expect(res.status).toBe(200);
    expect(slugs(res.body)).toEqual(["trail-boots", "leather-balm", "walking-sandals"]);
    const scores = res.body.data.map((hit: Hit) => hit.score);
    expect(scores[0]).toBeGreaterThan(scores[1]);
    expect(scores[1]).toBeGreaterThan(scores[2]);
    expect(res.body.data[0].entity.attributes.map((a: { locale: string }) => a.locale)).toEqual(["de", "en"]);
    expect(res.body.meta).toEqual({
      total: 3,
      page: 1,
      limit: 20,
      facets: {},
      correctedQuery: null,
      pagination: { page: 1, limit: 20, total: 3, totalPages: 1 },
    });
  });

  it("counts facets over every hit, not the page", async () => {
    const res = await t.request("GET", "/api/search?q=waterproof&facets=type,brand,category,status&limit=1", {
      key: null,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.meta).toMatchObject({ total: 2, page: 1, limit: 1, pagination: { total: 2, totalPages: 2 } });
    expect(res.body.meta.facets).toEqual({
      type: [
        { value: "camping", label: null, count: 1 },
        { value: "product", label: null, count: 1 },
      ],
      brand: [{ value: seeded.acme, label: "Acme", count: 2 }],
      category: [
        { value: seeded.outdoor, label: "Outdoor", count: 2 },
        { value: seeded.footwear, label: "Footwear", count: 1 },
      ],
      status: [{ value: "active", label: null, count: 2 }],
    });
    const second = await t.request("GET", "/api/search?q=waterproof&limit=1&page=2", { key: null });
    expect(second.body.data).toHaveLength(1);
    expect(slugs(second.body)).not.toEqual(slugs(res.body));
  });

  it("searches and ranks German text with German stemming, with facets", async () => {
    // "wasserdicht" is the German stem of Wasserdichte (a title) and Wasserdichtes (a description).
    const res = await t.request("GET", "/api/search?q=wasserdicht&locale=de&facets=type,brand", { key: null });
    expect(res.status).toBe(200);
    expect(slugs(res.body)).toEqual(["trail-boots", "dome-tent"]);
    expect(res.body.meta.correctedQuery).toBeNull();
    expect(res.body.meta.facets).toEqual({
      type: [
        { value: "camping", label: null, count: 1 },
        { value: "product", label: null, count: 1 },
      ],
      brand: [{ value: seeded.acme, label: "Acme", count: 2 }],
    });
    // An inflected form only the German stemmer relates to the indexed words.
    const inflected = await t.request("GET", "/api/search?q=wasserdichten&locale=de", { key: null });
    expect(slugs(inflected.body)).toEqual(["trail-boots", "dome-tent"]);
    expect(inflected.body.meta.correctedQuery).toBeNull();
    // Words of any locale match as written.
    expect(slugs((await t.request("GET", "/api/search?q=Wanderf%C3%BChrer", { key: null })).body)).toEqual([
      "hiking-guide",
    ]);
  });

  it("filters by type, category and brand (id or slug)", async () => {
    const footwear = await t.request("GET", `/api/search?q=boots&category=${seeded.footwear}`, { key: null });
    expect(slugs(footwear.body)).toEqual(["trail-boots", "walking-sandals"]);
    expect(
      slugs((await t.request("GET", "/api/search?q=boots&category=footwear&brand=globex", { key: null })).body),
    ).toEqual(["walking-sandals"]);
    const outdoor = await t.request("GET", `/api/search?category=outdoor&type=digitalDownload`, { key: null });
    expect(slugs(outdoor.body)).toEqual(["hiking-guide"]);
    // Without q: every entity the filters allow, newest first, score 0.
    const all = await t.request("GET", `/api/search?brand=${seeded.acme}&facets=type`, { key: null });
    expect(slugs(all.body)).toEqual(["dome-tent", "trail-boots"]);
    expect(all.body.data.every((hit: Hit) => hit.score === 0)).toBe(true);
    expect(all.body.meta.facets.type).toEqual([
      { value: "camping", label: null, count: 1 },
      { value: "product", label: null, count: 1 },
    ]);
  });

  it("finds SKUs as written, compacted or by their parts, and brand and category names", async () => {
    for (const q of ["TB-42", "tb42", "tb 42"]) {
      expect(slugs((await t.request("GET", `/api/search?q=${encodeURIComponent(q)}`, { key: null })).body), q).toEqual([
        "trail-boots",
      ]);
    }
    expect(slugs((await t.request("GET", "/api/search?q=globex", { key: null })).body).sort()).toEqual([
      "leather-balm",
      "walking-sandals",
    ]);
    expect(slugs((await t.request("GET", "/api/search?q=footwear&brand=acme", { key: null })).body)).toEqual([
      "trail-boots",
    ]);
  });

  it("matches words as prefixes when nothing matches as typed, then corrects typos", async () => {
    const prefix = await t.request("GET", "/api/search?q=sand", { key: null });
    expect(slugs(prefix.body)).toEqual(["walking-sandals"]);
    expect(prefix.body.meta.correctedQuery).toBeNull();

    const typo = await t.request("GET", "/api/search?q=waterprof%20tentt", { key: null });
    expect(typo.status).toBe(200);
    expect(slugs(typo.body)).toEqual(["dome-tent"]);
    expect(typo.body.meta.correctedQuery).toBe("waterproof tent");

    const german = await t.request("GET", "/api/search?q=wanderstifel", { key: null });
    expect(slugs(german.body)[0]).toBe("trail-boots");
    expect(german.body.meta.correctedQuery).toBe("wanderstiefel");

    const nothing = await t.request("GET", "/api/search?q=zzzzqqqq&facets=brand", { key: null });
    expect(nothing.body).toEqual({
      data: [],
      meta: {
        total: 0,
        page: 1,
        limit: 20,
        facets: { brand: [] },
        correctedQuery: null,
        pagination: { page: 1, limit: 20, total: 0, totalPages: 0 },
      },
    });
  });

  it("hides drafts from the public and shows them to merchants with catalog access", async () => {
    expect(slugs((await t.request("GET", "/api/search?q=prototype", { key: null })).body)).toEqual([]);
    expect(slugs((await t.request("GET", "/api/search?q=prototype&status=draft", { key: null })).body)).toEqual([]);
    const publicFacets = await t.request("GET", "/api/search?facets=status", { key: null });
    expect(publicFacets.body.meta.facets.status).toEqual([{ value: "active", label: null, count: 5 }]);

    const merchant = await t.createKey(["catalog:update"]);
    const found = await t.request("GET", "/api/search?q=prototype", { key: merchant });
    expect(slugs(found.body)).toEqual(["prototype-boots"]);
    expect(found.body.data[0].entity.status).toBe("draft");
    const drafts = await t.request("GET", "/api/search?status=draft&facets=status", { key: merchant });
    expect(slugs(drafts.body)).toEqual(["prototype-boots"]);
    const statuses = await t.request("GET", "/api/search?facets=status", { key: merchant });
    expect(statuses.body.meta.facets.status).toEqual([
      { value: "active", label: null, count: 5 },
      { value: "draft", label: null, count: 1 },
    ]);
    // A key of another store finds nothing of this one.
    const other = await createStore(t, { slug: "search-b", name: "B" });
    const theirs = await t.request("GET", "/api/search?q=boots", {
      key: await t.createKey(["catalog:read"], other.id),
    });
    expect(theirs.body.data).toEqual([]);
  });

  it("treats injection-looking input as search terms", async () => {
    const before = await t.app.db.prisma.catalogEntity.count();
    const inputs = [
      "'; DROP TABLE catalog_entity; --",
      "boots' OR '1'='1",
      "\\' :* & | ! <-> ( ) \"",
      "boots:* | !boots",
      "%_%",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal search text, not a template
      "$1 $2 ${x}",
    ];
    for (const q of inputs) {
      const res = await t.request("GET", `/api/search?q=${encodeURIComponent(q)}&facets=brand`, { key: null });
      expect(res.status, q).toBe(200);
      for (const hit of res.body.data as Hit[]) expect(hit.entity.status).toBe("active");
      const suggested = await t.request("GET", `/api/search/suggest?prefix=${encodeURIComponent(q)}`, { key: null });
      expect(suggested.status, q).toBe(200);
    }
    const filtered = await t.request(
      "GET",
      `/api/search?category=${encodeURIComponent("' OR 1=1 --")}&brand=${encodeURIComponent("x' OR 'a'='a")}&type=${encodeURIComponent("') OR ('1'='1")}`,
      { key: null },
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body.data).toEqual([]);
    // "boots' OR '1'='1" is the words boots, 1, 1 with websearch's "or": it finds what boots finds.
    expect(
      slugs((await t.request("GET", `/api/search?q=${encodeURIComponent("boots' OR '1'='1")}`, { key: null })).body),
    ).toEqual(["trail-boots", "leather-balm", "walking-sandals"]);
    expect(await t.app.db.prisma.catalogEntity.count()).toBe(before);
  });

  it("answers bad parameters with 422 in the error envelope", async () => {
    const cases: [string, string][] = [
      ["/api/search?limit=abc", "limit"],
      ["/api/search?page=0", "page"],
      ["/api/search?status=bogus", "status"],
      ["/api/search?facets=type,price", "facets"],
      ["/api/search?include=secrets", "include"],
      [`/api/search?q=${"a".repeat(201)}`, "query"],
      ["/api/search?locale=not%20a%20locale", "locale"],
      ["/api/search/suggest", "prefix"],
      ["/api/search/suggest?prefix=%20%20", "prefix"],
      ["/api/search/suggest?prefix=bo&limit=0", "limit"],
      ["/api/search/suggest?prefix=bo&limit=ten", "limit"],
    ];
    for (const [path, field] of cases) {
      const res = await t.request("GET", path, { key: null });
      expect(res.status, path).toBe(422);
      expect(res.body.error, path).toMatchObject({ code: "VALIDATION_FAILED", message: expect.any(String) });
      expect(
        res.body.error.details.map((d: { path: string }) => d.path),
        path,
      ).toContain(field);
    }
    // A limit over 100 is capped, as on every list.
    expect((await t.request("GET", "/api/search?limit=500", { key: null })).body.meta.limit).toBe(100);
  });

  it("keeps the index current on every catalog change", async () => {
    const id = seeded.ids["walking-sandals"]!;
    await ok("PUT", `/api/catalog/entities/${id}/attributes/en`, { title: "Beach Flip Flops" });
    expect(slugs((await t.request("GET", "/api/search?q=flip", { key: null })).body)).toEqual(["walking-sandals"]);
    expect((await t.request("GET", "/api/search?q=sandals", { key: null })).body.meta.total).toBe(0);

    await ok("PATCH", `/api/catalog/brands/${seeded.globex}`, { name: "Initech" });
    expect(slugs((await t.request("GET", "/api/search?q=initech", { key: null })).body).sort()).toEqual([
      "leather-balm",
      "walking-sandals",
    ]);

    await ok("POST", `/api/catalog/entities/${id}/variants`, { sku: "FLIP-07" });
    expect(slugs((await t.request("GET", "/api/search?q=flip07", { key: null })).body)).toEqual(["walking-sandals"]);

    await t.request("DELETE", `/api/catalog/entities/${id}/categories/${seeded.footwear}`);
    const facets = await t.request("GET", "/api/search?facets=category", { key: null });
    expect(facets.body.meta.facets.category).toContainEqual({ value: seeded.footwear, label: "Footwear", count: 1 });

    await ok("PATCH", `/api/catalog/categories/${seeded.outdoor}`, { name: "Wilderness" });
    expect((await t.request("GET", "/api/search?q=wilderness", { key: null })).body.meta.total).toBe(3);

    await ok("POST", `/api/catalog/entities/${seeded.ids["prototype-boots"]}/publish`);
    expect(slugs((await t.request("GET", "/api/search?q=prototype", { key: null })).body)).toEqual(["prototype-boots"]);
    await ok("DELETE", `/api/catalog/entities/${seeded.ids["prototype-boots"]}`);
    expect(slugs((await t.request("GET", "/api/search?q=prototype", { key: null })).body)).toEqual([]);
  });
});

describe("GET /api/search/suggest", () => {
  it("suggests titles whose words start with the prefix, leading matches first", async () => {
    const res = await t.request("GET", "/api/search/suggest?prefix=bo", { key: null });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      { text: "Trail Boots", locale: "en", entityId: seeded.ids["trail-boots"], slug: "trail-boots", type: "product" },
    ]);
    expect(
      (await t.request("GET", "/api/search/suggest?prefix=Trail%20b", { key: null })).body.data.map(
        (s: { text: string }) => s.text,
      ),
    ).toEqual(["Trail Boots"]);
  });

  it("suggests in other locales, prefers the one asked for, and filters by type", async () => {
    const german = await t.request("GET", "/api/search/suggest?prefix=wand", { key: null });
    expect(german.body.data.map((s: { text: string; locale: string }) => [s.text, s.locale])).toEqual([
      ["Wanderführer", "de"],
      ["Wasserdichte Wanderstiefel", "de"],
    ]);
    // Both titles of the tent match: the store's default locale (en) unless another is asked for.
    const english = await t.request("GET", "/api/search/suggest?prefix=dom", { key: null });
    expect(english.body.data.map((s: { text: string }) => s.text)).toEqual(["Dome Tent"]);
    const preferred = await t.request("GET", "/api/search/suggest?prefix=dom&locale=de", { key: null });
    expect(preferred.body.data.map((s: { text: string }) => s.text)).toEqual(["Dome Zelt"]);
    const typed = await t.request("GET", "/api/search/suggest?prefix=wand&type=digitalDownload&limit=5", { key: null });
    expect(typed.body.data.map((s: { slug: string }) => s.slug)).toEqual(["hiking-guide"]);
    expect((await t.request("GET", "/api/search/suggest?prefix=wand&limit=1", { key: null })).body.data).toHaveLength(
      1,
    );
  });

  it("hides drafts from the public", async () => {
    await entity({ slug: "zephyr-draft", publish: false, attributes: { en: { title: "Zephyr Jacket" } } });
    expect((await t.request("GET", "/api/search/suggest?prefix=zeph", { key: null })).body.data).toEqual([]);
    const merchant = await t.createKey(["catalog:read"]);
    const res = await t.request("GET", "/api/search/suggest?prefix=zeph", { key: merchant });
    expect(res.body.data.map((s: { text: string }) => s.text)).toEqual(["Zephyr Jacket"]);
  });
});

describe("GraphQL search", () => {
  const QUERY = /* GraphQL */ `
    query ($query: String, $filters: SearchFilters, $first: Int, $after: String) {
      search(query: $query, filters: $filters, first: $first, after: $after) {
        totalCount correctedQuery
        facets(fields: [type, category]) { field values { value label count } }
        pageInfo { hasNextPage endCursor }
        edges { cursor node { score entity { slug attributes(locale: "de") { title } brands { name } } } }
      }
    }`;

  it("returns hits with their entities, facets and cursors", async () => {
    const first = await t.graphql(QUERY, { query: "wasserdicht", filters: { locale: "de" }, first: 1 }, null);
    expect(first.body.errors).toBeUndefined();
    const search = first.body.data.search;
    expect(search.totalCount).toBe(2);
    expect(search.correctedQuery).toBeNull();
    expect(search.edges[0].node.entity).toEqual({
      slug: "trail-boots",
      attributes: [{ title: "Wasserdichte Wanderstiefel" }],
      brands: [{ name: "Acme" }],
    });
    expect(search.facets).toEqual([
      {
        field: "type",
        values: [
          { value: "camping", label: null, count: 1 },
          { value: "product", label: null, count: 1 },
        ],
      },
      {
        field: "category",
        values: [
          expect.objectContaining({ label: "Wilderness", count: 2 }),
          expect.objectContaining({ label: "Footwear", count: 1 }),
        ],
      },
    ]);
    expect(search.pageInfo.hasNextPage).toBe(true);
    const next = await t.graphql(
      QUERY,
      { query: "wasserdicht", filters: { locale: "de" }, first: 1, after: search.pageInfo.endCursor },
      null,
    );
    expect(next.body.data.search.edges.map((e: { node: { entity: { slug: string } } }) => e.node.entity.slug)).toEqual([
      "dome-tent",
    ]);
    expect(next.body.data.search.pageInfo.hasNextPage).toBe(false);
  });

  it("suggests through searchSuggestions", async () => {
    const res = await t.graphql(`{ searchSuggestions(prefix: "tra") { text locale slug } }`, undefined, null);
    expect(res.body.data.searchSuggestions).toEqual([{ text: "Trail Boots", locale: "en", slug: "trail-boots" }]);
  });

  it("rejects a page over 100 and a malformed cursor as validation errors", async () => {
    const big = await t.graphql(QUERY, { query: "boots", first: 101 }, null);
    expect(big.body.errors[0].extensions.code).toBe("VALIDATION_FAILED");
    const cursor = await t.graphql(QUERY, { query: "boots", after: "not-a-cursor" }, null);
    expect(cursor.body.errors[0].extensions.code).toBe("VALIDATION_FAILED");
  });
});
