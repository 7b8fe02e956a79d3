import { beforeAll, describe, expect, it } from "vitest";
import { type Sent, useTestApp } from "../helpers/app.js";
import { type SignedIn, signUp } from "../helpers/customers.js";

/**
 * Issue 9, item 6 through REST: NUL in text and JSON, page numbers beyond 64 bits, bodies nested
 * 10,000 deep and oversized emails and metadata are 4xx in seed 002's envelope with the field's path,
 * never a 500.
 */

const t = useTestApp();
let customer: SignedIn;
let cartId: string;

beforeAll(async () => {
  customer = await signUp(t);
  const cart = await t.request("POST", "/api/carts", { key: null, body: { currency: "USD" } });
  cartId = cart.body.data.id;
});

/** Seed 002's error body, exactly: `{ error: { code, message, details? } }`. */
function expectEnvelope(res: Sent, status: number, code: string) {
  const described = JSON.stringify(res.body)?.slice(0, 500);
  expect(res.status, described).toBe(status);
  expect(Object.keys(res.body), described).toEqual(["error"]);
  expect(res.body.error.code, described).toBe(code);
  expect(typeof res.body.error.message, described).toBe("string");
  for (const key of Object.keys(res.body.error)) expect(["code", "message", "details"], described).toContain(key);
}

function expectFieldError(res: Sent, path: string, code?: string) {
  // /api/auth/* answers in Better Auth's shape: 400 { code, message, errorCode, details }.
  if (res.body && typeof res.body.errorCode === "string") {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.details, JSON.stringify(res.body)).toContainEqual(
      expect.objectContaining({ path, ...(code ? { code } : {}) }),
    );
    return;
  }
  expectEnvelope(res, 422, "VALIDATION_FAILED");
  expect(res.body.error.details, JSON.stringify(res.body)).toContainEqual(
    expect.objectContaining({ path, ...(code ? { code } : {}) }),
  );
}

const NUL = "a\u0000b";

