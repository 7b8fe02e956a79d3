import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { audited, changedBy, recordChange } from "../audit/record.js";
import { NotFoundError, ValidationError } from "../errors.js";
import { ownEntityWhere } from "../marketplace/vendor-scope.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { isUuid, metadata, parseInput, uuid } from "../validation.js";
import { requireEntity } from "./entities.js";

const optionName = z.string().trim().min(1).max(100);
const optionValue = z.string().trim().min(1).max(100);
const sku = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, "may contain letters, digits, '.', '_', '-' and '/'");

export const CreateOptionTypeInput = z.object({
  entityId: z.string(),
  name: optionName,
  displayName: z.string().trim().min(1).max(100).optional(),
  position: z.number().int().min(0).optional(),
  values: z
    .array(
      z.union([optionValue, z.object({ value: optionValue, label: z.string().trim().min(1).max(100).optional() })]),
    )
    .max(100)
    .optional(),
});

export const CreateOptionValueInput = z.object({
  optionTypeId: z.string(),
  value: optionValue,
  label: z.string().trim().min(1).max(100).optional(),
  position: z.number().int().min(0).optional(),
});

export const CreateVariantInput = z.object({
  entityId: z.string(),
  sku,
  optionValueIds: z.array(uuid).max(20).default([]),
  status: z.enum(["active", "inactive"]).default("active"),
  metadata: metadata.default({}),
});

export const GenerateVariantsInput = z.object({
  entityId: z.string(),
  /** Which option types span the matrix; all of the entity's when omitted. */
  optionTypeIds: z.array(uuid).min(1).max(10).optional(),
  skuPrefix: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
    .optional(),
});

/** The largest option matrix generateVariants will expand in one call. */
export const MAX_GENERATED_VARIANTS = 1000;

export async function createOptionType(scope: Scope, input: unknown) {
  const data = parseInput(CreateOptionTypeInput, input);
  await requireEntity(scope, data.entityId);
  const values = (data.values ?? []).map((v, position) =>
    typeof v === "string" ? { value: v, label: v, position } : { value: v.value, label: v.label ?? v.value, position },
  );
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v.value))
      throw ValidationError.field(`values.${i}`, "duplicate", `Duplicate option value "${v.value}".`);
    seen.add(v.value);
  });
  return withPrismaErrors("option type", () =>
    audited(
      scope,
      async (tx) =>
        tx.optionType.create({
          data: {
            entityId: data.entityId,
            name: data.name,
            displayName: data.displayName ?? data.name,
            position: data.position ?? (await tx.optionType.count({ where: { entityId: data.entityId } })),
            values: { create: values },
          },
        }),
      (optionType) => ({
        event: "catalog.update",
        entityType: "catalog_entity",
        entityId: data.entityId,
        after: { optionTypeAdded: optionType },
        data: { id: data.entityId, optionTypeAdded: optionType.id },
      }),
    ),
  );
}

export async function createOptionValue(scope: Scope, input: unknown) {
  const data = parseInput(CreateOptionValueInput, input);
  const optionType =
    isUuid(data.optionTypeId) &&
    (await scope.prisma.optionType.findFirst({
      where: { id: data.optionTypeId, entity: { storeId: scope.storeId, ...ownEntityWhere(scope.actor) } },
      select: { id: true, entityId: true },
    }));
  if (!optionType) throw new NotFoundError("Option type", data.optionTypeId);
  return withPrismaErrors("option value", () =>
    audited(
      scope,
      async (tx) =>
        tx.optionValue.create({
          data: {
            optionTypeId: data.optionTypeId,
            value: data.value,
            label: data.label ?? data.value,
            position: data.position ?? (await tx.optionValue.count({ where: { optionTypeId: data.optionTypeId } })),
          },
        }),
      (value) => ({
        event: "catalog.update",
        entityType: "catalog_entity",
        entityId: optionType.entityId,
        after: { optionValueAdded: value },
        data: { id: optionType.entityId, optionValueAdded: value.id },
      }),
    ),
  );
}

/** One variant per combination of option values: the key is the sorted value ids. */
export function optionKey(optionValueIds: readonly string[]): string {
  return [...optionValueIds].sort().join(",");
}

