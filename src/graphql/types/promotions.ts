import { can } from "../../domain/auth/actor.js";
import {
  createPromotion,
  deactivatePromotion,
  promotionWhere,
  updatePromotion,
} from "../../domain/promotions/promotions.js";
import { PROMOTION_REJECTIONS, PROMOTION_TYPES, type PromotionType } from "../../domain/promotions/rules.js";
import {
  type PromotionSummary,
  type PromotionValidation,
  validatePromotionCode,
} from "../../domain/promotions/validate.js";
import { builder } from "../builder.js";
import { modelConnection, pageComplexity, totalCountField } from "../pagination.js";
import { mutationResult } from "./errors.js";
import { IdInput, NodeInterface, registerNode } from "./node.js";

export const PromotionTypeEnum = builder.enumType("PromotionType", {
  description:
    "percentage_off_order and percentage_off_item take `value` percent off (item: of the listed entities' lines, " +
    "every line when none are listed); fixed_amount_off_order takes `value` minor units off; free_shipping waives shipping.",
  values: PROMOTION_TYPES,
});

export const PromotionRejectionReasonEnum = builder.enumType("PromotionRejectionReason", {
  description: "Why a promotion code does not apply to a cart.",
  values: PROMOTION_REJECTIONS,
});

export const Promotion = builder.prismaObject("Promotion", {
  description: "A discount behind a code. Merchants only (promotions:read).",
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID("id"),
    code: t.exposeString("code", { description: "Upper-case; codes match case-insensitively." }),
    name: t.exposeString("name"),
    type: t.field({ type: PromotionTypeEnum, resolve: (p) => p.type as PromotionType }),
    value: t.exposeInt("value", {
      description: "Percent (1-100) for percentage types, minor units for fixed amounts, 0 for free shipping.",
    }),
    currency: t.exposeString("currency", {
      nullable: true,
      description: "The only currency it applies in; null = any.",
    }),
    minSubtotal: t.exposeInt("minSubtotal", { nullable: true, description: "Minor units." }),
    entityIds: t.exposeIDList("entityIds", {
      description: "percentage_off_item: the entities it discounts (empty = every item).",
    }),
    validFrom: t.expose("validFrom", { type: "DateTime", nullable: true }),
    validUntil: t.expose("validUntil", { type: "DateTime", nullable: true }),
    usageLimit: t.exposeInt("usageLimit", { nullable: true }),
    perCustomerLimit: t.exposeInt("perCustomerLimit", { nullable: true }),
    usageCount: t.exposeInt("usageCount"),
    active: t.exposeBoolean("active"),
    metadata: t.expose("metadata", { type: "JSONObject" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const PromotionSummaryRef = builder.objectRef<PromotionSummary>("PromotionSummary").implement({
  description: "What a shopper holding the code may know about its promotion.",
  fields: (t) => ({
    id: t.exposeID("id"),
    code: t.exposeString("code"),
    name: t.exposeString("name"),
    type: t.field({ type: PromotionTypeEnum, resolve: (p) => p.type as PromotionType }),
    value: t.exposeInt("value"),
    currency: t.exposeString("currency", { nullable: true }),
  }),
});

export const PromotionValidationRef = builder.objectRef<PromotionValidation>("PromotionValidation").implement({
  description: "Whether a code applies to a cart, and what it would give. Nothing is reserved: checkout decides again.",
  fields: (t) => ({
    valid: t.exposeBoolean("valid"),
    code: t.exposeString("code", { description: "The code, upper-cased." }),
    reason: t.field({ type: PromotionRejectionReasonEnum, nullable: true, resolve: (v) => v.reason }),
    discount: t.exposeInt("discount", { description: "Minor units off these line items; 0 when not valid." }),
    freeShipping: t.exposeBoolean("freeShipping"),
    promotion: t.field({ type: PromotionSummaryRef, nullable: true, resolve: (v) => v.promotion }),
  }),
});

registerNode("Promotion", "promotion", (ctx, id) =>
  can(ctx.actor, "promotions:read")
    ? ctx.prisma.promotion.findFirst({ where: { id, storeId: ctx.storeId } })
    : Promise.resolve(null),
);

// ---- queries -------------------------------------------------------------------------------

const PromotionLineItemInput = builder.inputType("PromotionLineItemInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    entityType: t.string({ description: "Informational (product, digitalDownload, ...)." }),
    quantity: t.int({ required: true }),
    unitPrice: t.int({ required: true, description: "Minor units." }),
    totalPrice: t.int({ description: "quantity × unitPrice, checked when given." }),
  }),
});

const ValidatePromotionInput = builder.inputType("ValidatePromotionInput", {
  fields: (t) => ({
    code: t.string({ required: true, description: "Case-insensitive." }),
    currency: t.string({ required: true }),
    subtotal: t.int({ description: "Minor units; when given, must be the sum of the line items." }),
    lineItems: t.field({ type: [PromotionLineItemInput], required: true }),
    customerId: t.id({ description: "Checks the per-customer limit against this customer's redemptions." }),
    customerGroupIds: t.idList({ description: "Accepted for compatibility; promotions have no group conditions." }),
  }),
});

builder.queryFields((t) => ({
  promotions: t.connection(
    {
      type: Promotion,
      complexity: pageComplexity,
      description: "Newest first. Codes are secrets until published, so listing needs promotions:read.",
      authScopes: { permission: "promotions:read" },
      args: {
        activeOnly: t.arg.boolean({
          defaultValue: false,
          description: "Only promotions whose active flag is set and whose validity window contains now.",
        }),
      },
      resolve: (_root, args, ctx, info) => {
        const where = promotionWhere(ctx.storeId, { activeOnly: args.activeOnly });
        return modelConnection(args, ctx, info, {
          typeName: "Promotion",
          model: ctx.prisma.promotion,
          where,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
      },
    },
    { name: "PromotionConnection", fields: totalCountField },
  ),
  validatePromotion: t.field({
    type: PromotionValidationRef,
    description:
      "Public. Whether a code applies to the described cart (prices as the client gives them) and the discount it " +
      "would give. An unknown code is `valid: false` with reason NOT_FOUND, not an error.",
    args: { input: t.arg({ type: ValidatePromotionInput, required: true }) },
    resolve: (_root, { input }, ctx) => validatePromotionCode(ctx.scope, input),
  }),
}));

// ---- mutations -----------------------------------------------------------------------------

const CreatePromotionInput = builder.inputType("CreatePromotionInput", {
  fields: (t) => ({
    code: t.string({
      required: true,
      description: "Letters, digits, - and _; stored upper-case, unique per store (case-insensitive).",
    }),
    name: t.string({ required: true }),
    type: t.field({ type: PromotionTypeEnum, required: true }),
    value: t.int({
      description:
        "Percent 1-100 for percentage types; minor units > 0 for fixed_amount_off_order; 0 or omitted for free_shipping.",
    }),
    validFrom: t.field({ type: "DateTime", description: "ISO 8601; null/omitted: valid from now on." }),
    validUntil: t.field({ type: "DateTime", description: "ISO 8601, after validFrom; null/omitted: no end." }),
    currency: t.string({
      description: "Required for fixed_amount_off_order; restricts the promotion to carts in this currency.",
    }),
    minSubtotal: t.int({ description: "Minor units the cart's subtotal must reach." }),
    usageLimit: t.int({ description: "Total redemptions allowed; null/omitted: unlimited." }),
    perCustomerLimit: t.int({ description: "Redemptions allowed per customer (by id, else email)." }),
    entityIds: t.idList({
      description: "percentage_off_item only: entities of the store it discounts (empty = every item).",
    }),
    metadata: t.field({ type: "JSONObject" }),
  }),
});

const UpdatePromotionInput = builder.inputType("UpdatePromotionInput", {
  description:
    "Only the given fields change; null clears a bound or a limit. Code, type, currency and entities are fixed.",
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    value: t.int(),
    validFrom: t.field({ type: "DateTime" }),
    validUntil: t.field({ type: "DateTime" }),
    minSubtotal: t.int(),
    usageLimit: t.int(),
    perCustomerLimit: t.int(),
    active: t.boolean(),
    metadata: t.field({ type: "JSONObject", description: "Replaces the whole metadata object." }),
  }),
});

builder.mutationFields((t) => ({
  createPromotion: t.field({
    type: Promotion,
    description: "A duplicate code (case-insensitive) is a ConflictError.",
    authScopes: { permission: "promotions:create" },
    args: { input: t.arg({ type: CreatePromotionInput, required: true }) },
    errors: mutationResult("CreatePromotion", "promotion"),
    resolve: (_root, { input }, ctx) => createPromotion(ctx.scope, input),
  }),
  updatePromotion: t.field({
    type: Promotion,
    authScopes: { permission: "promotions:update" },
    args: { input: t.arg({ type: UpdatePromotionInput, required: true }) },
    errors: mutationResult("UpdatePromotion", "promotion"),
    resolve: (_root, { input }, ctx) => updatePromotion(ctx.scope, input),
  }),
  deactivatePromotion: t.field({
    type: Promotion,
    description: "Sets active to false; idempotent.",
    authScopes: { permission: "promotions:update" },
    args: { input: t.arg({ type: IdInput, required: true }) },
    errors: mutationResult("DeactivatePromotion", "promotion"),
    resolve: (_root, { input }, ctx) => deactivatePromotion(ctx.scope, input.id),
  }),
}));
