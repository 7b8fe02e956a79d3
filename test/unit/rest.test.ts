import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { includeVariables, sortVariable } from "../../src/rest/dialects/main/include.js";
import { parsePagination, withFragments } from "../../src/rest/executor.js";
import { variableErrorToField } from "../../src/rest/operation-errors.js";

describe("GraphQL variable errors -> field errors", () => {
  it("extracts the path and reason", () => {
    expect(
      variableErrorToField('Variable "$input" got invalid value "x" at "input.status"; Value "x" does not exist in "S" enum.'),
    ).toEqual({ path: "status", code: "invalid_type", message: 'Value "x" does not exist in "S" enum.' });
    expect(
      variableErrorToField('Variable "$input" got invalid value {}; Field "slug" of required type "String!" was not provided.'),
    ).toMatchObject({ path: "slug", code: "required" });
    expect(
      variableErrorToField('Variable "$input" got invalid value { a: 1 }; Field "a" is not defined by type "X".'),
    ).toMatchObject({ path: "a", code: "unrecognized_key" });
    expect(variableErrorToField("Something else")).toBeNull();
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
    const text = withFragments("{ a { ...A } }", { A: "fragment A on T { ...B x }", B: "fragment B on T { y }", C: "fragment C on T { z }" });
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
