import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";
import { signUp } from "../helpers/customers.js";
import {
  FUZZ_SEED,
  fuzzRuns,
  hostileNumber,
  hostileParam,
  hostileString,
  hostileValue,
  mostly,
} from "./arbitraries.js";

/**
 * Property-based fuzzing of every REST route the dialects' OpenAPI documents describe: path and
 * query parameters and JSON (or multipart) bodies generated from the document's schemas, mixed with
 * hostile values, sent anonymously, as a signed-in customer and with the admin key. No answer may be
 * a 5xx, and every error must be the documented error body of its route.
 */

const RUNS_PER_ROUTE = fuzzRuns(8);

const dataDir = await mkdtemp(path.join(tmpdir(), "cg-fuzz-rest-"));
const t = useTestApp({ dataDir, mediaMaxBytes: 64 * 1024 });
afterAll(() => rm(dataDir, { recursive: true, force: true }));

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
};

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: Schema;
}

/** The OpenAPI documents of the three dialects; every route of each is fuzzed. */
const DOCUMENTS = ["/api/doc", "/api/storefront/v1/openapi.json", "/api/v1/public/openapi.json"];

type Document = {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, Schema>; responses?: Record<string, any> };
};

interface Operation {
  doc: Document;
  method: string;
  path: string;
  parameters: Parameter[];
  body?: { mediaType: string; schema: Schema };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}

/** The document whose `$ref`s are being resolved (each operation's own). */
let doc: Document;
let operations: Operation[] = [];
/** Ids and slugs of real rows, so some requests get past "not found". */
const known: { ids: string[]; slugs: string[]; codes: string[] } = { ids: [], slugs: [], codes: ["SAVE10"] };
let customerToken = "";

function resolve<T>(node: T & { $ref?: string }): T {
  if (!node?.$ref) return node;
  const target = node.$ref
    .replace(/^#\//, "")
    .split("/")
    .reduce((at: any, key) => at?.[key], doc);
  return resolve(target);
}

beforeAll(async () => {
  for (const location of DOCUMENTS) {
    const document = (await t.request("GET", location, { key: null })).body as Document;
    expect(document.paths, location).toBeTruthy();
    doc = document;
    for (const [routePath, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const content = op.requestBody?.content ?? {};
        const mediaType = Object.keys(content)[0];
        operations.push({
          doc: document,
          method: method.toUpperCase(),
          path: routePath,
          parameters: (op.parameters ?? []).map((p: Parameter) => resolve(p)),
          body: mediaType ? { mediaType, schema: resolve(content[mediaType].schema ?? {}) } : undefined,
          responses: op.responses ?? {},
        });
      }
    }
  }
  // The Swagger UI page is HTML, not an API answer.
  operations = operations.filter((op) => op.path !== "/api/reference");

  // A few real rows to aim at.
  const entity = await t.request("POST", "/api/catalog/entities", {
    body: { type: "product", slug: "fuzz-widget", metadata: {} },
  });
  const category = await t.request("POST", "/api/catalog/categories", { body: { name: "Fuzz", slug: "fuzz" } });
  const brand = await t.request("POST", "/api/catalog/brands", { body: { name: "Fuzz Brand", slug: "fuzz-brand" } });
  const warehouse = await t.request("POST", "/api/inventory/warehouses", { body: { code: "FUZZ", name: "Fuzz" } });
  const cart = await t.request("POST", "/api/carts", { key: null, body: { currency: "USD" } });
  const group = await t.request("POST", "/api/customer-groups", { body: { name: "Fuzzers", slug: "fuzzers" } });
  for (const created of [entity, category, brand, warehouse, cart, group]) {
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
    known.ids.push(created.body.data.id);
  }
  known.slugs.push("fuzz-widget", "fuzz", "fuzz-brand", "fuzzers");
  const customer = await signUp(t);
  known.ids.push(customer.id);
  customerToken = customer.token;
});

const idLike = fc.oneof(
  { arbitrary: fc.constantFrom(...[0, 1, 2, 3, 4, 5, 6]).map((i) => known.ids[i] ?? "missing"), weight: 3 },
  { arbitrary: fc.uuid(), weight: 1 },
  { arbitrary: fc.constantFrom(...["fuzz-widget", "fuzz", "fuzz-brand", "fuzzers", "en", "SAVE10"]), weight: 1 },
  { arbitrary: hostileParam, weight: 2 },
);

/** A value for a JSON schema: well-typed most of the time, hostile otherwise; ids aim at real rows. */
function valueFor(schema: Schema, name = "", depth = 0): fc.Arbitrary<unknown> {
  schema = resolve(schema);
  if (schema.oneOf?.length) return fc.oneof(...schema.oneOf.map((s) => valueFor(s, name, depth)));
  if (schema.enum?.length) return mostly(fc.constantFrom(...schema.enum));
  if (/(^id|Id|Ids)$/.test(name) && schema.type === "string") return mostly(idLike);
  switch (schema.type) {
    case "string":
      if (schema.format === "date-time") return mostly(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
      if (schema.format === "binary") return fc.constant("file");
      return mostly(
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("USD", "EUR", "product", "en", "a@example.com")),
        hostileString,
      );
    case "integer":
      return mostly(fc.integer({ min: -2, max: 5000 }), hostileNumber);
    case "number":
      return mostly(fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10_000 }), hostileNumber);
    case "boolean":
      return mostly(fc.boolean());
    case "array":
      return mostly(
        fc.array(depth > 4 ? hostileValue : valueFor(schema.items ?? {}, name, depth + 1), { maxLength: 3 }),
      );
    case "object": {
      const properties = schema.properties ?? {};
      if (!Object.keys(properties).length || depth > 4)
        return mostly(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }));
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, s]) => [key, valueFor(s, key, depth + 1)]),
      );
      const required = (schema.required ?? []).filter((key) => key in model);
      const record = fc.record(model, { requiredKeys: required });
      // Now and then a field the schema does not have.
      return mostly(
        fc
          .tuple(record, fc.option(fc.tuple(hostileString, hostileValue), { freq: 5 }))
          .map(([r, extra]) => (extra ? { ...r, [extra[0]]: extra[1] } : r)),
      );
    }
    default:
      return hostileValue;
  }
}

