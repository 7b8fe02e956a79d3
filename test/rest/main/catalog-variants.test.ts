import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";

const t = useTestApp();

async function entityWithOptions(slug: string) {
  const entity = (await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug } })).body.data;
  const color = await t.request("POST", `/api/catalog/entities/${entity.id}/options`, {
    body: { name: "Color", values: [{ value: "blue" }, { value: "red", label: "Red" }] },
  });
  expect(color.status).toBe(201);
  const size = await t.request("POST", `/api/catalog/entities/${entity.id}/options`, { body: { name: "Size" } });
  const small = await t.request("POST", `/api/catalog/options/${size.body.data.id}/values`, { body: { value: "S" } });
  expect(small.status).toBe(201);
  await t.request("POST", `/api/catalog/options/${size.body.data.id}/values`, { body: { value: "M" } });
  await t.request("POST", `/api/catalog/options/${size.body.data.id}/values`, { body: { value: "L" } });
  return { entity, color: color.body.data, size: size.body.data };
}

describe("option types and values", () => {
  it("creates an option type with values, then more values", async () => {
    const { color, size } = await entityWithOptions("opts");
    expect(color).toMatchObject({ name: "Color", displayName: "Color", position: 0 });
    expect(color.values.map((v: { value: string; label: string }) => [v.value, v.label])).toEqual([
      ["blue", "blue"],
      ["red", "Red"],
    ]);
    expect(size.position).toBe(1);
  });

  it("refuses duplicate option names and values (409) and unknown option types (404)", async () => {
    const { entity, color } = await entityWithOptions("opts-dup");
    expect(
      (await t.request("POST", `/api/catalog/entities/${entity.id}/options`, { body: { name: "Color" } })).status,
    ).toBe(409);
    expect(
      (await t.request("POST", `/api/catalog/options/${color.id}/values`, { body: { value: "blue" } })).status,
    ).toBe(409);
    const dupInBody = await t.request("POST", `/api/catalog/entities/${entity.id}/options`, {
      body: { name: "Material", values: [{ value: "wood" }, { value: "wood" }] },
    });
    expect(dupInBody.status).toBe(422);
    expect(
      (
        await t.request("POST", "/api/catalog/options/00000000-0000-4000-8000-000000000000/values", {
          body: { value: "x" },
        })
      ).status,
    ).toBe(404);
    expect((await t.request("POST", `/api/catalog/options/${color.id}/values`, { body: {} })).status).toBe(422);
  });
});

describe("variants", () => {
  it("creates a single variant with option values, unique by SKU and by combination", async () => {
    const { entity, color, size } = await entityWithOptions("single");
    const blue = color.values[0].id;
    const res = await t.request("POST", `/api/catalog/entities/${entity.id}/variants`, {
      body: { sku: "SINGLE-BLUE", optionValueIds: [blue], metadata: { weight: 10 } },
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ sku: "SINGLE-BLUE", entityId: entity.id, metadata: { weight: 10 } });
    expect(res.body.data.optionValues.map((v: { value: string }) => v.value)).toEqual(["blue"]);

    const sameSku = await t.request("POST", `/api/catalog/entities/${entity.id}/variants`, {
      body: { sku: "SINGLE-BLUE" },
    });
    expect(sameSku.status).toBe(409);
    const sameCombo = await t.request("POST", `/api/catalog/entities/${entity.id}/variants`, {
      body: { sku: "OTHER", optionValueIds: [blue] },
    });
    expect(sameCombo.status).toBe(409);
    const twoColors = await t.request("POST", `/api/catalog/entities/${entity.id}/variants`, {
      body: { sku: "TWO", optionValueIds: [blue, color.values[1].id] },
    });
    expect(twoColors.status).toBe(422);
    const foreign = await t.request("POST", `/api/catalog/entities/${entity.id}/variants`, {
      body: { sku: "FOREIGN", optionValueIds: ["00000000-0000-4000-8000-000000000000"] },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.details[0].path).toBe("optionValueIds.0");
    const badSku = await t.request("POST", `/api/catalog/entities/${entity.id}/variants`, {
      body: { sku: " has spaces " },
    });
    expect(badSku.status).toBe(422);
    expect(size.values).toEqual([]);
  });

  it("generates the cartesian product with unique SKUs, and only the missing combinations on re-run", async () => {
    const { entity, size } = await entityWithOptions("matrix");
    const gen = await t.request("POST", `/api/catalog/entities/${entity.id}/variants/generate`, { body: {} });
    expect(gen.status).toBe(201);
    expect(gen.body.data.skipped).toBe(0);
    const skus = gen.body.data.variants.map((v: { sku: string }) => v.sku);
    expect(skus).toEqual([
      "MATRIX-BLUE-S",
      "MATRIX-BLUE-M",
      "MATRIX-BLUE-L",
      "MATRIX-RED-S",
      "MATRIX-RED-M",
      "MATRIX-RED-L",
    ]);
    expect(new Set(skus).size).toBe(6);
    expect(gen.body.data.variants[0].optionValues.map((v: { value: string }) => v.value)).toEqual(["blue", "S"]);

    await t.request("POST", `/api/catalog/options/${size.id}/values`, { body: { value: "XL" } });
    const again = await t.request("POST", `/api/catalog/entities/${entity.id}/variants/generate`, { body: {} });
    expect(again.body.data.skipped).toBe(6);
    expect(again.body.data.variants.map((v: { sku: string }) => v.sku)).toEqual(["MATRIX-BLUE-XL", "MATRIX-RED-XL"]);

    const listed = await t.request("GET", `/api/catalog/entities/${entity.id}?include=variants`);
    expect(listed.body.data.variants).toHaveLength(8);
    expect(listed.body.data.optionTypes.map((o: { name: string }) => o.name)).toEqual(["Color", "Size"]);
  });

  it("makes generated SKUs unique against existing ones and honours a prefix and a subset of options", async () => {
    const { entity, color } = await entityWithOptions("prefixed");
    await t.request("POST", `/api/catalog/entities/${entity.id}/variants`, { body: { sku: "P-BLUE" } });
    const gen = await t.request("POST", `/api/catalog/entities/${entity.id}/variants/generate`, {
      body: { skuPrefix: "P", optionTypeIds: [color.id] },
    });
    expect(gen.status).toBe(201);
    expect(gen.body.data.variants.map((v: { sku: string }) => v.sku)).toEqual(["P-BLUE-2", "P-RED"]);
  });

  it("refuses matrices without option types or with an empty option type", async () => {
    const bare = (await t.request("POST", "/api/catalog/entities", { body: { type: "product", slug: "bare" } })).body
      .data;
    const none = await t.request("POST", `/api/catalog/entities/${bare.id}/variants/generate`, { body: {} });
    expect(none.status).toBe(422);
    await t.request("POST", `/api/catalog/entities/${bare.id}/options`, { body: { name: "Empty" } });
    const empty = await t.request("POST", `/api/catalog/entities/${bare.id}/variants/generate`, { body: {} });
    expect(empty.status).toBe(422);
    expect(empty.body.error.details[0].code).toBe("no_values");
    expect(
      (
        await t.request("POST", "/api/catalog/entities/00000000-0000-4000-8000-000000000000/variants/generate", {
          body: {},
        })
      ).status,
    ).toBe(404);
  });
});
