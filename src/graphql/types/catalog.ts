import { type Actor, can, vendorOf } from "../../domain/auth/actor.js";
import {
  createEntity,
  deleteEntity,
  ENTITY_SORT_FIELDS,
  ENTITY_STATUSES,
  type EntityStatus,
  entityWhere,
  setAttributes,
  transitionEntity,
  updateEntity,
} from "../../domain/catalog/entities.js";
import { isUuid } from "../../domain/validation.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { modelConnection, pageComplexity, totalCountField } from "../pagination.js";
import { catalogEntityTypeName } from "./entity-type-names.js";
import { mutationResult } from "./errors.js";
import { IdInput, NodeInterface, registerNode } from "./node.js";

export const CatalogEntityStatusEnum = builder.enumType("CatalogEntityStatus", {
  values: ENTITY_STATUSES,
});

export const SortDirectionEnum = builder.enumType("SortDirection", { values: ["asc", "desc"] as const });

const CatalogEntitySortFieldEnum = builder.enumType("CatalogEntitySortField", { values: ENTITY_SORT_FIELDS });

export const CatalogAttribute = builder.prismaObject("CatalogAttribute", {
  description: "Localized text of a catalog entity in one locale.",
  fields: (t) => ({
    locale: t.exposeString("locale"),
    title: t.exposeString("title"),
    description: t.exposeString("description", { nullable: true }),
    seoTitle: t.exposeString("seoTitle", { nullable: true }),
    seoDescription: t.exposeString("seoDescription", { nullable: true }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

export const CatalogEntity = builder.prismaInterface("CatalogEntity", {
  description:
    "A sellable thing: a product, a digital download, a service... Each `type` has its object type (Product, DigitalDownload, ...; entity-types.ts).",
  interfaces: [NodeInterface],
  resolveType: (entity) => catalogEntityTypeName(entity.type),
  fields: (t) => ({
    id: t.exposeID("id"),
    type: t.exposeString("type", { description: "product, digitalDownload, ... (camelCase)." }),
    slug: t.exposeString("slug"),
    status: t.field({ type: CatalogEntityStatusEnum, resolve: (entity) => entity.status as EntityStatus }),
    metadata: t.expose("metadata", { type: "JSONObject" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    attributes: t.relation("attributes", {
      description: "Localized attributes; one locale when `locale` is given.",
      args: { locale: t.arg.string() },
      query: (args) => ({
        where: args.locale ? { locale: args.locale } : {},
        orderBy: { locale: "asc" },
      }),
    }),
    variants: t.relation("variants", { query: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } }),
    optionTypes: t.relation("optionTypes", { query: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } }),
    prices: t.relation("prices", { query: { orderBy: [{ currency: "asc" }, { createdAt: "asc" }] } }),
    inventory: t.relation("inventoryLevels", { query: { orderBy: { warehouseId: "asc" } } }),
  }),
});

// media (the MediaAttachment list) is defined with the media types in media.ts.

export const Price = builder.prismaObject("Price", {
  fields: (t) => ({
    id: t.exposeID("id"),
    entityId: t.exposeID("entityId"),
    variantId: t.exposeID("variantId", { nullable: true }),
    currency: t.exposeString("currency"),
    amount: t.exposeInt("amount", { description: "Minor units (cents)." }),
    customerGroupId: t.exposeID("customerGroupId", { nullable: true }),
    minQuantity: t.exposeInt("minQuantity"),
  }),
});

// Shoppers see what is available; where it is and how much is on hand or held is for merchants
// (inventory:read), so the public gets null for those rather than a competitor's stock map.
const forMerchants = <T>(ctx: { actor: Actor }, value: T): T | null =>
  can(ctx.actor, "inventory:read") ? value : null;

builder.prismaObject("InventoryLevel", {
  fields: (t) => ({
    warehouseId: t.id({
      nullable: true,
      description: "Merchants (inventory:read) only.",
      resolve: (l, _a, ctx) => forMerchants(ctx, l.warehouseId),
    }),
    variantId: t.exposeID("variantId", { nullable: true }),
    onHand: t.int({
      nullable: true,
      description: "Merchants (inventory:read) only.",
      resolve: (l, _a, ctx) => forMerchants(ctx, l.onHand),
    }),
    reserved: t.int({
      nullable: true,
      description: "Merchants (inventory:read) only.",
      resolve: (l, _a, ctx) => forMerchants(ctx, l.reserved),
    }),
    available: t.int({ resolve: (level) => Math.max(0, level.onHand - level.reserved) }),
  }),
});

// ---- queries ---------------------------------------------------------------------------------

const CatalogEntityFilter = builder.inputType("CatalogEntityFilter", {
  fields: (t) => ({
    type: t.string(),
    status: t.field({ type: CatalogEntityStatusEnum, description: "Merchants only; the public sees active entities." }),
    categoryId: t.id(),
    brandId: t.id(),
    vendorId: t.id({ description: "One marketplace vendor's entities." }),
  }),
});

const CatalogEntitySort = builder.inputType("CatalogEntitySort", {
  fields: (t) => ({
    field: t.field({ type: CatalogEntitySortFieldEnum, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: "asc" }),
  }),
});

/** Merchants with catalog access see drafts; everyone else sees active entities only. */
export function seesUnpublished(ctx: GraphQLContext): boolean {
  return can(ctx.actor, "catalog:read");
}

builder.queryFields((t) => ({
  catalogEntity: t.prismaField({
    type: "CatalogEntity",
    nullable: true,
    description: "One entity by id or by slug.",
    args: { id: t.arg.id(), slug: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      if (args.id ? !isUuid(args.id) : !args.slug) return null;
      return ctx.prisma.catalogEntity.findFirst({
        ...query,
        where: {
          ...entityWhere(ctx.storeId, {}, seesUnpublished(ctx), vendorOf(ctx.actor)),
          ...(args.id ? { id: args.id } : { slug: args.slug! }),
        },
      });
    },
  }),
  catalogEntities: t.connection(
    {
      type: CatalogEntity,
      complexity: pageComplexity,
      args: {
        filter: t.arg({ type: CatalogEntityFilter }),
        sort: t.arg({ type: [CatalogEntitySort], description: "Default: newest first." }),
      },
      resolve: (_root, args, ctx, info) => {
        const where = entityWhere(ctx.storeId, args.filter ?? {}, seesUnpublished(ctx), vendorOf(ctx.actor));
        const orderBy: Prisma.CatalogEntityOrderByWithRelationInput[] = [
          ...(args.sort?.length
            ? args.sort.map((s) => ({ [s.field]: s.direction ?? "asc" }))
            : [{ createdAt: "desc" as const }]),
          { id: "asc" },
        ];
        return modelConnection(args, ctx, info, {
          typeName: "CatalogEntity",
          model: ctx.prisma.catalogEntity,
          where,
          orderBy: orderBy,
        });
      },
    },
    { name: "CatalogEntityConnection", fields: totalCountField },
  ),
}));

// ---- mutations -------------------------------------------------------------------------------

const CreateCatalogEntityInput = builder.inputType("CreateCatalogEntityInput", {
  fields: (t) => ({
    type: t.string({ required: true, description: "product, digitalDownload, ..." }),
    slug: t.string({ required: true }),
    status: t.field({ type: CatalogEntityStatusEnum, description: "draft (default) or active." }),
    metadata: t.field({ type: "JSONObject" }),
    vendorId: t.id({
      description: "The marketplace vendor selling it (merchants; a vendor key's entities are always its own).",
    }),
  }),
});

const UpdateCatalogEntityInput = builder.inputType("UpdateCatalogEntityInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    type: t.string(),
    slug: t.string(),
    status: t.field({ type: CatalogEntityStatusEnum, description: "Moves through the lifecycle table." }),
    metadata: t.field({ type: "JSONObject", description: "Replaces the whole metadata object." }),
    vendorId: t.id({
      description: "Moves it to another marketplace vendor, or to the platform (null); merchants only.",
    }),
  }),
});

const SetCatalogAttributesInput = builder.inputType("SetCatalogAttributesInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    locale: t.string({ required: true }),
    title: t.string({ required: true }),
    description: t.string(),
    seoTitle: t.string(),
    seoDescription: t.string(),
  }),
});