function paramValue(parameter: Parameter): fc.Arbitrary<string> {
  const schema = resolve(parameter.schema ?? {});
  if (/(^id|Id|Ids|Slug|Number)$/.test(parameter.name) || parameter.in === "path") return idLike;
  if (schema.enum?.length) return fc.oneof(fc.constantFrom(...schema.enum.map(String)), hostileParam);
  if (schema.type === "integer") return fc.oneof(fc.integer({ min: -1, max: 120 }).map(String), hostileParam);
  if (schema.type === "boolean") return fc.oneof(fc.constantFrom("true", "false"), hostileParam);
  return fc.oneof(fc.string({ maxLength: 10 }), hostileParam);
}

interface FuzzRequest {
  who: "admin" | "anonymous" | "customer";
  path: string;
  query: [string, string][];
  body?: unknown;
}

function requestFor(op: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  return fc.record({
    who: fc.constantFrom("admin" as const, "anonymous" as const, "customer" as const),
    path: fc.tuple(...pathParams.map(paramValue)).map((values) =>
      // Lone surrogates cannot be percent-encoded: as UTF-8 they become U+FFFD, as a client's would.
      pathParams.reduce(
        (at, p, i) => at.replace(`{${p.name}}`, encodeURIComponent(Buffer.from(values[i]!).toString())),
        op.path,
      ),
    ),
    query: fc
      .tuple(...queryParams.map((p) => fc.option(paramValue(p), { freq: 2 })))
      .map((values) =>
        queryParams.flatMap((p, i) => (values[i] == null ? [] : [[p.name, values[i]!] as [string, string]])),
      ),
    body: op.body ? valueFor(op.body.schema) : fc.constant(undefined),
  });
}

