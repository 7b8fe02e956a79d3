import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { includeVariables, sortVariable } from "../../src/rest/dialects/main/include.js";
import { parsePagination, withFragments } from "../../src/rest/executor.js";
import { variableFieldErrors } from "../../src/rest/operation-errors.js";

describe("GraphQL variable errors -> field errors", () => {
  const schema = buildSchema(`
    enum S { A B }
    input Line { sku: String!, quantity: Int! }
    input X { slug: String!, status: S, lines: [Line!] }
    type Query { x(input: X!): Int }
  `);
  const document = parse("query ($input: X!) { x(input: $input) }");
  const errorsOf = (input: unknown) => variableFieldErrors(schema, document, { input });

  it("finds each bad value with its path below the variable, by coercion", () => {
    expect(errorsOf({ slug: "a", status: "x" })).toEqual([
      { path: "status", code: "invalid_type", message: expect.stringContaining('"x"') },
    ]);
    expect(errorsOf({})).toEqual([expect.objectContaining({ path: "slug", code: "required" })]);
    expect(errorsOf({ slug: "a", a: 1 })).toEqual([expect.objectContaining({ path: "a", code: "unrecognized_key" })]);
    expect(
      errorsOf({ slug: "a", lines: [{ sku: "s", quantity: 1 }, { sku: "t", quantity: "two" }, { quantity: 1 }] }),
    ).toEqual([
      expect.objectContaining({ path: "lines.1.quantity", code: "invalid_type" }),
      expect.objectContaining({ path: "lines.2.sku", code: "required" }),
    ]);
    expect(variableFieldErrors(schema, document, {})).toEqual([
      expect.objectContaining({ path: "input", code: "required" }),
    ]);
    expect(errorsOf({ slug: "fine" })).toEqual([]);
  });
});

describe("query parameters", () => {
  it("parse page and limit with seed 002's defaults and cap", () => {
    expect(parsePagination({})).toEqual({ page: 1, limit: 20 });
    expect(parsePagination({ page: "3", limit: "250" })).toEqual({ page: 3, limit: 100 });
    expect(() => parsePagination({ page: "0" })).toThrow();
    expect(() => parsePagination({ limit: "1.5" })).toThrow();
  });

  it("map include and sort onto GraphQL variables", () => {
    expect(includeVariables("attributes, variants")).toEqual({ withAttributes: true, withVariants: true });
    expect(includeVariables(undefined)).toEqual({});
    expect(() => includeVariables("everything")).toThrow();
    expect(sortVariable("createdAt:desc,slug", ["createdAt", "slug"])).toEqual([
      { field: "createdAt", direction: "desc" },
      { field: "slug", direction: "asc" },
    ]);
    expect(() => sortVariable("price", ["slug"])).toThrow();
  });

  it("append the fragments an operation spreads, transitively and once", () => {
    const text = withFragments("{ a { ...A } }", {
      A: "fragment A on T { ...B x }",
      B: "fragment B on T { y }",
      C: "fragment C on T { z }",
    });
    expect(text).toContain("fragment A");
    expect(text).toContain("fragment B");
    expect(text).not.toContain("fragment C");
  });
});

describe("configuration", () => {
  it("defaults to the embedded database on port 4000", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, databaseUrl: undefined, dataDir: "./.cartograph", production: false });
  });

  it("fails fast naming every invalid variable", () => {
    expect(() => loadConfig({ PORT: "http", DATABASE_URL: "mysql://x" })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: "http", DATABASE_URL: "mysql://x" });
    } catch (error) {
      expect((error as Error).message).toContain("PORT");
      expect((error as Error).message).toContain("DATABASE_URL");
    }
  });
});
