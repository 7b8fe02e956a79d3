import { describe, expect, it } from "vitest";
import { schema } from "../../src/graphql/schema.js";
import { mainDialect } from "../../src/rest/dialects/main/index.js";
import { projectsFragments, projectsRoutes } from "../../src/rest/dialects/projects/index.js";
import { storefrontV1Fragments, storefrontV1Routes } from "../../src/rest/dialects/storefront-v1/index.js";
import { compileRouteDocument, compileRoutes } from "../../src/rest/executor.js";
import type { RouteSpec } from "../../src/rest/route.js";

// Routes compile on their first request (a faster start), so a route whose operation no longer fits the
// schema would only fail when called: every dialect's every route is parsed and validated here instead.
const dialects: [string, readonly RouteSpec[], Record<string, string>][] = [
  ["main", mainDialect.routes, mainDialect.fragments],
  ["storefront-v1", storefrontV1Routes, storefrontV1Fragments],
  ["projects", projectsRoutes, projectsFragments],
];

describe("REST route documents", () => {
  for (const [name, routes, fragments] of dialects) {
    it(`every ${name} route's operation is valid against the schema`, () => {
      expect(routes.length).toBeGreaterThan(10);
      const broken = routes.flatMap((spec) => {
        try {
          compileRouteDocument(schema, spec, fragments);
          return [];
        } catch (error) {
          return [(error as Error).message];
        }
      });
      expect(broken).toEqual([]);
    });
  }

  it("compiles a route once, on first use, and names a broken route", () => {
    const [spec] = mainDialect.routes;
    const [compiled] = compileRoutes(schema, [spec!], mainDialect.fragments);
    expect(compiled!.document).toBe(compiled!.document);
    const broken = { ...spec!, operation: "query Broken { noSuchField }" };
    const [lazy] = compileRoutes(schema, [broken], {});
    expect(() => lazy!.document).toThrow(`REST route ${spec!.method} ${spec!.path}: Cannot query field "noSuchField"`);
  });
});
