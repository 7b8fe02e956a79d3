import { expect } from "vitest";
import type { TestApp } from "./app.js";

// Catalog set-up through the public API (REST, and GraphQL for the category and brand links), as the admin key.

/** Sends a request as the admin and expects a 2xx; answers `data`. */
async function ok(t: TestApp, method: string, path: string, body?: unknown) {
  const res = await t.request(method, path, { body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body.data;
}

/** Runs a GraphQL mutation returning a result union as the admin; expects its payload type. */
async function mutate(t: TestApp, field: string, inputType: string, input: Record<string, unknown>) {
  const payload = `${field[0]!.toUpperCase()}${field.slice(1)}Payload`;
  const res = await t.graphql(`mutation ($input: ${inputType}!) { ${field}(input: $input) { __typename } }`, {
    input,
  });
  expect(res.body.data?.[field]?.__typename, JSON.stringify(res.body)).toBe(payload);
}

export async function createCategory(t: TestApp, fields: { name: string; slug?: string; parentId?: string }) {
  return (await ok(t, "POST", "/api/catalog/categories", fields)) as { id: string; name: string; slug: string };
}

export async function createBrand(t: TestApp, fields: { name: string; slug?: string }) {
  return (await ok(t, "POST", "/api/catalog/brands", fields)) as { id: string; name: string; slug: string };
}

export interface CatalogProductSpec {
  slug: string;
  type?: string;
  status?: "draft" | "active";
  /** Title by locale. */
  titles?: Record<string, string>;
  categoryIds?: string[];
  brandIds?: string[];
  /** One option type whose values each get a variant with the SKU `sku(value)`. */
  option?: { name: string; values: string[]; sku: (value: string) => string };
}

/** An entity with titles, category and brand links, and an option whose values each have a variant. */
export async function catalogProduct(t: TestApp, spec: CatalogProductSpec) {
  const entity = await ok(t, "POST", "/api/catalog/entities", {
    type: spec.type ?? "product",
    slug: spec.slug,
    status: spec.status ?? "active",
  });
  const id = entity.id as string;
  for (const [locale, title] of Object.entries(spec.titles ?? {}))
    await ok(t, "PUT", `/api/catalog/entities/${id}/attributes/${locale}`, { title });
  for (const categoryId of spec.categoryIds ?? [])
    await mutate(t, "addEntityToCategory", "EntityCategoryInput", { entityId: id, categoryId });
  for (const brandId of spec.brandIds ?? [])
    await mutate(t, "addEntityToBrand", "EntityBrandInput", { entityId: id, brandId });
  const variants: string[] = [];
  if (spec.option) {
    const option = await ok(t, "POST", `/api/catalog/entities/${id}/options`, {
      name: spec.option.name,
      values: spec.option.values.map((value) => ({ value })),
    });
    for (const value of option.values as { id: string; value: string }[]) {
      const variant = await ok(t, "POST", `/api/catalog/entities/${id}/variants`, {
        sku: spec.option.sku(value.value),
        optionValueIds: [value.id],
      });
      variants.push(variant.id);
    }
  }
  return { id, variants };
}

/** Runs `make(i)` for i in [0, count), `parallel` at a time: volume seeding through the API in less wall time. */
export async function times(count: number, make: (i: number) => Promise<unknown>, parallel = 4): Promise<void> {
  for (let start = 0; start < count; start += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, count - start) }, (_, offset) => make(start + offset)));
  }
}
