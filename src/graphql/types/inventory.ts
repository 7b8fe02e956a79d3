import { getRefFromModel, type PrismaObjectRef } from "@pothos/plugin-prisma";
import { can } from "../../domain/auth/actor.js";
import { ADJUSTMENT_TYPES, adjustInventory } from "../../domain/inventory/adjustments.js";
import {
  checkAvailability,
  type EntityAvailability,
  MAX_CHECKED_ENTITIES,
  type StockTotals,
} from "../../domain/inventory/availability.js";
import {
  RESERVATION_STATUSES,
  type ReservationStatus,
  releaseReservation,
  reserveInventory,
} from "../../domain/inventory/reservations.js";
import { createWarehouse, warehouseWhere } from "../../domain/inventory/warehouses.js";
import type PrismaTypes from "../../generated/pothos-prisma-types.js";
import type { InventoryLevel as InventoryLevelRow } from "../../generated/prisma/client.js";
import { builder, type SchemaTypes } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { modelConnection, pageComplexity, totalCountField } from "../pagination.js";
import { mutationResult } from "./errors.js";

const INVENTORY_READ = { permission: "inventory:read" };
const INVENTORY_UPDATE = { permission: "inventory:update" };

export const Warehouse = builder.prismaObject("Warehouse", {
  description: "A stock location of the store.",
  fields: (t) => ({
    id: t.exposeID("id"),
    code: t.exposeString("code", { description: "Unique within the store." }),
    name: t.exposeString("name"),
    address: t.expose("address", { type: "JSONObject" }),
    active: t.exposeBoolean("active", {
      description: "Inactive warehouses are neither reserved from nor counted as available.",
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const InventoryAdjustmentTypeEnum = builder.enumType("InventoryAdjustmentType", {
  description:
    "restock and return add `quantity` to onHand; sale and damage subtract it (never below reserved); " +
    "correction sets onHand to `quantity` (an absolute count, never below reserved).",
  values: ADJUSTMENT_TYPES,
});

const _InventoryAdjustment = builder.prismaObject("InventoryAdjustment", {
  description: "One entry of the stock ledger.",
  fields: (t) => ({
    id: t.exposeID("id"),
    type: t.exposeString("type", { description: "restock, sale, return, damage or correction." }),
    delta: t.exposeInt("delta", { description: "Signed change of onHand." }),
    reason: t.exposeString("reason", { nullable: true }),
    reference: t.exposeString("reference", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

// InventoryLevel itself is defined with the catalog (entities embed it): this is its ref, and these
// are its inventory fields.
const InventoryLevel = getRefFromModel("InventoryLevel", builder, "object") as PrismaObjectRef<
  SchemaTypes,
  PrismaTypes["InventoryLevel"],
  InventoryLevelRow
>;

builder.prismaObjectFields(InventoryLevel, (t) => ({
  entityId: t.exposeID("entityId"),
  updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  adjustments: t.relation("adjustments", {
    description: "The ledger of this level, oldest first.",
    authScopes: INVENTORY_READ,
    query: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
  }),
}));

const ReservationStatusEnum = builder.enumType("InventoryReservationStatus", { values: RESERVATION_STATUSES });

export const InventoryReservation = builder.prismaObject("InventoryReservation", {
  description: "Stock held in one warehouse for a cart or an order.",
  // The level says what is held where; every reservation is loaded with it.
  include: { level: true },
  fields: (t) => ({
    id: t.exposeID("id"),
    entityId: t.id({ resolve: (r) => r.level.entityId }),
    variantId: t.id({ nullable: true, resolve: (r) => r.level.variantId }),
    warehouseId: t.id({ resolve: (r) => r.level.warehouseId }),
    quantity: t.exposeInt("quantity"),
    status: t.field({ type: ReservationStatusEnum, resolve: (r) => r.status as ReservationStatus }),
    orderId: t.exposeID("orderId", { nullable: true }),
    cartId: t.exposeID("cartId", { nullable: true }),
    reference: t.exposeString("reference", { nullable: true }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const VariantAvailability = builder.objectRef<StockTotals & { variantId: string }>("VariantAvailability").implement({
  description: "One variant's stock, totalled across warehouses.",
  fields: (t) => ({
    variantId: t.exposeID("variantId"),
    onHand: t.exposeInt("onHand"),
    reserved: t.exposeInt("reserved"),
    available: t.exposeInt("available"),
  }),
});

const InventoryAvailability = builder.objectRef<EntityAvailability>("InventoryAvailability").implement({
  description: "One entity's stock, totalled across the store's active warehouses.",
  fields: (t) => ({
    entityId: t.exposeID("entityId"),
    onHand: t.exposeInt("onHand"),
    reserved: t.exposeInt("reserved"),
    available: t.exposeInt("available"),
    variants: t.field({ type: [VariantAvailability], resolve: (a) => a.variants }),
    warehouses: t.field({
      type: [InventoryLevel],
      nullable: true,
      description:
        "Per warehouse and variant; null unless the caller has inventory:read (the public sees totals only).",
      authScopes: INVENTORY_READ,
      // Not an error for the public: the storefront asks for availability and simply gets no breakdown.
      unauthorizedResolver: () => null,
      resolve: (a) => a.levels,
    }),
  }),
});

/** Merchants who work with stock or the catalog see unpublished entities' stock too. */
function seesUnpublished(ctx: GraphQLContext): boolean {
  return can(ctx.actor, "catalog:read") || can(ctx.actor, "inventory:read");
}

builder.queryFields((t) => ({
  warehouses: t.connection(
    {
      type: Warehouse,
      authScopes: INVENTORY_READ,
      complexity: pageComplexity,
      description: "The store's warehouses by code.",
      resolve: (_root, args, ctx, info) => {
        const where = warehouseWhere(ctx.storeId);
        return modelConnection(args, ctx, info, {
          typeName: "Warehouse",
          model: ctx.prisma.warehouse,
          where,
          orderBy: [{ code: "asc" }, { id: "asc" }],
        });
      },
    },
    { name: "WarehouseConnection", fields: totalCountField },
  ),
  inventoryCheck: t.field({
    type: [InventoryAvailability],
    description:
      `Availability of up to ${MAX_CHECKED_ENTITIES} entities, in the order given. Public: anyone sees totals ` +
      "and per-variant figures of the entities they may see; unknown or unpublished ones are left out.",
    // Each entity asked for costs as much as one list item.
    complexity: (args) => ({ field: 1, multiplier: Math.max(1, args.entityIds.length) }),
    args: { entityIds: t.arg.idList({ required: true }) },
    resolve: (_root, args, ctx) => checkAvailability(ctx.scope, args, { seeUnpublished: seesUnpublished(ctx) }),
  }),
}));

// ---- mutations -------------------------------------------------------------------------------

const CreateWarehouseInput = builder.inputType("CreateWarehouseInput", {
  fields: (t) => ({
    code: t.string({ required: true, description: "Unique within the store: letters, digits, '_' and '-'." }),
    name: t.string({ required: true }),
    address: t.field({ type: "JSONObject", description: "Free-form postal address." }),
  }),
});

const AdjustInventoryInput = builder.inputType("AdjustInventoryInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    variantId: t.id({ description: "The variant's stock; the entity's own stock when omitted." }),
    warehouseId: t.id({ required: true }),
    type: t.field({ type: InventoryAdjustmentTypeEnum, required: true }),
    quantity: t.int({
      required: true,
      description: ">= 1 for restock, sale, return and damage; the new absolute onHand (>= 0) for correction.",
    }),
    reason: t.string({ description: "Recorded in the ledger." }),
  }),
});

const ReserveInventoryInput = builder.inputType("ReserveInventoryInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    variantId: t.id(),
    quantity: t.int({ required: true }),
    warehouseId: t.id({ description: "Reserve from this warehouse; otherwise from the one with the most available." }),
    reference: t.string(),
    orderId: t.id(),
    cartId: t.id(),
    expiresInSeconds: t.int({ description: "Recorded as expiresAt." }),
  }),
});

const ReleaseInventoryReservationInput = builder.inputType("ReleaseInventoryReservationInput", {
  fields: (t) => ({ reservationId: t.id({ required: true }) }),
});

builder.mutationFields((t) => ({
  createWarehouse: t.field({
    type: Warehouse,
    authScopes: INVENTORY_UPDATE,
    args: { input: t.arg({ type: CreateWarehouseInput, required: true }) },
    errors: mutationResult("CreateWarehouse", "warehouse"),
    resolve: (_root, { input }, ctx) => createWarehouse(ctx.scope, input),
  }),
  adjustInventory: t.field({
    type: InventoryLevel,
    description: "Changes onHand of one level (created if missing) and records it in the ledger.",
    authScopes: INVENTORY_UPDATE,
    args: { input: t.arg({ type: AdjustInventoryInput, required: true }) },
    errors: mutationResult("AdjustInventory", "level"),
    resolve: (_root, { input }, ctx) => adjustInventory(ctx.scope, input),
  }),
  reserveInventory: t.field({
    type: InventoryReservation,
    description: "Holds stock in one warehouse; InsufficientStockError when no warehouse has enough available.",
    authScopes: INVENTORY_UPDATE,
    args: { input: t.arg({ type: ReserveInventoryInput, required: true }) },
    errors: mutationResult("ReserveInventory", "reservation"),
    resolve: (_root, { input }, ctx) => reserveInventory(ctx.scope, input),
  }),
  releaseInventoryReservation: t.field({
    type: InventoryReservation,
    description: "active -> released, giving the quantity back; InvalidTransitionError when it is not active.",
    authScopes: INVENTORY_UPDATE,
    args: { input: t.arg({ type: ReleaseInventoryReservationInput, required: true }) },
    errors: mutationResult("ReleaseInventoryReservation", "reservation"),
    resolve: (_root, { input }, ctx) => releaseReservation(ctx.scope, input),
  }),
}));