const DeletedRef = builder.objectRef<{ id: string }>("Deleted").implement({
  fields: (t) => ({ id: t.exposeID("id") }),
});

export { DeletedRef };

builder.mutationFields((t) => ({
  createCatalogEntity: t.field({
    type: CatalogEntity,
    authScopes: { permission: "catalog:create" },
    args: { input: t.arg({ type: CreateCatalogEntityInput, required: true }) },
    errors: mutationResult("CreateCatalogEntity", "entity"),
    resolve: (_root, { input }, ctx) => createEntity(ctx.scope, input),
  }),
  updateCatalogEntity: t.field({
    type: CatalogEntity,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: UpdateCatalogEntityInput, required: true }) },
    errors: mutationResult("UpdateCatalogEntity", "entity"),
    resolve: (_root, { input }, ctx) => updateEntity(ctx.scope, input),
  }),
  deleteCatalogEntity: t.field({
    type: DeletedRef,
    authScopes: { permission: "catalog:delete" },
    args: { input: t.arg({ type: IdInput, required: true }) },
    errors: mutationResult("DeleteCatalogEntity", "deleted"),
    resolve: (_root, { input }, ctx) => deleteEntity(ctx.scope, input.id),
  }),
  publishCatalogEntity: t.field({
    type: CatalogEntity,
    description: "draft or archived -> active.",
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: IdInput, required: true }) },
    errors: mutationResult("PublishCatalogEntity", "entity"),
    resolve: (_root, { input }, ctx) => transitionEntity(ctx.scope, input.id, "active"),
  }),
  archiveCatalogEntity: t.field({
    type: CatalogEntity,
    description: "draft or active -> archived (also discontinued -> archived).",
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: IdInput, required: true }) },
    errors: mutationResult("ArchiveCatalogEntity", "entity"),
    resolve: (_root, { input }, ctx) => transitionEntity(ctx.scope, input.id, "archived"),
  }),
  discontinueCatalogEntity: t.field({
    type: CatalogEntity,
    description: "active or archived -> discontinued.",
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: IdInput, required: true }) },
    errors: mutationResult("DiscontinueCatalogEntity", "entity"),
    resolve: (_root, { input }, ctx) => transitionEntity(ctx.scope, input.id, "discontinued"),
  }),
  setCatalogAttributes: t.field({
    type: CatalogAttribute,
    description: "Creates or replaces the entity's attributes in one locale.",
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: SetCatalogAttributesInput, required: true }) },
    errors: mutationResult("SetCatalogAttributes", "attributes"),
    resolve: (_root, { input }, ctx) => setAttributes(ctx.scope, input),
  }),
}));

registerNode(
  "CatalogEntity",
  "catalog_entity",
  (ctx, id) =>
    ctx.prisma.catalogEntity.findFirst({
      where: { ...entityWhere(ctx.storeId, {}, seesUnpublished(ctx), vendorOf(ctx.actor)), id },
    }),
  (entity) => catalogEntityTypeName((entity as { type: string }).type),
);
