import { describe, expect, it } from "vitest";
import { grants } from "../../src/domain/auth/permissions.js";
import { ENTITY_STATUSES, ENTITY_TRANSITIONS } from "../../src/domain/catalog/entities.js";
import { cartesianProduct, optionKey } from "../../src/domain/catalog/variants.js";
import { ConflictError } from "../../src/domain/errors.js";
import { translatePrismaError } from "../../src/domain/prisma-errors.js";
import { slugify } from "../../src/domain/validation.js";

describe("permissions", () => {
  it("grant exact permissions, resource wildcards, *:* and the implied read", () => {
    expect(grants(["catalog:create"], "catalog:create")).toBe(true);
    expect(grants(["catalog:create"], "catalog:delete")).toBe(false);
    expect(grants(["catalog:create"], "catalog:read")).toBe(true);
    expect(grants(["catalog:*"], "catalog:delete")).toBe(true);
    expect(grants(["catalog:*"], "orders:read")).toBe(false);
    expect(grants(["*:*"], "webhooks:manage")).toBe(true);
    expect(grants([], "catalog:read")).toBe(false);
    expect(grants(["orders:update"], "catalog:read")).toBe(false);
  });
});

describe("the entity lifecycle table", () => {
  it("never allows staying in place and only names known statuses", () => {
    for (const from of ENTITY_STATUSES) {
      expect(ENTITY_TRANSITIONS[from]).not.toContain(from);
      for (const to of ENTITY_TRANSITIONS[from]) expect(ENTITY_STATUSES).toContain(to);
    }
  });
});

describe("option matrix", () => {
  it("expands the cartesian product in order", () => {
    expect(
      cartesianProduct([
        ["a", "b"],
        ["1", "2", "3"],
      ]),
    ).toEqual([
      ["a", "1"],
      ["a", "2"],
      ["a", "3"],
      ["b", "1"],
      ["b", "2"],
      ["b", "3"],
    ]);
    expect(cartesianProduct([])).toEqual([[]]);
    expect(cartesianProduct([["a"], []])).toEqual([]);
  });

  it("keys a combination independently of order", () => {
    expect(optionKey(["b", "a"])).toBe(optionKey(["a", "b"]));
  });
});

describe("database errors", () => {
  it("turn unique violations from either driver into CONFLICT naming the field", () => {
    const prismaStyle = translatePrismaError(
      { code: "P2002", meta: { target: ["storeId", "slug"] } },
      "catalog entity",
    );
    expect(prismaStyle).toBeInstanceOf(ConflictError);
    expect((prismaStyle as ConflictError).target).toBe("slug");
    const pgliteStyle = translatePrismaError(
      {
        name: "DriverAdapterError",
        cause: { kind: "postgres", code: "23505", detail: 'Key ("storeId", sku)=(x, y) already exists.' },
      },
      "variant",
    );
    expect((pgliteStyle as ConflictError).target).toBe("sku");
    // @prisma/adapter-pg 7: the index name and the table only.
    const byIndex = (index: string, table?: string) =>
      (
        translatePrismaError(
          {
            code: "P2002",
            meta: {
              driverAdapterError: { cause: { kind: "UniqueConstraintViolation", constraint: { index }, table } },
            },
          },
          "x",
        ) as ConflictError
      ).target;
    expect(byIndex("catalog_entity_storeId_slug_key", "catalog_entity")).toBe("slug");
    expect(byIndex("payment_provider_providerRef_key", "payment")).toBe("provider, providerRef");
    expect(byIndex("store_slug_key", "store")).toBe("slug");
    expect(byIndex("inventory_level_entityId_variantKey_warehouseId_key")).toBe("variantKey, warehouseId");
    expect(byIndex("api_key_hash_key")).toBe("hash");
    const other = new Error("boom");
    expect(translatePrismaError(other, "x")).toBe(other);
  });
});

describe("slugify", () => {
  it("makes URL-safe slugs", () => {
    expect(slugify("Home & Garden")).toBe("home-garden");
    expect(slugify("  Crème brûlée!  ")).toBe("creme-brulee");
    expect(slugify("!!!")).toBe("");
  });
});
