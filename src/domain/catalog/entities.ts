import { z } from "zod";
import { Prisma } from "../../generated/prisma/client.js";
import { changedBy, recordChange } from "../audit/record.js";
import { InvalidTransitionError, NotFoundError, ValidationError } from "../errors.js";
import { ownEntityWhere, vendorForNewEntity, vendorOf } from "../marketplace/vendor-scope.js";
import { withPrismaErrors } from "../prisma-errors.js";
import type { Scope } from "../scope.js";
import { isUuid, locale, metadata, parseInput, slug, uuid } from "../validation.js";

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

export const CreateEntityInput = z.object({
  type: ENTITY_TYPE,
  slug,
  status: z.enum(["draft", "active"]).default("draft"),
  metadata: metadata.default({}),
  /** The marketplace vendor selling it (merchants only; a vendor's creations are always its own). */
  vendorId: uuid.nullish(),
});

export const UpdateEntityInput = z.object({
  id: z.string(),
  type: ENTITY_TYPE.optional(),
  slug: slug.optional(),
  status: z.enum(ENTITY_STATUSES).optional(),
  metadata: metadata.optional(),
  /** Moves the entity to another vendor, or to the platform (null): merchants only. */
  vendorId: uuid.nullish(),
});

export const AttributesInput = z.object({
  entityId: z.string(),
  locale,
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).nullish(),
  seoTitle: z.string().max(200).nullish(),
  seoDescription: z.string().max(500).nullish(),
});

export async function createEntity(scope: Scope, input: unknown) {
  const { vendorId: requestedVendor, ...data } = parseInput(CreateEntityInput, input);
  return withPrismaErrors("catalog entity", () =>
    scope.prisma.$transaction(async (tx) => {
      const vendorId = await vendorForNewEntity(scope, requestedVendor, tx);
      const entity = await tx.catalogEntity.create({
        data: { ...data, vendorId, metadata: data.metadata as Prisma.InputJsonValue, storeId: scope.storeId },
      });
      await recordChange(tx, {
        ...changedBy(scope),
        event: "catalog.create",
        entityType: "catalog_entity",
        entityId: entity.id,
        after: entity,
      });
      return entity;
    }),
  );
}

export async function updateEntity(scope: Scope, input: unknown) {
  const { id, status, metadata: meta, vendorId: requestedVendor, ...fields } = parseInput(UpdateEntityInput, input);
  return scope.prisma.$transaction(async (tx) => {
    const current = await requireEntity(scope, id, tx);
    if (status && status !== current.status) assertTransition(current.status as EntityStatus, status);
    // A vendor cannot give its entity away; a merchant may move it between vendors.
    const vendorId =
      requestedVendor === undefined || vendorOf(scope.actor)
        ? undefined
        : await vendorForNewEntity(scope, requestedVendor, tx);
    const entity = await withPrismaErrors("catalog entity", () =>
      tx.catalogEntity.update({
        where: { id },
        data: {
          ...fields,
          ...(meta ? { metadata: meta as Prisma.InputJsonValue } : {}),
          ...(status ? { status } : {}),
          ...(vendorId !== undefined ? { vendorId } : {}),
        },
      }),
    );
    await recordChange(tx, {
      ...changedBy(scope),
      event: "catalog.update",
      entityType: "catalog_entity",
      entityId: id,
      before: current,
      after: entity,
    });
    return entity;
  });
}

