/**
 * The benchmark's fixed data set, written straight through Prisma (createMany, a handful of
 * statements) rather than through the API, which would take hundreds of round trips.
 */
import { randomUUID } from "node:crypto";
import { optionKey } from "../src/domain/catalog/variants.js";
import type { Db } from "../src/infra/db.js";

export const PRODUCT_COUNT = 20;
const SIZES = ["s", "m", "l"] as const;

export interface SeedSummary {
  products: number;
  variants: number;
}

/**
 * PRODUCT_COUNT active products in `storeId`, each with an English title and one "size" option type
 * whose three values each have a variant with its own SKU.
 *
 * The variants get real option values because `variant` is unique on (entityId, optionKey): three
 * option-less variants of one entity would collide on the empty key. It also makes the REST selection
 * (which embeds optionValues and optionTypes) do its full, realistic work.
 */
export async function seedCatalog(prisma: Db, storeId: string): Promise<SeedSummary> {
  // Distinct, increasing creation times: the list order (createdAt desc, id) is then unambiguous.
  const base = Date.now() - 60 * 60 * 1000;
  const entities = Array.from({ length: PRODUCT_COUNT }, (_, i) => ({
    id: randomUUID(),
    storeId,
    type: "product",
    slug: `bench-product-${String(i + 1).padStart(2, "0")}`,
    status: "active",
    metadata: { bench: true, rank: i + 1 },
    createdAt: new Date(base + i * 1000),
  }));
  const attributes = entities.map((e, i) => ({
    entityId: e.id,
    locale: "en",
    title: `Bench product ${i + 1}`,
    description: `A product of the benchmark data set (#${i + 1}).`,
  }));
  const optionTypes = entities.map((e) => ({
    id: randomUUID(),
    entityId: e.id,
    name: "size",
    displayName: "Size",
    position: 0,
  }));
  const optionValues = optionTypes.flatMap((t) =>
    SIZES.map((size, position) => ({
      id: randomUUID(),
      optionTypeId: t.id,
      value: size,
      label: size.toUpperCase(),
      position,
    })),
  );
  const variants = entities.flatMap((e, i) =>
    SIZES.map((size, position) => {
      const value = optionValues[i * SIZES.length + position]!;
      return {
        id: randomUUID(),
        storeId,
        entityId: e.id,
        sku: `BENCH-${String(i + 1).padStart(2, "0")}-${size.toUpperCase()}`,
        optionKey: optionKey([value.id]),
        position,
        createdAt: new Date(base + i * 1000 + position),
        optionValueId: value.id,
      };
    }),
  );

  await prisma.$transaction([
    prisma.catalogEntity.createMany({ data: entities }),
    prisma.catalogAttribute.createMany({ data: attributes }),
    prisma.optionType.createMany({ data: optionTypes }),
    prisma.optionValue.createMany({ data: optionValues }),
    prisma.variant.createMany({ data: variants.map(({ optionValueId: _, ...variant }) => variant) }),
    prisma.variantOptionValue.createMany({
      data: variants.map((v) => ({ variantId: v.id, optionValueId: v.optionValueId })),
    }),
  ]);
  return { products: entities.length, variants: variants.length };
}