describe("REST bad input", () => {
  it("refuses NUL in every kind of text and JSON input with 422 naming the field", async () => {
    const cases: { method: string; path: string; body?: unknown; as?: "customer" | "anonymous"; field: string }[] = [
      {
        method: "POST",
        path: "/api/carts",
        body: { currency: "USD", metadata: { note: NUL } },
        as: "anonymous",
        field: "metadata.note",
      },
      {
        method: "POST",
        path: "/api/carts",
        body: { currency: "USD", metadata: { [NUL]: 1 } },
        as: "anonymous",
        field: `metadata.${NUL}`,
      },
      {
        method: "POST",
        path: "/api/carts",
        body: { currency: "USD", email: `${NUL}@example.com` },
        as: "anonymous",
        field: "email",
      },
      { method: "POST", path: `/api/carts/${cartId}/promotions`, body: { code: NUL }, as: "anonymous", field: "code" },
      {
        method: "POST",
        path: `/api/carts/${cartId}/items`,
        body: { entityId: NUL, quantity: 1 },
        as: "anonymous",
        field: "entityId",
      },
      { method: "GET", path: "/api/search?q=a%00b", as: "anonymous", field: "q" },
      { method: "GET", path: "/api/search?brand=a%00b", as: "anonymous", field: "brand" },
      { method: "GET", path: "/api/search/suggest?prefix=a%00b", as: "anonymous", field: "prefix" },
      { method: "GET", path: "/api/catalog/entities/a%00b", as: "anonymous", field: "idOrSlug" },
      { method: "GET", path: "/api/catalog/entities?type=a%00b", as: "anonymous", field: "type" },
      { method: "GET", path: "/api/catalog/entities?a%00b=1", as: "anonymous", field: NUL },
      {
        method: "POST",
        path: "/api/auth/sign-up/email",
        body: { email: "nul@example.com", password: "correct horse battery", name: NUL },
        as: "anonymous",
        field: "name",
      },
      {
        method: "POST",
        path: "/api/auth/sign-up/email",
        body: { email: NUL, password: "correct horse battery", name: "Jane" },
        as: "anonymous",
        field: "email",
      },
      {
        method: "POST",
        path: "/api/auth/sign-in/email",
        body: { email: "x@example.com", password: NUL },
        as: "anonymous",
        field: "password",
      },
      { method: "PATCH", path: "/api/me/profile", body: { name: NUL }, as: "customer", field: "name" },
      {
        method: "POST",
        path: "/api/me/addresses",
        body: { line1: NUL, city: "Lisbon", country: "PT" },
        as: "customer",
        field: "line1",
      },
      { method: "POST", path: "/api/catalog/brands", body: { name: NUL }, field: "name" },
      { method: "POST", path: "/api/catalog/brands", body: { name: "Acme", slug: NUL }, field: "slug" },
      { method: "POST", path: "/api/catalog/entities", body: { type: "product", slug: NUL }, field: "slug" },
      { method: "POST", path: "/api/customer-groups", body: { name: NUL }, field: "name" },
      { method: "POST", path: "/api/inventory/warehouses", body: { code: "W1", name: NUL }, field: "name" },
      {
        method: "POST",
        path: "/api/inventory/warehouses",
        body: { code: "W1", name: "Main", address: { street: NUL } },
        field: "address.street",
      },
    ];
    for (const c of cases) {
      const options = c.as === "customer" ? customer.as : c.as === "anonymous" ? { key: null } : {};
      const res = await t.request(c.method, c.path, { ...options, body: c.body });
      expect(res.status, `${c.method} ${c.path}`).toBeLessThan(500);
      expectFieldError(res, c.field, "invalid_characters");
    }
  });

  it("refuses page numbers whose offset is beyond the integer range, on every kind of list", async () => {
    for (const path of ["/api/catalog/entities", "/api/search", "/api/catalog/brands", "/api/audit"]) {
      for (const page of ["99999999999999999999999", String(2 ** 64), "9007199254740993", "107374184"]) {
        const res = await t.request("GET", `${path}?page=${page}`);
        expectFieldError(res, "page", "too_big");
      }
      for (const page of ["1e3", "-1", "0", "0x10", "1.5", ""]) {
        const res = await t.request("GET", `${path}?page=${encodeURIComponent(page)}`);
        expectFieldError(res, "page");
      }
    }
    // The last page in range is an empty page, and a huge limit is capped at 100.
    const last = await t.request("GET", "/api/catalog/entities?page=107374183&limit=20");
    expect(last.status).toBe(200);
    expect(last.body.data).toEqual([]);
    const capped = await t.request("GET", "/api/catalog/entities?limit=99999999999999999999999");
    expect(capped.status).toBe(200);
    expect(capped.body.meta.pagination.limit).toBe(100);
  });

  it("refuses a JSON body nested 10,000 deep with 422 and the path where it got too deep", async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    const inMetadata = await t.request("POST", "/api/carts", {
      key: null,
      raw: `{"currency":"USD","metadata":${deep}}`,
      headers: { "content-type": "application/json" },
    });
    expectEnvelope(inMetadata, 422, "VALIDATION_FAILED");
    expect(inMetadata.body.error.details[0]).toMatchObject({ code: "too_deep" });
    expect(inMetadata.body.error.details[0].path).toMatch(/^metadata\.a\.a/);
    const unknownField = await t.request("POST", "/api/catalog/brands", {
      raw: `{"name":"Acme","extra":${deep}}`,
      headers: { "content-type": "application/json" },
    });
    expectEnvelope(unknownField, 422, "VALIDATION_FAILED");
    expect(unknownField.body.error.details[0].path).toMatch(/^extra\.a\.a/);
    const list = await t.request("POST", "/api/carts", {
      key: null,
      raw: "[".repeat(10_000) + "]".repeat(10_000),
      headers: { "content-type": "application/json" },
    });
    expectEnvelope(list, 422, "VALIDATION_FAILED");
  });

  it("caps emails at 254 characters, language tags at 35 and any text at 20,000", async () => {
    const huge = `${"a".repeat(500_000)}@example.com`;
    expectFieldError(
      await t.request("POST", "/api/carts", { key: null, body: { currency: "USD", email: huge } }),
      "email",
      "too_big",
    );
    expectFieldError(
      await t.request("POST", "/api/carts", {
        key: null,
        body: { currency: "USD", email: `${"a".repeat(250)}@example.com` },
      }),
      "email",
      "too_big",
    );
    expectFieldError(
      await t.request("POST", "/api/auth/sign-up/email", {
        key: null,
        body: { email: huge, password: "correct horse battery", name: "Jane" },
      }),
      "email",
      "too_big",
    );
    expectFieldError(
      await t.request("POST", "/api/checkout", {
        key: null,
        body: { cartId, email: `${"a".repeat(250)}@example.com` },
      }),
      "email",
      "too_big",
    );
    expectFieldError(await t.request("GET", `/api/search?q=${"a".repeat(20_001)}`, { key: null }), "q", "too_big");
    const ok = await t.request("POST", "/api/carts", {
      key: null,
      body: { currency: "USD", email: `${"a".repeat(240)}@example.com` },
    });
    expect(ok.status).toBe(201);
    // A language tag is part of a unique index: RFC 5646's 35 characters, not whatever the regex allows.
    const entity = await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug: "long-locale" } });
    const locale = `en${"-a1b2c3d4".repeat(500)}`;
    expectFieldError(
      await t.request("PUT", `/api/catalog/entities/${entity.body.data.id}/attributes/${locale}`, {
        body: { title: "T" },
      }),
      "locale",
      "too_big",
    );
  });

  it("caps metadata at 16 KB of JSON (and any body at 1 MB)", async () => {
    const fits = await t.request("POST", "/api/catalog/entities", {
      body: { type: "product", slug: "fits", metadata: { blob: "x".repeat(15 * 1024) } },
    });
    expect(fits.status, JSON.stringify(fits.body).slice(0, 300)).toBe(201);
    const over = await t.request("POST", "/api/catalog/entities", {
      body: { type: "product", slug: "over", metadata: { blob: "x".repeat(17 * 1024) } },
    });
    expectFieldError(over, "metadata", "too_big");
    const cart = await t.request("POST", "/api/carts", {
      key: null,
      body: { currency: "USD", metadata: { blob: "x".repeat(17 * 1024) } },
    });
    expectFieldError(cart, "metadata", "too_big");
    const megabyte = await t.request("POST", "/api/carts", {
      key: null,
      body: { currency: "USD", metadata: { blob: "x".repeat(1024 * 1024) } },
    });
    expectEnvelope(megabyte, 413, "PAYLOAD_TOO_LARGE");
  });
});