export async function deleteEntity(scope: Scope, id: string) {
  return scope.prisma.$transaction(async (tx) => {
    const entity = await requireEntity(scope, id, tx);
    await tx.catalogEntity.delete({ where: { id } });
    await recordChange(tx, {
      ...changedBy(scope),
      event: "catalog.delete",
      entityType: "catalog_entity",
      entityId: id,
      before: entity,
      data: { id },
    });
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
    const vendorId = vendorOf(scope.actor);
    const [current] = await tx.$queryRaw<{ status: EntityStatus }[]>`
      SELECT status FROM catalog_entity WHERE id = ${id}::uuid AND "storeId" = ${scope.storeId}::uuid
         AND (${vendorId}::uuid IS NULL OR "vendorId" = ${vendorId}::uuid) FOR UPDATE`;
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
  if (!ENTITY_TRANSITIONS[from]?.includes(to))
    throw new InvalidTransitionError("catalog entity", from, to, ENTITY_TRANSITIONS[from] ?? []);
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

/**
 * The entity in the caller's store that the caller may manage (a vendor: its own, marketplace/vendor-scope.ts);
 * a malformed id, another store's or another vendor's entity is simply not found.
 */
export async function requireEntity(
  scope: Scope,
  id: string,
  db: Pick<Scope["prisma"], "catalogEntity"> = scope.prisma,
) {
  if (!isUuid(id)) throw new NotFoundError("Catalog entity", id);
  const entity = await db.catalogEntity.findFirst({
    where: { id, storeId: scope.storeId, ...ownEntityWhere(scope.actor) },
  });
  if (!entity) throw new NotFoundError("Catalog entity", id);
  return entity;
}

// ---- reads -----------------------------------------------------------------------------------

export interface EntityFilter {
  type?: string | null;
  status?: string | null;
  categoryId?: string | null;
  brandId?: string | null;
  /** One marketplace vendor's entities (a vendor actor sees only its own whatever it asks). */
  vendorId?: string | null;
}

/**
 * The public catalog shows platform-owned entities and those of approved marketplace vendors only:
 * suspending (or rejecting) a vendor takes its products out of lists, detail and search at once.
 */
export const PUBLIC_VENDOR_WHERE: Prisma.CatalogEntityWhereInput[] = [
  { vendorId: null },
  { vendor: { status: "approved" } },
];
/** The same rule in SQL, over catalog_entity aliased `alias` (a fixed identifier, never input). */
export function publicVendorSql(alias: "e" | "c" = "e"): Prisma.Sql {
  const vendorId = Prisma.raw(`${alias}."vendorId"`);
  return Prisma.sql`(${vendorId} IS NULL OR EXISTS (SELECT 1 FROM vendor pv WHERE pv.id = ${vendorId} AND pv.status = 'approved'))`;
}

/**
 * The `where` of an entity listing: always one store; only active entities unless the caller may
 * see unpublished ones (catalog:read). A vendor actor (`vendorId`) sees its own entities only, in every
 * status it may see (marketplace/vendor-scope.ts).
 */
export function entityWhere(
  storeId: string,
  filter: EntityFilter,
  seeUnpublished: boolean,
  vendorId: string | null = null,
): Prisma.CatalogEntityWhereInput {
  const where: Prisma.CatalogEntityWhereInput = vendorId ? { storeId, vendorId } : { storeId };
  for (const key of ["categoryId", "brandId", "vendorId"] as const) {
    const id = filter[key];
    if (id && !isUuid(id)) throw ValidationError.field(key, "invalid_uuid", `${key} must be a UUID.`);
  }
  if (filter.type) where.type = filter.type;
  if (seeUnpublished) {
    if (filter.status) where.status = filter.status;
  } else {
    where.status = "active";
    // Nor a suspended, rejected or pending vendor's products (search/search.ts and suggest.ts say the same in SQL).
    where.OR = PUBLIC_VENDOR_WHERE;
    // The public asking for drafts gets an empty list, not an error that reveals they exist.
    if (filter.status && filter.status !== "active") where.id = { in: [] };
  }
  if (filter.categoryId) where.categories = { some: { categoryId: filter.categoryId } };
  if (filter.brandId) where.brands = { some: { brandId: filter.brandId } };
  if (filter.vendorId && !vendorId) where.vendorId = filter.vendorId;
  return where;
}

export const ENTITY_SORT_FIELDS = ["createdAt", "updatedAt", "slug", "type", "status"] as const;
export type EntitySortField = (typeof ENTITY_SORT_FIELDS)[number];