export async function createVariant(scope: Scope, input: unknown) {
  const data = parseInput(CreateVariantInput, input);
  await requireEntity(scope, data.entityId);
  if (data.optionValueIds.length) {
    const values = await scope.prisma.optionValue.findMany({
      where: { id: { in: data.optionValueIds }, optionType: { entityId: data.entityId } },
      select: { id: true, optionTypeId: true },
    });
    const found = new Set(values.map((v) => v.id));
    data.optionValueIds.forEach((id, i) => {
      if (!found.has(id)) {
        throw ValidationError.field(
          `optionValueIds.${i}`,
          "not_found",
          "Option value not found on this entity's option types.",
        );
      }
    });
    if (new Set(values.map((v) => v.optionTypeId)).size !== values.length) {
      throw ValidationError.field(
        "optionValueIds",
        "one_per_option",
        "A variant takes at most one value per option type.",
      );
    }
  }
  return withPrismaErrors("variant", () =>
    audited(
      scope,
      (tx) =>
        tx.variant.create({
          data: {
            storeId: scope.storeId,
            entityId: data.entityId,
            sku: data.sku,
            status: data.status,
            metadata: data.metadata as Prisma.InputJsonValue,
            optionKey: optionKey(data.optionValueIds),
            optionValues: { create: [...new Set(data.optionValueIds)].map((optionValueId) => ({ optionValueId })) },
          },
        }),
      (variant) => ({
        event: "catalog.update",
        entityType: "catalog_entity",
        entityId: data.entityId,
        after: { variantAdded: variant },
        data: { id: data.entityId, variantAdded: variant.id },
      }),
    ),
  );
}

/** Every combination of one value from each list (the cartesian product), in order. */
export function cartesianProduct<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((combos, list) => combos.flatMap((combo) => list.map((item) => [...combo, item])), [[]]);
}

function skuPart(text: string): string {
  return (
    text
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "X"
  );
}

/**
 * Creates the variants of the option matrix that do not exist yet, with SKUs `<PREFIX>-<VALUE>-<VALUE>`
 * made unique within the store. Existing combinations are left alone, so it can be run again after new
 * values are added. All or nothing: one transaction.
 */
export async function generateVariants(scope: Scope, input: unknown) {
  const data = parseInput(GenerateVariantsInput, input);
  return scope.prisma.$transaction(
    async (tx) => {
      const entity = await requireEntity(scope, data.entityId, tx);
      const optionTypes = await tx.optionType.findMany({
        where: { entityId: entity.id, ...(data.optionTypeIds ? { id: { in: data.optionTypeIds } } : {}) },
        include: { values: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      });
      if (data.optionTypeIds && optionTypes.length !== new Set(data.optionTypeIds).size) {
        throw ValidationError.field("optionTypeIds", "not_found", "Some option types do not belong to this entity.");
      }
      if (optionTypes.length === 0) {
        throw ValidationError.field(
          "optionTypeIds",
          "required",
          "The entity has no option types to generate variants from.",
        );
      }
      const empty = optionTypes.find((t) => t.values.length === 0);
      if (empty)
        throw ValidationError.field("optionTypeIds", "no_values", `Option type "${empty.name}" has no values.`);
      const size = optionTypes.reduce((n, t) => n * t.values.length, 1);
      if (size > MAX_GENERATED_VARIANTS) {
        throw ValidationError.field(
          "optionTypeIds",
          "too_big",
          `The matrix has ${size} combinations; at most ${MAX_GENERATED_VARIANTS}.`,
        );
      }

      const existing = await tx.variant.findMany({ where: { entityId: entity.id }, select: { optionKey: true } });
      const existingKeys = new Set(existing.map((v) => v.optionKey));
      const prefix = skuPart(data.skuPrefix ?? entity.slug);
      const combos = cartesianProduct(optionTypes.map((t) => t.values)).filter(
        (combo) => !existingKeys.has(optionKey(combo.map((v) => v.id))),
      );
      const wanted = combos.map((combo) => [prefix, ...combo.map((v) => skuPart(v.value))].join("-"));
      const taken = new Set(
        (
          await tx.variant.findMany({
            where: { storeId: scope.storeId, sku: { startsWith: prefix } },
            select: { sku: true },
          })
        ).map((v) => v.sku),
      );
      const skus = wanted.map((base) => {
        let candidate = base;
        for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
        taken.add(candidate);
        return candidate;
      });
      const basePosition = existing.length;
      const created = [];
      for (const [i, combo] of combos.entries()) {
        created.push(
          await tx.variant.create({
            data: {
              storeId: scope.storeId,
              entityId: entity.id,
              sku: skus[i]!,
              position: basePosition + i,
              optionKey: optionKey(combo.map((v) => v.id)),
              optionValues: { create: combo.map((v) => ({ optionValueId: v.id })) },
            },
          }),
        );
      }
      if (created.length) {
        await recordChange(tx, {
          ...changedBy(scope),
          event: "catalog.update",
          entityType: "catalog_entity",
          entityId: entity.id,
          after: { variantsGenerated: created.map((v) => v.sku) },
          data: { id: entity.id, variantsGenerated: created.map((v) => v.id) },
        });
      }
      return { variants: created, skipped: size - combos.length };
    },
    { timeout: 30_000 },
  );
}
