import { randomUUID } from "node:crypto";
import {
  buildClientSchema,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type Sent, useTestApp } from "../helpers/app.js";

/**
 * Issue 9, item 6 through GraphQL: NUL in any text input, cursors beyond 64 bits, documents and
 * variables nested 10,000 deep and oversized values are refused with a coded error and a field path,
 * never a 500. The text inputs are found by walking the schema's input types (as a client sees them).
 */

const t = useTestApp();
let schema: GraphQLSchema;

beforeAll(async () => {
  const introspection = await t.graphql(getIntrospectionQuery(), {}, ADMIN_KEY);
  schema = buildClientSchema(introspection.body.data);
});

type Path = (string | number)[];

/** A plausible value of an input type, every required field filled in. */
function filled(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return filled(type.ofType, depth);
  if (isListType(type)) return [filled(type.ofType, depth + 1)];
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return Object.fromEntries(fields.map((f) => [f.name, depth > 5 ? null : filled(f.type, depth + 1)]));
  }
  if (isEnumType(type)) return type.getValues()[0]!.name;
  switch (type.name) {
    case "ID":
      return randomUUID();
    case "Int":
    case "Float":
      return 1;
    case "Boolean":
      return false;
    case "JSONObject":
      return {};
    case "DateTime":
      return new Date().toISOString();
    case "String":
      return "x";
    default:
      return null; // File
  }
}

/** Every path to a String, ID or JSONObject leaf of an input type (lists at index 0), bounded in depth. */
function textLeaves(type: GraphQLInputType, path: Path = [], depth = 0): { path: Path; scalar: string }[] {
  const named = getNamedType(type);
  const here = isListType(isNonNullType(type) ? type.ofType : type) ? [...path, 0] : path;
  if (isScalarType(named))
    return ["String", "ID", "JSONObject"].includes(named.name) ? [{ path: here, scalar: named.name }] : [];
  if (!isInputObjectType(named) || depth > 4) return [];
  return Object.values(named.getFields()).flatMap((f) => textLeaves(f.type, [...here, f.name], depth + 1));
}

function setAt(root: Record<string, unknown>, path: Path, value: unknown): void {
  let at: any = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) at[key] = value;
    else at = at[key] ??= typeof path[i + 1] === "number" ? [] : {};
  });
}

interface Case {
  operation: "query" | "mutation";
  field: string;
  path: Path;
  query: string;
  variables: Record<string, unknown>;
}

/** One case per text leaf of every argument of every query and mutation: NUL at that leaf, the rest filled in. */
function nulCases(): Case[] {
  const cases: Case[] = [];
  for (const [operation, root] of [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
  ] as const) {
    for (const field of Object.values((root as GraphQLObjectType).getFields())) {
      for (const arg of field.args) {
        for (const leaf of textLeaves(arg.type)) {
          const variables = Object.fromEntries(
            field.args.filter((a) => isNonNullType(a.type)).map((a) => [a.name, filled(a.type)]),
          );
          const value = leaf.scalar === "JSONObject" ? { note: "a\u0000b" } : "a\u0000b";
          setAt(variables, [arg.name, ...leaf.path], value);
          const declarations = Object.keys(variables).map(
            (name) => `$${name}: ${String(field.args.find((a) => a.name === name)!.type)}`,
          );
          const passed = Object.keys(variables).map((name) => `${name}: $${name}`);
          cases.push({
            operation,
            field: field.name,
            path: leaf.scalar === "JSONObject" ? [arg.name, ...leaf.path, "note"] : [arg.name, ...leaf.path],
            query: `${operation} (${declarations.join(", ")}) { ${field.name}(${passed.join(", ")}) { __typename } }`,
            variables,
          });
        }
      }
    }
  }
  return cases;
}

function expectCoded(res: Sent, code: string, path?: string, fieldCode?: string) {
  const described = JSON.stringify(res.body).slice(0, 600);
  expect(res.status, described).toBeLessThan(500);
  const error = res.body.errors?.[0];
  expect(error?.extensions?.code, described).toBe(code);
  if (path !== undefined) {
    expect(error.extensions.fieldErrors, described).toContainEqual(
      expect.objectContaining({ path, ...(fieldCode ? { code: fieldCode } : {}) }),
    );
  }
}

function nested(depth: number, open: string, close: string, leaf: string): string {
  return open.repeat(depth) + leaf + close.repeat(depth);
}

