import { z } from "zod";
import type { Prisma as P } from "../../generated/prisma/client.js";
import { InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import { withPrismaErrors } from "../prisma-errors.js";
import { changedBy, recordChange } from "../audit/record.js";
import type { Scope } from "../scope.js";
import { isUuid, locale, metadata, parseInput, slug } from "../validation.js";

export const ENTITY_STATUSES = ["draft", "active", "archived", "discontinued"] as const;
export type EntityStatus = (typeof ENTITY_STATUSES)[number];

/** Which statuses each status may move to. Publish = -> active, archive = -> archived, discontinue = -> discontinued. */
export const ENTITY_TRANSITIONS: Record<EntityStatus, readonly EntityStatus[]> = {
  draft: ["active", "archived"],
  active: ["archived", "discontinued"],
  archived: ["active", "discontinued"],
  discontinued: ["archived"],
};

export const ENTITY_TYPE = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9]{0,39}$/, "must be a camelCase type name such as product or digitalDownload");

const CreateEntityInput = z.object({
  type: ENTITY_TYPE,
  slug,
  status: z.enum(["draft", "active"]).default("draft"),
  metadata: metadata.default({}),
});

const UpdateEntityInput = z.object({
  id: z.string(),
  type: ENTITY_TYPE.optional(),
  slug: slug.optional(),
  status: z.enum(ENTITY_STATUSES).optional(),
  metadata: metadata.optional(),
});

const AttributesInput = z.object({
  entityId: z.string(),
  locale,
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).nullish(),
  seoTitle: z.string().max(200).nullish(),
  seoDescription: z.string().max(500).nullish(),
});

export async function createEntity(scope: Scope, input: unknown) {
  const data = parseInput(CreateEntityInput, input);
  return withPrismaErrors("catalog entity", () =>
    scope.prisma.$transaction(async (tx) => {
      const entity = await tx.catalogEntity.create({ data: { ...data, metadata: data.metadata as P.InputJsonValue, storeId: scope.storeId } });
      await recordChange(tx, { ...changedBy(scope), event: "catalog.create", entityType: "catalog_entity", entityId: entity.id, after: entity });
      return entity;
    }),
  );
}

export async function updateEntity(scope: Scope, input: unknown) {
  const { id, status, metadata: meta, ...fields } = parseInput(UpdateEntityInput, input);
  return scope.prisma.$transaction(async (tx) => {
    const current = await requireEntity(scope, id, tx);
    if (status && status !== current.status) assertTransition(current.status as EntityStatus, status);
    const entity = await withPrismaErrors("catalog entity", () =>
      tx.catalogEntity.update({
        where: { id },
        data: { ...fields, ...(meta ? { metadata: meta as P.InputJsonValue } : {}), ...(status ? { status } : {}) },
      }),
    );
    await recordChange(tx, { ...changedBy(scope), event: "catalog.update", entityType: "catalog_entity", entityId: id, before: current, after: entity });
    return entity;
  });
}

export async function deleteEntity(scope: Scope, id: string) {
  return scope.prisma.$transaction(async (tx) => {
    const entity = await requireEntity(scope, id, tx);
    await tx.catalogEntity.delete({ where: { id } });
    await recordChange(tx, { ...changedBy(scope), event: "catalog.delete", entityType: "catalog_entity", entityId: id, before: entity, data: { id } });
    return { id };
  });
}

/**
 * Moves an entity to `target` if the transition table allows it from the current status, under a row
 * lock, so two racing transitions cannot both win.
 */
export async function transitionEntity(scope: Scope, id: string, target: EntityStatus) {
  if (!isUuid(id)) throw new NotFoundError("Catalog entity", id);
  const allowedFrom = ENTITY_STATUSES.filter((s) => ENTITY_TRANSITIONS[s].includes(target));
  return scope.prisma.$transaction(async (tx) => {
    // Locked, so the status recorded as "before" is the one the transition was checked against.
    const [current] = await tx.$queryRaw<{ status: EntityStatus }[]>`
      SELECT status FROM catalog_entity WHERE id = ${id}::uuid AND "storeId" = ${scope.storeId}::uuid FOR UPDATE`;
    if (!current) throw new NotFoundError("Catalog entity", id);
    if (!allowedFrom.includes(current.status)) {
      throw new InvalidTransitionError("catalog entity", current.status, target, ENTITY_TRANSITIONS[current.status]);
    }
    const entity = await tx.catalogEntity.update({ where: { id }, data: { status: target } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "catalog.update",
      entityType: "catalog_entity",
      entityId: id,
      before: { status: current.status },
      after: entity,
    });
    return entity;
  });
}

function assertTransition(from: EntityStatus, to: EntityStatus): void {
  if (!ENTITY_TRANSITIONS[from]?.includes(to)) throw new InvalidTransitionError("catalog entity", from, to, ENTITY_TRANSITIONS[from] ?? []);
}

export async function setAttributes(scope: Scope, input: unknown) {
  const { entityId, locale: loc, ...given } = parseInput(AttributesInput, input);
  // PUT semantics: what is not given is cleared.
  const text = {
    title: given.title,
    description: given.description ?? null,
    seoTitle: given.seoTitle ?? null,
    seoDescription: given.seoDescription ?? null,
  };
  await requireEntity(scope, entityId);
  return scope.prisma.catalogAttribute.upsert({
    where: { entityId_locale: { entityId, locale: loc } },
    create: { entityId, locale: loc, ...text },
    update: text,
  });
}

/** The entity in the caller's store; a malformed id is simply not found. */
export async function requireEntity(scope: Scope, id: string, db: Pick<Scope["prisma"], "catalogEntity"> = scope.prisma) {
  if (!isUuid(id)) throw new NotFoundError("Catalog entity", id);
  const entity = await db.catalogEntity.findFirst({ where: { id, storeId: scope.storeId } });
  if (!entity) throw new NotFoundError("Catalog entity", id);
  return entity;
}

// ---- reads -----------------------------------------------------------------------------------

export interface EntityFilter {
  type?: string | null;
  status?: string | null;
  categoryId?: string | null;
  brandId?: string | null;
}

/**
 * The `where` of an entity listing: always one store; only active entities unless the caller may
 * see unpublished ones (catalog:read).
 */
export function entityWhere(storeId: string, filter: EntityFilter, seeUnpublished: boolean): P.CatalogEntityWhereInput {
  const where: P.CatalogEntityWhereInput = { storeId };
  for (const key of ["categoryId", "brandId"] as const) {
    const id = filter[key];
    if (id && !isUuid(id)) throw ValidationError.field(key, "invalid_uuid", `${key} must be a UUID.`);
  }
  if (filter.type) where.type = filter.type;
  if (seeUnpublished) {
    if (filter.status) where.status = filter.status;
  } else {
    where.status = "active";
    // The public asking for drafts gets an empty list, not an error that reveals they exist.
    if (filter.status && filter.status !== "active") where.id = { in: [] };
  }
  if (filter.categoryId) where.categories = { some: { categoryId: filter.categoryId } };
  if (filter.brandId) where.brands = { some: { brandId: filter.brandId } };
  return where;
}

export const ENTITY_SORT_FIELDS = ["createdAt", "updatedAt", "slug", "type", "status"] as const;
export type EntitySortField = (typeof ENTITY_SORT_FIELDS)[number];
