import { readFile } from "node:fs/promises";
import { buildSchema, type GraphQLSchema, isUnionType } from "graphql";
import { describe, expect, it } from "vitest";
import { deriveMutationErrors, FALLBACK_ERROR } from "../scripts/mutation-errors.js";
import { MUTATION_ERRORS_BY_UNION } from "../src/graphql/mutation-errors.generated.js";
import { schema } from "../src/graphql/schema.js";
import { MUTATION_ERROR_TYPES } from "../src/graphql/types/errors.js";
import { useTestApp } from "./helpers/app.js";

const t = useTestApp();

/** Each `<Name>Result` union's error members (its members but `<Name>Payload`), sorted. */
function unionErrors(graphqlSchema: GraphQLSchema): Record<string, string[]> {
  const unions: Record<string, string[]> = {};
  for (const type of Object.values(graphqlSchema.getTypeMap())) {
    const name = /^(.+)Result$/.exec(type.name)?.[1];
    if (!name || !isUnionType(type)) continue;
    const members = type.getTypes().map((member) => member.name);
    if (!members.includes(`${name}Payload`)) continue;
    unions[name] = members.filter((member) => member !== `${name}Payload`).sort();
  }
  return unions;
}

describe("mutation result unions", () => {
  it("are what the resolvers can raise: the committed map is the derivation's (run `npm run schema:print`)", {
    timeout: 240_000,
  }, () => {
    const derived = deriveMutationErrors();
    expect(Object.keys(derived).length).toBeGreaterThan(100);
    expect(MUTATION_ERRORS_BY_UNION, "mutation-errors.generated.ts is stale: run `npm run schema:print`").toEqual(
      derived,
    );
  });

  it("and the schema's unions, built and committed, hold exactly those errors", async () => {
    const committed = buildSchema(await readFile(new URL("../schema.graphql", import.meta.url), "utf8"));
    const expected = Object.fromEntries(Object.entries(MUTATION_ERRORS_BY_UNION).map(([name, e]) => [name, [...e]]));
    expect(unionErrors(schema)).toEqual(expected);
    expect(unionErrors(committed), "schema.graphql is stale: run `npm run schema:print`").toEqual(expected);
    // Every member is a registered error type, and every union keeps at least one.
    for (const members of Object.values(MUTATION_ERRORS_BY_UNION)) {
      expect(members.length).toBeGreaterThan(0);
      for (const member of members) expect(Object.keys(MUTATION_ERROR_TYPES)).toContain(member);
    }
    expect(MUTATION_ERRORS_BY_UNION.AdjustInventory).toContain("InsufficientStockError");
    // Checkout catches the reservation's InsufficientStockError and raises CheckoutFailedError instead.
    expect(MUTATION_ERRORS_BY_UNION.Checkout).toContain("CheckoutFailedError");
    expect(MUTATION_ERRORS_BY_UNION.Checkout).not.toContain("InsufficientStockError");
    expect(MUTATION_ERRORS_BY_UNION.DeleteBrand).not.toContain("InsufficientStockError");
    expect(MUTATION_ERRORS_BY_UNION.DeleteBrand).toContain("NotFoundError");
    expect(FALLBACK_ERROR in MUTATION_ERROR_TYPES).toBe(true);
  });

  it("return a raised error as a member of the union", async () => {
    const mutate = async (field: string, inputType: string, input: Record<string, unknown>, selection: string) => {
      const res = await t.graphql(
        `mutation ($input: ${inputType}!) { ${field}(input: $input) { __typename ${selection} ... on Error { code } } }`,
        { input },
      );
      expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
      return res.body.data[field];
    };
    const entity = await mutate(
      "createCatalogEntity",
      "CreateCatalogEntityInput",
      { type: "product", slug: "union-stock", status: "active" },
      "... on CreateCatalogEntityPayload { entity { id } }",
    );
    const warehouse = await mutate(
      "createWarehouse",
      "CreateWarehouseInput",
      { code: "UNION-1", name: "Union" },
      "... on CreateWarehousePayload { warehouse { id } }",
    );
    const adjust = (type: string, quantity: number) =>
      mutate(
        "adjustInventory",
        "AdjustInventoryInput",
        { entityId: entity.entity.id, warehouseId: warehouse.warehouse.id, type, quantity },
        "... on InsufficientStockError { requested available }",
      );
    expect(await adjust("restock", 2)).toEqual({ __typename: "AdjustInventoryPayload" });
    expect(await adjust("sale", 5)).toEqual({
      __typename: "InsufficientStockError",
      code: "CONFLICT",
      requested: 5,
      available: 2,
    });
  });

  it("leave out the errors a mutation cannot raise, so asking for one is invalid", async () => {
    const possible = await t.graphql(`{ __type(name: "DeleteBrandResult") { possibleTypes { name } } }`);
    const names = possible.body.data.__type.possibleTypes.map((type: { name: string }) => type.name).sort();
    expect(names).toEqual(["DeleteBrandPayload", ...MUTATION_ERRORS_BY_UNION.DeleteBrand!].sort());
    expect(names).not.toContain("InsufficientStockError");
    const impossible = await t.graphql(
      `mutation { deleteBrand(input: { id: "00000000-0000-4000-8000-000000000000" }) {
         __typename ... on InsufficientStockError { available } } }`,
    );
    expect(impossible.body.errors[0].message).toMatch(
      /"DeleteBrandResult" can never be of type "InsufficientStockError"/,
    );
    // Through the Error interface a client can ask for every error's fields on any union.
    const missing = await t.graphql(
      `mutation { deleteBrand(input: { id: "00000000-0000-4000-8000-000000000000" }) {
         __typename ... on Error { code ... on InsufficientStockError { available } } } }`,
    );
    expect(missing.body.data.deleteBrand).toEqual({ __typename: "NotFoundError", code: "NOT_FOUND" });
  });
});
