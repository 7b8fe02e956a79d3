import { vendorOf } from "../../domain/auth/actor.js";
import { entityWhere } from "../../domain/catalog/entities.js";
import { createOptionType, createOptionValue, createVariant, generateVariants } from "../../domain/catalog/variants.js";
import { builder } from "../builder.js";
import { seesUnpublished } from "./catalog.js";
import { mutationResult } from "./errors.js";
import { NodeInterface, registerNode } from "./node.js";

export const OptionType = builder.prismaObject("OptionType", {
  description: "An axis of variation of one entity, e.g. Color.",
  fields: (t) => ({
    id: t.exposeID("id"),
    entityId: t.exposeID("entityId"),
    name: t.exposeString("name"),
    displayName: t.exposeString("displayName"),
    position: t.exposeInt("position"),
    values: t.relation("values", { query: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } }),
  }),
});

export const OptionValue = builder.prismaObject("OptionValue", {
  fields: (t) => ({
    id: t.exposeID("id"),
    optionTypeId: t.exposeID("optionTypeId"),
    value: t.exposeString("value"),
    label: t.exposeString("label"),
    position: t.exposeInt("position"),
    optionType: t.relation("optionType"),
  }),
});

export const Variant = builder.prismaObject("Variant", {
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID("id"),
    entityId: t.exposeID("entityId"),
    sku: t.exposeString("sku"),
    status: t.exposeString("status"),
    position: t.exposeInt("position"),
    metadata: t.expose("metadata", { type: "JSONObject" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    entity: t.relation("entity"),
    optionValues: t.field({
      type: [OptionValue],
      description: "The option values that define this variant, in option-type order.",
      select: (_args, _ctx, nestedSelection) => ({
        optionValues: {
          select: { optionValue: nestedSelection(true) },
          orderBy: { optionValue: { optionType: { position: "asc" } } },
        },
      }),
      resolve: (variant) => variant.optionValues.map(({ optionValue }) => optionValue),
    }),
    prices: t.relation("prices"),
    inventory: t.relation("inventoryLevels"),
  }),
});

registerNode("Variant", "variant", (ctx, id) =>
  ctx.prisma.variant.findFirst({
    where: {
      id,
      storeId: ctx.storeId,
      entity: entityWhere(ctx.storeId, {}, seesUnpublished(ctx), vendorOf(ctx.actor)),
    },
  }),
);

const OptionValueSpec = builder.inputType("OptionValueSpec", {
  fields: (t) => ({ value: t.string({ required: true }), label: t.string() }),
});

const CreateOptionTypeInput = builder.inputType("CreateOptionTypeInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    name: t.string({ required: true }),
    displayName: t.string(),
    position: t.int(),
    values: t.field({ type: [OptionValueSpec], description: "Values to create with the option type." }),
  }),
});

const CreateOptionValueInput = builder.inputType("CreateOptionValueInput", {
  fields: (t) => ({
    optionTypeId: t.id({ required: true }),
    value: t.string({ required: true }),
    label: t.string(),
    position: t.int(),
  }),
});

const CreateVariantInput = builder.inputType("CreateVariantInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    sku: t.string({ required: true }),
    optionValueIds: t.idList({ description: "At most one value per option type." }),
    status: t.string({ description: "active (default) or inactive." }),
    metadata: t.field({ type: "JSONObject" }),
  }),
});

const GenerateVariantsInput = builder.inputType("GenerateVariantsInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    optionTypeIds: t.idList({ description: "The option types spanning the matrix; all of the entity's by default." }),
    skuPrefix: t.string({ description: "SKU prefix; the entity's slug in upper case by default." }),
  }),
});

const GeneratedVariants = builder.objectRef<{ variants: unknown[]; skipped: number }>("GeneratedVariants").implement({
  fields: (t) => ({
    variants: t.field({
      type: [Variant],
      resolve: (r) => r.variants as never,
      description: "The variants created now.",
    }),
    skipped: t.exposeInt("skipped", { description: "Combinations that already had a variant." }),
  }),
});

builder.mutationFields((t) => ({
  createOptionType: t.field({
    type: OptionType,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: CreateOptionTypeInput, required: true }) },
    errors: mutationResult("CreateOptionType", "optionType"),
    resolve: (_root, { input }, ctx) => createOptionType(ctx.scope, input),
  }),
  createOptionValue: t.field({
    type: OptionValue,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: CreateOptionValueInput, required: true }) },
    errors: mutationResult("CreateOptionValue", "optionValue"),
    resolve: (_root, { input }, ctx) => createOptionValue(ctx.scope, input),
  }),
  createVariant: t.field({
    type: Variant,
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: CreateVariantInput, required: true }) },
    errors: mutationResult("CreateVariant", "variant"),
    resolve: (_root, { input }, ctx) => createVariant(ctx.scope, input),
  }),
  generateVariants: t.field({
    type: GeneratedVariants,
    description: "Creates one variant per missing combination of the option matrix (cartesian product).",
    authScopes: { permission: "catalog:update" },
    args: { input: t.arg({ type: GenerateVariantsInput, required: true }) },
    errors: mutationResult("GenerateVariants", "result"),
    resolve: (_root, { input }, ctx) => generateVariants(ctx.scope, input),
  }),
}));
