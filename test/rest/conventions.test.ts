import { describe, expect, it } from "vitest";
import { MAX_STOCK } from "../../src/domain/inventory/levels.js";
import { useTestApp } from "../helpers/app.js";

const t = useTestApp();

describe("seed 002 conventions", () => {
  it("GET /api/health answers ok with the version", async () => {
    const res = await t.request("GET", "/api/health", { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", version: expect.any(String) });
  });

  it("puts X-Request-Id on every response, echoing a well-formed incoming one", async () => {
    const fresh = await t.request("GET", "/api/catalog/entities", { key: null });
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await t.request("GET", "/api/nope", { headers: { "x-request-id": "trace-123" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-123");
    const unsafe = await t.request("GET", "/api/health", { headers: { "x-request-id": "bad id with spaces" } });
    expect(unsafe.headers.get("x-request-id")).not.toBe("bad id with spaces");
    const graphql = await t.graphql("{ __typename }");
    expect(graphql.headers.get("x-request-id")).toBeTruthy();
  });

  it("puts rate-limit headers on every response", async () => {
    const res = await t.request("GET", "/api/catalog/entities");
    expect(Number(res.headers.get("x-ratelimit-limit"))).toBeGreaterThan(0);
    expect(Number(res.headers.get("x-ratelimit-remaining"))).toBeGreaterThanOrEqual(0);
    expect(Number(res.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000 - 1);
  });

  it("answers unknown routes with the 404 envelope", async () => {
    const res = await t.request("GET", "/api/does/not/exist");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });

  it("refuses bodies over 1 MB with 413 PAYLOAD_TOO_LARGE", async () => {
    const big = JSON.stringify({ type: "product", slug: "big", metadata: { blob: "x".repeat(1024 * 1024) } });
    const res = await t.request("POST", "/api/catalog/entities", {
      raw: big,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers malformed JSON with 400 and a non-object body with 422, never 500", async () => {
    const malformed = await t.request("POST", "/api/catalog/entities", {
      raw: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("BAD_REQUEST");
    const array = await t.request("POST", "/api/catalog/entities", { body: [1, 2] });
    expect(array.status).toBe(422);
    const scalar = await t.request("POST", "/api/catalog/entities", {
      raw: "42",
      headers: { "content-type": "application/json" },
    });
    expect(scalar.status).toBe(422);
    const wrongTypes = await t.request("POST", "/api/catalog/entities", {
      body: { type: 5, slug: ["x"], metadata: "no" },
    });
    expect(wrongTypes.status).toBe(422);
    expect(wrongTypes.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      "metadata",
      "slug",
      "type",
    ]);
  });

  it("refuses cross-origin browser mutations but lets API-key requests through", async () => {
    const writer = await t.createKey(["catalog:create"]);
    const browser = await t.request("POST", "/api/catalog/entities", {
      key: null,
      headers: { origin: "https://evil.example" },
      body: { type: "product", slug: "csrf" },
    });
    expect(browser.status).toBe(403);
    expect(browser.body.error.code).toBe("FORBIDDEN");
    const sameOrigin = await t.request("POST", "/api/catalog/entities", {
      key: null,
      headers: { origin: "http://localhost" },
      body: { type: "product", slug: "csrf" },
    });
    expect(sameOrigin.status).toBe(401); // passes the origin check, then needs credentials
    const withKey = await t.request("POST", "/api/catalog/entities", {
      key: writer,
      headers: { origin: "https://evil.example" },
      body: { type: "product", slug: "csrf" },
    });
    expect(withKey.status).toBe(201);
    const read = await t.request("GET", "/api/catalog/entities", {
      key: null,
      headers: { origin: "https://evil.example" },
    });
    expect(read.status).toBe(200);
  });
});

describe("GET /api/doc and /api/reference", () => {
  it("serves an OpenAPI 3 document listing every REST route", async () => {
    const res = await t.request("GET", "/api/doc", { key: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const { mainDialect } = await import("../../src/rest/dialects/main/index.js");
    // Templates that differ only in parameter names are one path in the document ({id} vs {idOrSlug}).
    const shape = (path: string) => path.replace(/\{\w+\}/g, "{}");
    const documented = new Map(
      Object.entries(res.body.paths as Record<string, object>).map(([path, item]) => [shape(path), item]),
    );
    for (const route of mainDialect.routes) {
      const path = `/api${route.path}`.replace(/:(\w+)/g, "{$1}");
      expect(
        (documented.get(shape(path)) as Record<string, unknown> | undefined)?.[route.method.toLowerCase()],
        `${route.method} ${path}`,
      ).toBeDefined();
    }
    expect(res.body.paths["/api/health"].get).toBeDefined();
  });

  it("derives request and response schemas from the GraphQL types", async () => {
    const doc = (await t.request("GET", "/api/doc", { key: null })).body;
    const create = doc.paths["/api/catalog/entities"].post;
    const body = create.requestBody.content["application/json"].schema;
    expect(body.required).toEqual(expect.arrayContaining(["type", "slug"]));
    // The GraphQL enum, narrowed to what creating takes (the domain's zod schema).
    expect([...body.properties.status.enum].sort()).toEqual(["active", "draft"]);
    const data = create.responses["201"].content["application/json"].schema.properties.data;
    expect(data.properties).toHaveProperty("slug");
    expect(data.properties).toHaveProperty("variants");
    const list = doc.paths["/api/catalog/entities"].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["page", "limit", "type", "include", "sort"]),
    );
    expect(list.responses["200"].content["application/json"].schema.properties.data.type).toBe("array");
    const patch = doc.paths["/api/catalog/entities/{idOrSlug}"].patch;
    expect(patch.requestBody.content["application/json"].schema.properties).not.toHaveProperty("id");
    // The limits the server enforces on every input are in the schema, for generated clients and fuzzers.
    // (test/rest/openapi-formats.test.ts checks the bounds taken from the domain's zod schemas.)
    expect(body.properties.slug).toMatchObject({ type: "string", maxLength: 120 });
    const adjust = doc.paths["/api/inventory/adjust"].post.requestBody.content["application/json"].schema;
    expect(adjust.properties.entityId).toMatchObject({ type: "string", maxLength: 255, format: "uuid" });
    expect(adjust.properties.quantity).toMatchObject({ type: "integer", minimum: -(2 ** 31), maximum: MAX_STOCK });
  });

  it("serves the interactive reference UI with its assets", async () => {
    const page = await t.request("GET", "/api/reference", { key: null });
    expect(page.status).toBe(200);
    expect(page.body).toContain("SwaggerUIBundle");
    const asset = await t.app.fetch(new Request("http://localhost/api/reference/swagger-ui-bundle.js"));
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toContain("javascript");
    expect((await t.app.fetch(new Request("http://localhost/api/reference/../../package.json"))).status).not.toBe(200);
  });
});
