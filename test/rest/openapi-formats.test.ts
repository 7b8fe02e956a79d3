import { describe, expect, it } from "vitest";
import { MAX_LINE_QUANTITY } from "../../src/domain/carts/carts.js";
import { useTestApp } from "../helpers/app.js";
import { checkoutBody, productWithStock } from "../helpers/commerce.js";
import { signUp } from "../helpers/customers.js";

/**
 * The formats and bounds the OpenAPI documents state are the ones the server enforces: a value just
 * outside a documented bound is refused (422) and the value at the bound accepted, and a non-UUID where
 * a UUID is documented is refused (4xx) on every route of every dialect.
 */

const t = useTestApp();

type Schema = Record<string, any>;
type Document = { paths: Record<string, Record<string, any>> };

const DOCUMENTS = ["/api/doc", "/api/storefront/v1/openapi.json", "/api/v1/public/openapi.json"];
const MISSING = "00000000-0000-4000-8000-000000000000";

async function document(location = "/api/doc"): Promise<Document> {
  const res = await t.request("GET", location, { key: null });
  expect(res.status).toBe(200);
  return res.body;
}

/** The JSON body schema of an operation, or the schema of one of its fields (`a.b` for nested objects). */
function bodySchema(doc: Document, method: string, path: string, field?: string): Schema {
  let schema: Schema = doc.paths[path]?.[method]?.requestBody?.content?.["application/json"]?.schema;
  expect(schema, `${method} ${path} documents a JSON body`).toBeTruthy();
  for (const name of field ? field.split(".") : []) {
    schema = schema.properties?.[name];
    expect(schema, `${method} ${path} documents ${field}`).toBeTruthy();
  }
  return schema;
}

/** A minimal body the schema allows: its required fields only, each at its simplest allowed value. */
function minimalValue(schema: Schema): unknown {
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "object":
      return Object.fromEntries(
        (schema.required ?? []).map((name: string) => [name, minimalValue(schema.properties[name])]),
      );
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => minimalValue(schema.items ?? {}));
    case "integer":
    case "number":
      return Math.max(schema.minimum ?? 1, 1);
    case "boolean":
      return false;
    case "string":
      if (schema.format === "uuid") return MISSING;
      if (schema.format === "email") return "someone@example.com";
      if (schema.format === "uri") return "https://example.com/";
      return "x".repeat(Math.max(schema.minLength ?? 1, 1));
    default:
      return {};
  }
}