async function send(op: Operation, request: FuzzRequest) {
  const headers: Record<string, string> = {};
  if (request.who === "admin") headers.authorization = `Bearer ${ADMIN_KEY}`;
  if (request.who === "customer") headers.authorization = `Bearer ${customerToken}`;
  let body: BodyInit | undefined;
  if (op.body?.mediaType === "multipart/form-data") {
    const form = new FormData();
    for (const [name, value] of Object.entries((request.body ?? {}) as Record<string, unknown>)) {
      form.set(name, typeof value === "string" ? value : (JSON.stringify(value) ?? ""));
    }
    form.set(
      "file",
      new Blob([new TextEncoder().encode(`${String(request.query.length)}%PDF-1.7\n`)], { type: "application/pdf" }),
      "fuzz.pdf",
    );
    body = form;
  } else if (op.body) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(request.body) ?? "null";
  }
  const url = `http://localhost${request.path}${request.query.length ? `?${new URLSearchParams(request.query)}` : ""}`;
  const response = await t.app.fetch(new Request(url, { method: op.method, headers, body }));
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: parsed };
}

/**
 * Checks a value against the subset of JSON schema the document uses; returns the first mismatch. The
 * envelope itself is strict (`{ error: { code, message, details? } }` has no other keys); what a
 * `details` entry may carry besides its documented fields is the document's business.
 */
function mismatch(schema: Schema, value: unknown, at = "body"): string | null {
  schema = resolve(schema);
  if (value === null && schema.nullable) return null;
  if (schema.oneOf)
    return schema.oneOf.some((s) => mismatch(s, value, at) === null) ? null : `${at}: matches no oneOf branch`;
  if (schema.enum && !schema.enum.includes(value))
    return `${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`;
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return `${at}: not an object`;
      for (const key of schema.required ?? []) if (!(key in value)) return `${at}.${key}: missing`;
      for (const [key, child] of Object.entries(value)) {
        const property = schema.properties?.[key];
        if (property) {
          const problem = mismatch(property, child, `${at}.${key}`);
          if (problem) return problem;
        } else if (
          schema.additionalProperties === false ||
          (schema.properties && schema.additionalProperties === undefined && !at.includes(".details"))
        ) {
          return `${at}.${key}: not documented`;
        }
      }
      return null;
    }
    case "array":
      if (!Array.isArray(value)) return `${at}: not an array`;
      return value.map((item, i) => mismatch(schema.items ?? {}, item, `${at}.${i}`)).find((p) => p) ?? null;
    case "string":
      return typeof value === "string" ? null : `${at}: not a string`;
    case "integer":
      return Number.isInteger(value) ? null : `${at}: not an integer`;
    case "number":
      return typeof value === "number" ? null : `${at}: not a number`;
    case "boolean":
      return typeof value === "boolean" ? null : `${at}: not a boolean`;
    default:
      return null;
  }
}

/** The documented body of an error status of a route (its own, else the document's shared error). */
function errorSchema(op: Operation, status: number): Schema {
  const response = resolve(op.responses[String(status)] ?? op.responses.default ?? doc.components.responses?.Error);
  const schema = response?.content?.["application/json"]?.schema;
  // Seed 002's envelope ({ error }), a dialect's own (oneOf), or Better Auth's ({ code, message, errorCode }) on /api/auth.
  return schema && (resolve(schema).properties?.error || resolve(schema).oneOf || resolve(schema).properties?.errorCode)
    ? schema
    : { $ref: "#/components/schemas/Error" };
}

describe("REST fuzz (fixed seed, bounded runs)", () => {
  it("documents routes to fuzz in every dialect", () => {
    const documents = new Set(operations.map((op) => op.doc));
    expect(documents.size).toBe(DOCUMENTS.length);
    expect(operations.length).toBeGreaterThan(100);
    console.info(`REST fuzz: ${operations.length} operations in ${documents.size} documents`);
  });

  it("answers every documented route without a 5xx, with documented error bodies", async () => {
    for (const op of operations) {
      doc = op.doc;
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (request) => {
          const answer = await send(op, request);
          const described = `${op.method} ${request.path}?${new URLSearchParams(request.query)} as ${request.who}, body ${JSON.stringify(request.body)?.slice(0, 500)}\n-> ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 500)}`;
          expect(answer.status, described).toBeLessThan(500);
          if (answer.status >= 400) {
            expect(answer.contentType, described).toMatch(/json/);
            expect(mismatch(errorSchema(op, answer.status), answer.body), described).toBeNull();
          }
        }),
        { seed: FUZZ_SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
  }, 120_000);
});
