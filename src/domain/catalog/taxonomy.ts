import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";
import { audited, changedBy, recordChange } from "../audit/record.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import { assertNotVendor } from "../marketplace/vendor-scope.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { isUuid, metadata, parseInput, slug, slugify, uuid } from "../validation.js";
import { requireEntity } from "./entities.js";

const CategoryFields = {
  name: z.string().trim().min(1).max(200),
  slug: slug.optional(),
  parentId: uuid.nullish(),
  description: z.string().max(5_000).nullish(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
  metadata: metadata.optional(),
};
export const CreateCategoryInput = z.object(CategoryFields);
export const UpdateCategoryInput = z.object({
  id: z.string(),
  ...CategoryFields,
  name: CategoryFields.name.optional(),
});

const BrandFields = {
  name: z.string().trim().min(1).max(200),
  slug: slug.optional(),
  description: z.string().max(5_000).nullish(),
  logoUrl: z.url().max(2_000).nullish(),
  metadata: metadata.optional(),
};
export const CreateBrandInput = z.object(BrandFields);
export const UpdateBrandInput = z.object({ id: z.string(), ...BrandFields, name: BrandFields.name.optional() });

function slugFrom(name: string, explicit?: string): string {
  const candidate = explicit ?? slugify(name);
  if (!candidate)
    throw ValidationError.field("slug", "required", "A slug is required when the name has no letters or digits.");
  return candidate;
}

// ---- categories ------------------------------------------------------------------------------

export async function createCategory(scope: Scope, input: unknown) {
  assertNotVendor(scope.actor, "categories and brands");
  const data = parseInput(CreateCategoryInput, input);
  if (data.parentId) await requireCategory(scope, data.parentId, "parentId");
  const categorySlug = slugFrom(data.name, data.slug);
  return withPrismaErrors("category", () =>
    audited(
      scope,
      (tx) =>
        tx.category.create({
          data: {
            ...data,
            slug: categorySlug,
            metadata: (data.metadata ?? {}) as Prisma.InputJsonValue,
            storeId: scope.storeId,
          },
        }),
      (category) => ({ event: "categories.create", entityType: "category", entityId: category.id, after: category }),
    ),
  );
}

export async function updateCategory(scope: Scope, input: unknown) {
  assertNotVendor(scope.actor, "categories and brands");
  const { id, metadata: meta, ...fields } = parseInput(UpdateCategoryInput, input);
  return scope.prisma.$transaction(async (tx) => {
    await requireCategory(scope, id, "id", tx);
    if (fields.parentId) await assertNoCycle(scope, id, fields.parentId, tx);
    const before = await tx.category.findUniqueOrThrow({ where: { id } });
    const category = await withPrismaErrors("category", () =>
      tx.category.update({
        where: { id },
        data: { ...fields, ...(meta ? { metadata: meta as Prisma.InputJsonValue } : {}) },
      }),
    );
    await recordChange(tx, {
      ...changedBy(scope),
      event: "categories.update",
      entityType: "category",
      entityId: id,
      before,
      after: category,
    });
    return category;
  });
}

/** A category cannot become a descendant of itself. */
async function assertNoCycle(
  scope: Scope,
  id: string,
  parentId: string,
  tx: Scope["prisma"] | Prisma.TransactionClient,
) {
  let cursor: string | null = parentId;
  for (let depth = 0; cursor; depth++) {
    if (cursor === id || depth > 100) {
      throw ValidationError.field("parentId", "cycle", "A category cannot be moved under itself or its descendants.");
    }
    const parent: { parentId: string | null } | null = await tx.category.findFirst({
      where: { id: cursor, storeId: scope.storeId },
      select: { parentId: true },
    });
    if (!parent) throw ValidationError.field("parentId", "not_found", "Parent category not found.");
    cursor = parent.parentId;
  }
}

export async function deleteCategory(scope: Scope, id: string) {
  assertNotVendor(scope.actor, "categories and brands");
  return scope.prisma.$transaction(async (tx) => {
    await requireCategory(scope, id, "id", tx);
    if (await tx.category.count({ where: { parentId: id } })) {
      throw new ConflictError("The category has subcategories: move or delete them first.");
    }
    const before = await tx.category.delete({ where: { id } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "categories.delete",
      entityType: "category",
      entityId: id,
      before,
    });
    return { id };
  });
}

async function requireCategory(
  scope: Scope,
  id: string,
  field: string,
  db: Pick<Scope["prisma"], "category"> = scope.prisma,
) {
  const category = isUuid(id)
    ? await db.category.findFirst({ where: { id, storeId: scope.storeId }, select: { id: true } })
    : null;
  if (!category) {
    if (field === "id") throw new NotFoundError("Category", id);
    throw ValidationError.field(field, "not_found", "Category not found.");
  }
  return category;
}

// ---- brands ----------------------------------------------------------------------------------

export async function createBrand(scope: Scope, input: unknown) {
  assertNotVendor(scope.actor, "categories and brands");
  const data = parseInput(CreateBrandInput, input);
  const brandSlug = slugFrom(data.name, data.slug);
  return withPrismaErrors("brand", () =>
    audited(
      scope,
      (tx) =>
        tx.brand.create({
          data: {
            ...data,
            slug: brandSlug,
            metadata: (data.metadata ?? {}) as Prisma.InputJsonValue,
            storeId: scope.storeId,
          },
        }),
      (brand) => ({ event: "brands.create", entityType: "brand", entityId: brand.id, after: brand }),
    ),
  );
}

export async function updateBrand(scope: Scope, input: unknown) {
  assertNotVendor(scope.actor, "categories and brands");
  const { id, metadata: meta, ...fields } = parseInput(UpdateBrandInput, input);
  const existing = isUuid(id) ? await scope.prisma.brand.findFirst({ where: { id, storeId: scope.storeId } }) : null;
  if (!existing) throw new NotFoundError("Brand", id);
  return withPrismaErrors("brand", () =>
    audited(
      scope,
      (tx) =>
        tx.brand.update({
          where: { id },
          data: { ...fields, ...(meta ? { metadata: meta as Prisma.InputJsonValue } : {}) },
        }),
      (brand) => ({ event: "brands.update", entityType: "brand", entityId: id, before: existing, after: brand }),
    ),
  );
}

export async function deleteBrand(scope: Scope, id: string) {
  assertNotVendor(scope.actor, "categories and brands");
  if (!isUuid(id)) throw new NotFoundError("Brand", id);
  return audited(
    scope,
    async (tx) => {
      const { count } = await tx.brand.deleteMany({ where: { id, storeId: scope.storeId } });
      if (count === 0) throw new NotFoundError("Brand", id);
      return { id };
    },
    () => ({ event: "brands.delete", entityType: "brand", entityId: id }),
  );
}

// ---- entity links ----------------------------------------------------------------------------

type LinkKind = "category" | "brand";

/** Links an entity to a category or brand of the same store; linking twice is a no-op. */
async function link(scope: Scope, kind: LinkKind, entityId: string, targetId: string) {
  await requireEntity(scope, entityId);
  const where = { id: targetId, storeId: scope.storeId };
  const target = !isUuid(targetId)
    ? null
    : kind === "category"
      ? await scope.prisma.category.findFirst({ where, select: { id: true } })
      : await scope.prisma.brand.findFirst({ where, select: { id: true } });
  if (!target) throw new NotFoundError(kind === "category" ? "Category" : "Brand", targetId);
  await audited(
    scope,
    (tx) =>
      kind === "category"
        ? tx.entityCategory.createMany({ data: [{ entityId, categoryId: targetId }], skipDuplicates: true })
        : tx.entityBrand.createMany({ data: [{ entityId, brandId: targetId }], skipDuplicates: true }),
    () => ({
      event: "catalog.update",
      entityType: "catalog_entity",
      entityId,
      after: { [`${kind}Added`]: targetId },
      data: { id: entityId, [`${kind}Added`]: targetId },
    }),
  );
  return requireEntity(scope, entityId);
}

async function unlink(scope: Scope, kind: LinkKind, entityId: string, targetId: string) {
  const entity = await requireEntity(scope, entityId);
  await audited(
    scope,
    async (tx) => {
      const { count } = !isUuid(targetId)
        ? { count: 0 }
        : kind === "category"
          ? await tx.entityCategory.deleteMany({ where: { entityId, categoryId: targetId } })
          : await tx.entityBrand.deleteMany({ where: { entityId, brandId: targetId } });
      if (count === 0) throw new NotFoundError(kind === "category" ? "Category link" : "Brand link");
    },
    () => ({
      event: "catalog.update",
      entityType: "catalog_entity",
      entityId,
      before: { [kind]: targetId },
      data: { id: entityId, [`${kind}Removed`]: targetId },
    }),
  );
  return entity;
}

export const addEntityToCategory = (scope: Scope, entityId: string, categoryId: string) =>
  link(scope, "category", entityId, categoryId);
export const removeEntityFromCategory = (scope: Scope, entityId: string, categoryId: string) =>
  unlink(scope, "category", entityId, categoryId);
export const addEntityToBrand = (scope: Scope, entityId: string, brandId: string) =>
  link(scope, "brand", entityId, brandId);
export const removeEntityFromBrand = (scope: Scope, entityId: string, brandId: string) =>
  unlink(scope, "brand", entityId, brandId);