describe("UUID path parameters", () => {
  it("every parameter documented as a UUID refuses a non-UUID with a 4xx, in every dialect", async () => {
    const customer = await signUp(t);
    const refusedBy: string[] = [];
    let checked = 0;
    for (const location of DOCUMENTS) {
      const doc = await document(location);
      for (const [template, item] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          const params = (operation.parameters ?? []).filter((p: Schema) => p.in === "path");
          const content = operation.requestBody?.content ?? {};
          if (content["multipart/form-data"]) continue;
          // The route's example where it has one (valid ids, patterns met), else the simplest allowed body:
          // the non-UUID should be what is refused.
          const json = content["application/json"];
          const body = json ? (json.example ?? minimalValue(json.schema)) : undefined;
          for (const target of params.filter((p: Schema) => p.schema?.format === "uuid")) {
            const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
              if (name === target.name) return "not-a-uuid";
              const other = params.find((p: Schema) => p.name === name);
              return other?.schema?.format === "uuid" ? MISSING : "en";
            });
            const headers: Record<string, string> = template.includes("/me/")
              ? { authorization: `Bearer ${customer.token}` }
              : {};
            const res = await t.request(method.toUpperCase(), path, { body, headers });
            checked++;
            if (res.status < 400 || res.status >= 500) refusedBy.push(`${method.toUpperCase()} ${path}: ${res.status}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(refusedBy).toEqual([]);
  });

  it("an idOrSlug parameter is documented as a UUID or a slug", async () => {
    const doc = await document();
    const param = doc.paths["/api/catalog/entities/{idOrSlug}"]!.get.parameters[0];
    const pattern = new RegExp(param.schema.pattern);
    expect(pattern.test("blue-widget")).toBe(true);
    expect(pattern.test(MISSING)).toBe(true);
    expect(pattern.test("Not A Slug")).toBe(false);
    const res = await t.request("GET", "/api/catalog/entities/Not%20A%20Slug");
    expect(res.status).toBe(404);
  });
});

describe("request bodies carry the domain's bounds", () => {
  it("documents the cart line quantity, the checkout address and the entity's enums from the zod schemas", async () => {
    const doc = await document();
    expect(bodySchema(doc, "post", "/api/carts/{id}/items", "quantity")).toMatchObject({
      type: "integer",
      minimum: 1,
      maximum: MAX_LINE_QUANTITY,
    });
    expect(bodySchema(doc, "post", "/api/carts/{id}/items", "entityId")).toMatchObject({ format: "uuid" });
    expect(bodySchema(doc, "post", "/api/checkout", "shippingAddress.line1")).toMatchObject({
      minLength: 1,
      maxLength: 200,
    });
    expect(bodySchema(doc, "post", "/api/checkout", "shippingAddress.country").pattern).toBe("^[A-Z]{2}$");
    expect(bodySchema(doc, "post", "/api/checkout", "customerGroupIds")).toMatchObject({
      maxItems: 20,
      items: { format: "uuid" },
    });
    expect(bodySchema(doc, "post", "/api/checkout", "email")).toMatchObject({ format: "email", maxLength: 254 });
    // The GraphQL enum has more statuses than creating takes.
    expect(bodySchema(doc, "post", "/api/catalog/entities", "status").enum.sort()).toEqual(["active", "draft"]);
    expect(bodySchema(doc, "post", "/api/pricing/prices", "amount")).toMatchObject({
      minimum: 0,
      maximum: 1_000_000_000,
    });
    // Exclusive bounds become the next integer (OpenAPI 3.0 and 3.1 write them differently).
    expect(bodySchema(doc, "post", "/api/orders/{id}/refunds", "amount")).toMatchObject({ minimum: 1 });
    expect(bodySchema(doc, "post", "/api/webhooks", "events")).toMatchObject({ minItems: 1 });
    expect(bodySchema(doc, "post", "/api/api-keys", "name")).toMatchObject({ minLength: 1, maxLength: 100 });
    expect(bodySchema(doc, "post", "/api/marketplace/vendors", "website")).toMatchObject({
      format: "uri",
      maxLength: 2000,
    });
    expect(bodySchema(doc, "post", "/api/me/addresses", "line1")).toMatchObject({ maxLength: 200 });
  });

  it("other dialects reuse the input types' bounds under their own names", async () => {
    const doc = await document("/api/storefront/v1/openapi.json");
    const quantities = Object.values(doc.paths)
      .flatMap((item) => Object.values(item))
      .map((op: any) => op.requestBody?.content?.["application/json"]?.schema?.properties?.quantity)
      .filter(Boolean);
    expect(quantities.length).toBeGreaterThan(0);
    for (const quantity of quantities) expect(quantity).toMatchObject({ minimum: 1, maximum: MAX_LINE_QUANTITY });
  });

  /** Sends `body` with `field` set to each value; the first must be refused (422), the rest accepted. */
  async function expectBound(
    method: string,
    path: string,
    body: (value: unknown) => unknown,
    outside: unknown[],
    inside: unknown[],
    key?: string | null,
  ) {
    for (const value of outside) {
      const res = await t.request(method, path, { body: body(value), key });
      expect(res.status, `${method} ${path} with ${JSON.stringify(value)}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    for (const value of inside) {
      const res = await t.request(method, path, { body: body(value), key });
      expect(res.status, `${method} ${path} with ${JSON.stringify(value)}: ${JSON.stringify(res.body)}`).toBeLessThan(
        300,
      );
    }
  }

  it("a cart line's quantity: outside the documented range is 422, at either end accepted", async () => {
    const doc = await document();
    const { minimum, maximum } = bodySchema(doc, "post", "/api/carts/{id}/items", "quantity");
    const product = await productWithStock(t, { stock: maximum + 10 });
    const cart = await t.request("POST", "/api/carts", { key: null, body: { currency: "USD" } });
    const cartPath = `/api/carts/${cart.body.data.id}/items`;
    await expectBound(
      "POST",
      cartPath,
      (quantity) => ({ entityId: product.id, quantity }),
      [minimum - 1, maximum + 1],
      [minimum],
      null,
    );
    // The line exists: updating it takes the same bounds.
    const lines = (await t.request("GET", `/api/carts/${cart.body.data.id}`, { key: null })).body.data.items;
    const item = `${cartPath}/${lines[0].id}`;
    await expectBound("PATCH", item, (quantity) => ({ quantity }), [maximum + 1, 0], [maximum], null);
    // A non-UUID entity id, documented as a UUID, is refused.
    const bad = await t.request("POST", cartPath, { key: null, body: { entityId: "not-a-uuid", quantity: 1 } });
    expect(bad.status).toBe(422);
  });

  it("an entity's slug, a price's amount, a warehouse's name and an API key's name", async () => {
    const doc = await document();
    const slug = bodySchema(doc, "post", "/api/catalog/entities", "slug");
    let n = 0;
    const slugOf = (length: number) => `s${++n}-${"a".repeat(length)}`.slice(0, length);
    await expectBound(
      "POST",
      "/api/catalog/entities",
      (value) => ({ type: "product", slug: value }),
      [slugOf(slug.maxLength + 1), "Not_A_Slug", ""],
      [slugOf(slug.maxLength)],
    );
    expect(new RegExp(slug.pattern).test("Not_A_Slug")).toBe(false);

    const product = await productWithStock(t, { stock: null });
    const amount = bodySchema(doc, "post", "/api/pricing/prices", "amount");
    await expectBound(
      "POST",
      "/api/pricing/prices",
      (value) => ({ entityId: product.id, currency: "EUR", amount: value }),
      [amount.minimum - 1, amount.maximum + 1],
      [amount.maximum],
    );
    const currency = bodySchema(doc, "post", "/api/pricing/prices", "currency");
    expect(new RegExp(currency.pattern).test("usd")).toBe(false);
    await expectBound(
      "POST",
      "/api/pricing/prices",
      (value) => ({ entityId: product.id, currency: value, amount: 100 }),
      ["usd"],
      ["GBP"],
    );

    const name = bodySchema(doc, "post", "/api/inventory/warehouses", "name");
    await expectBound(
      "POST",
      "/api/inventory/warehouses",
      (value) => ({ code: `B${++n}`, name: value }),
      ["", "n".repeat(name.maxLength + 1)],
      ["n".repeat(name.maxLength)],
    );

    const keyName = bodySchema(doc, "post", "/api/api-keys", "name");
    await expectBound(
      "POST",
      "/api/api-keys",
      (value) => ({ name: value, permissions: ["catalog:read"] }),
      ["k".repeat(keyName.maxLength + 1)],
      ["k".repeat(keyName.maxLength)],
    );
  });

  it("a checkout's address line and a promotion's code", async () => {
    const doc = await document();
    const line1 = bodySchema(doc, "post", "/api/checkout", "shippingAddress.line1");
    const product = await productWithStock(t, { stock: 10 });
    const cart = await t.request("POST", "/api/carts", { key: null, body: { currency: "USD" } });
    const cartId = cart.body.data.id;
    expect(
      (
        await t.request("POST", `/api/carts/${cartId}/items`, {
          key: null,
          body: { entityId: product.id, quantity: 1 },
        })
      ).status,
    ).toBeLessThan(300);
    const base = checkoutBody(cartId);
    await expectBound(
      "POST",
      "/api/checkout",
      (value) => ({ ...base, shippingAddress: { ...base.shippingAddress, line1: value } }),
      ["l".repeat(line1.maxLength + 1)],
      ["l".repeat(line1.maxLength)],
      null,
    );

    const code = bodySchema(doc, "post", "/api/promotions", "code");
    let n = 0;
    await expectBound(
      "POST",
      "/api/promotions",
      (value) => ({ code: value, name: `Promo ${++n}`, type: "percentage_off_order", value: 10 }),
      ["C".repeat(code.minLength - 1), "C".repeat(code.maxLength + 1), "NOT A CODE"],
      ["C".repeat(code.maxLength), "C".repeat(code.minLength)],
    );
  });
});

describe("query parameters carry their bounds", () => {
  it("a value outside a documented query bound or format is refused on every listing, in every dialect", async () => {
    const accepted: string[] = [];
    let checked = 0;
    for (const location of DOCUMENTS) {
      const doc = await document(location);
      for (const [template, item] of Object.entries(doc.paths)) {
        const operation = item.get;
        // Listings of the default store: a store's slug is the only path parameter filled in.
        const params = (operation?.parameters ?? []) as Schema[];
        const pathParams = params.filter((p) => p.in === "path");
        if (!operation || template.includes("/me/") || pathParams.some((p) => !/slug$/i.test(p.name))) continue;
        const path = template.replace(/\{[^}]+\}/g, "default");
        const required = params
          .filter((p) => p.in === "query" && p.required)
          .map((p): [string, string] => [p.name, p.schema.format === "date-time" ? new Date().toISOString() : "a"]);
        const url = (extra: [string, string][]) =>
          `${path}?${new URLSearchParams([...required.filter(([name]) => !extra.some(([n]) => n === name)), ...extra])}`;
        // Only routes that answer the plain request count: a 4xx for another reason proves nothing.
        const plain = await t.request("GET", url([]));
        if (plain.status >= 300) continue;
        for (const { name, schema } of params.filter((p) => p.in === "query")) {
          const outside: string[] = [];
          if (schema.format === "uuid") outside.push("not-a-uuid");
          if (typeof schema.maxLength === "number") outside.push("a".repeat(schema.maxLength + 1));
          if (typeof schema.minimum === "number") outside.push(String(schema.minimum - 1));
          if (typeof schema.maximum === "number") outside.push(String(schema.maximum + 1));
          if (schema.enum) outside.push("not-one-of-them");
          for (const value of outside) {
            const res = await t.request("GET", url([[name, value]]));
            checked++;
            if (res.status < 400 || res.status >= 500)
              accepted.push(`${path}?${name}=${value.slice(0, 20)}: ${res.status}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(accepted).toEqual([]);
  });

  it("search's and suggestions' text parameters are taken up to their documented length", async () => {
    const doc = await document();
    const q = doc.paths["/api/search"]!.get.parameters.find((p: Schema) => p.name === "q");
    expect((await t.request("GET", `/api/search?q=${"a".repeat(q.schema.maxLength)}`)).status).toBe(200);
    const prefix = doc.paths["/api/search/suggest"]!.get.parameters.find((p: Schema) => p.name === "prefix");
    expect(prefix).toMatchObject({ required: true, schema: { maxLength: 100 } });
    expect((await t.request("GET", `/api/search/suggest?prefix=${"a".repeat(prefix.schema.maxLength)}`)).status).toBe(
      200,
    );
    const entityId = doc.paths["/api/pricing/prices"]!.get.parameters.find((p: Schema) => p.name === "entityId");
    expect(entityId.schema.format).toBe("uuid");
  });
});