const cursor = (text: string) => Buffer.from(text).toString("base64");

describe("GraphQL bad input", () => {
  it("refuses NUL in every text input of every query and mutation, naming the field", async () => {
    const cases = nulCases();
    // The walk found the inputs of issue 9: carts, search, sign-up, profile, addresses, brands, groups, warehouses.
    const fields = new Set(cases.map((c) => c.field));
    for (const name of [
      "createCart",
      "search",
      "searchSuggestions",
      "catalogEntity",
      "signUp",
      "updateMyProfile",
      "addMyAddress",
      "createBrand",
      "createCustomerGroup",
      "createWarehouse",
    ]) {
      expect(fields, name).toContain(name);
    }
    expect(cases.length).toBeGreaterThan(150);
    for (const c of cases) {
      const res = await t.graphql(c.query, c.variables, ADMIN_KEY);
      expect(res.status, `${c.field} ${c.path.join(".")}`).toBeLessThan(500);
      expectCoded(res, "VALIDATION_FAILED", c.path.join("."), "invalid_characters");
    }
  });

  it("refuses NUL written into the document, in an argument and in a variable's default", async () => {
    const literal = await t.graphql(
      `mutation { createCart(input: { currency: "USD", metadata: { note: "a\\u0000b" } }) { __typename } }`,
    );
    expectCoded(literal, "VALIDATION_FAILED", "input.metadata.note", "invalid_characters");
    const search = await t.graphql(`{ search(query: "a\\u0000b") { totalCount } }`, {}, null);
    expectCoded(search, "VALIDATION_FAILED", "query", "invalid_characters");
    const byDefault = await t.graphql(
      `query ($prefix: String! = "\\u0000") { searchSuggestions(prefix: $prefix) { __typename } }`,
      {},
      null,
    );
    expectCoded(byDefault, "VALIDATION_FAILED", "prefix", "invalid_characters");
  });

  it("refuses NUL in a subscription's arguments before it starts (SSE)", async () => {
    const response = await t.app.fetch(
      new Request("http://localhost/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", "x-api-key": ADMIN_KEY },
        body: JSON.stringify({
          query: `subscription ($id: ID) { orderStatusChanged(orderId: $id) { __typename } }`,
          variables: { id: "a\u0000b" },
        }),
      }),
    );
    expect(response.status).toBeLessThan(500);
    // The stream ends at once: the subscription never started (a started one would wait for events).
    const text = await Promise.race([
      response.text(),
      new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 5_000)),
    ]);
    void response.body?.cancel().catch(() => {});
    const event = text.split("\n").find((line) => line.startsWith("data: {"));
    const result = JSON.parse(event!.slice("data: ".length));
    expect(result.errors[0].extensions).toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: [expect.objectContaining({ path: "id", code: "invalid_characters" })],
    });
  });

  it("refuses cursors outside the offset range or not ours as a field error on after/before", async () => {
    for (const after of [
      cursor("OffsetConnection:99999999999999999999999"),
      cursor("OffsetConnection:NaN"),
      cursor("OffsetConnection:-5"),
      cursor(`OffsetConnection:${2 ** 31}`),
      "!!",
    ]) {
      const res = await t.graphql(
        `query ($after: String) { catalogEntities(first: 5, after: $after) { totalCount } }`,
        { after },
        null,
      );
      expectCoded(res, "VALIDATION_FAILED", "after", "invalid_cursor");
    }
    const before = await t.graphql(
      `{ brands(last: 2, before: "${cursor("OffsetConnection:1e400")}") { totalCount } }`,
      {},
      null,
    );
    expectCoded(before, "VALIDATION_FAILED", "before", "invalid_cursor");
    const search = await t.graphql(
      `{ search(first: 1, after: "${cursor("OffsetConnection:18446744073709551616")}") { totalCount } }`,
      {},
      null,
    );
    expectCoded(search, "VALIDATION_FAILED", "after", "invalid_cursor");
    // Cursors are signed (graphql/cursors.ts): even a well-formed offset in range is not ours.
    const unsigned = await t.graphql(
      `{ catalogEntities(first: 5, after: "${cursor(`OffsetConnection:${2 ** 31 - 2}`)}") { edges { cursor } } }`,
      {},
      null,
    );
    expectCoded(unsigned, "VALIDATION_FAILED", "after", "invalid_cursor");
    const lastOverflow = await t.graphql(`{ brands(last: 101) { totalCount } }`, {}, null);
    expectCoded(lastOverflow, "VALIDATION_FAILED", "last");
  });

  it("refuses a selection, a literal or a variable nested 10,000 deep before parsing or running it", async () => {
    const selection = await t.graphql(`{ ${nested(10_000, "a { ", " }", "b")} }`, {}, null);
    expectCoded(selection, "BAD_REQUEST");
    const list = await t.graphql(
      `{ inventoryCheck(entityIds: ${nested(10_000, "[", "]", '"x"')}) { __typename } }`,
      {},
      null,
    );
    expectCoded(list, "BAD_REQUEST");
    const object = await t.graphql(
      `mutation { createCart(input: { currency: "USD", metadata: ${nested(10_000, "{ a: ", " }", "1")} }) { __typename } }`,
    );
    expectCoded(object, "BAD_REQUEST");
    const body = `{"query":"mutation ($input: CreateCartInput!) { createCart(input: $input) { __typename } }","variables":{"input":{"currency":"USD","metadata":${nested(10_000, '{"a":', "}", "1")}}}}`;
    const variable = await t.request("POST", "/graphql", {
      raw: body,
      headers: { "content-type": "application/json" },
    });
    expectCoded(variable, "VALIDATION_FAILED");
    expect(variable.body.errors[0].extensions.fieldErrors[0]).toMatchObject({ code: "too_deep" });
    expect(variable.body.errors[0].extensions.fieldErrors[0].path).toMatch(/^input\.metadata\.a\.a/);
  });

  it("refuses documents over the token limit", async () => {
    const res = await t.graphql(`{ ${"__typename ".repeat(20_000)} }`, {}, null);
    expectCoded(res, "BAD_REQUEST");
  });

  it("caps text at 20,000 characters (ids at 255), emails at 254 and JSON objects at 16 KB", async () => {
    const hugeEmail = `${"a".repeat(500_000)}@example.com`;
    const signUp = await t.graphql(
      `mutation ($input: SignUpInput!) { signUp(input: $input) { __typename } }`,
      {
        input: { email: hugeEmail, password: "correct horse battery", name: "Jane" },
      },
      null,
    );
    expectCoded(signUp, "VALIDATION_FAILED", "input.email", "too_big");

    // 300 characters pass the transport's text cap; the service's 254 answers as a typed error.
    const cart = await t.graphql(
      `mutation ($input: CreateCartInput!) { createCart(input: $input) { __typename ... on ValidationError { fieldErrors { path } } } }`,
      {
        input: { currency: "USD", email: `${"a".repeat(300)}@example.com` },
      },
      null,
    );
    expect(cart.body.data.createCart).toEqual({ __typename: "ValidationError", fieldErrors: [{ path: "email" }] });

    const id = await t.graphql(`query ($id: ID!) { cart(id: $id) { id } }`, { id: "a".repeat(256) }, null);
    expectCoded(id, "VALIDATION_FAILED", "id", "too_big");

    const bigMetadata = await t.graphql(
      `mutation ($input: CreateCartInput!) { createCart(input: $input) { __typename } }`,
      {
        input: { currency: "USD", metadata: { blob: "x".repeat(17 * 1024) } },
      },
      null,
    );
    expectCoded(bigMetadata, "VALIDATION_FAILED", "input.metadata", "too_big");

    const fits = await t.graphql(
      `mutation ($input: CreateCartInput!) { createCart(input: $input) { __typename } }`,
      {
        input: { currency: "USD", metadata: { blob: "x".repeat(15 * 1024) } },
      },
      null,
    );
    expect(fits.body.data.createCart.__typename).toBe("CreateCartPayload");
  });

  it("lets a signed webhook payload be longer than other text (its own cap)", async () => {
    const res = await t.graphql(
      `mutation ($input: PaymentWebhookInput!) { handlePaymentWebhook(input: $input) { __typename } }`,
      {
        input: {
          payload: JSON.stringify({ id: "evt_1", type: "payment_intent.succeeded", padding: "x".repeat(30_000) }),
          signature: "t=1,v1=bad",
        },
      },
      null,
    );
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors?.[0]?.extensions?.fieldErrors ?? []).not.toContainEqual(
      expect.objectContaining({ path: "input.payload" }),
    );
  });
});
