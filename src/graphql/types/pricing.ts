import { vendorOf } from "../../domain/auth/actor.js";
import {
  createCustomerGroup,
  createPrice,
  createPriceModifier,
  MODIFIER_TYPES,
  priceWhere,
  updatePrice,
} from "../../domain/pricing/prices.js";
import { resolvePrices } from "../../domain/pricing/resolve.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { loaderFor } from "../loaders.js";
import { modelConnection, pageComplexity, totalCountField } from "../pagination.js";
import { Price } from "./catalog.js";
import { mutationResult } from "./errors.js";
import { preferredCurrencies } from "./localization.js";

export const Money = builder.objectRef<{ amount: number; currency: string }>("Money").implement({
  description: "An amount in minor units (cents) of a currency.",
  fields: (t) => ({ amount: t.exposeInt("amount"), currency: t.exposeString("currency") }),
});

/** Subtotal, discount, tax, shipping and total of a cart or an order, in minor units of its currency. */
export const Totals = builder
  .objectRef<{ subtotal: number; discount: number; tax: number; shipping: number; total: number }>("Totals")
  .implement({
    description: "Computed by the server from pricing, promotions and the store's tax and shipping (minor units).",
    fields: (t) => ({
      subtotal: t.exposeInt("subtotal"),
      discount: t.exposeInt("discount"),
      tax: t.exposeInt("tax"),
      shipping: t.exposeInt("shipping"),
      total: t.exposeInt("total"),
    }),
  });

const PriceModifier = builder.prismaObject("PriceModifier", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    type: t.exposeString("type", { description: MODIFIER_TYPES.join(" | ") }),
    value: t.exposeInt("value", { description: "Percent for percentage_off, minor units otherwise." }),
    entityId: t.exposeID("entityId", { nullable: true }),
    variantId: t.exposeID("variantId", { nullable: true }),
    customerGroupId: t.exposeID("customerGroupId", { nullable: true }),
    currency: t.exposeString("currency", { nullable: true }),
    minQuantity: t.exposeInt("minQuantity"),
    priority: t.exposeInt("priority"),
    validFrom: t.expose("validFrom", { type: "DateTime", nullable: true }),
    validUntil: t.expose("validUntil", { type: "DateTime", nullable: true }),
    active: t.exposeBoolean("active"),
  }),
});

export const CustomerGroup = builder.prismaObject("CustomerGroup", {
  fields: (t) => ({ id: t.exposeID("id"), name: t.exposeString("name"), slug: t.exposeString("slug") }),
});

builder.prismaObjectFields("Price", (t) => ({
  validFrom: t.expose("validFrom", { type: "DateTime", nullable: true }),
  validUntil: t.expose("validUntil", { type: "DateTime", nullable: true }),
  createdAt: t.expose("createdAt", { type: "DateTime" }),
  updatedAt: t.expose("updatedAt", { type: "DateTime" }),
}));

// ---- resolved prices for storefronts, batched per request ----------------------------------

interface PriceKey {
  entityId: string;
  variantId: string | null;
  currency: string;
  groups: string;
}

function resolvedPrice(ctx: GraphQLContext, key: PriceKey) {
  return loaderFor<PriceKey, { amount: number; currency: string } | null>(
    ctx,
    "resolvedPrice",
    async (keys) => {
      // One resolvePrices call per (currency, groups) in the batch: 2 statements each.
      const byContext = new Map<string, PriceKey[]>();
      for (const k of keys)
        byContext.set(`${k.currency}|${k.groups}`, [...(byContext.get(`${k.currency}|${k.groups}`) ?? []), k]);
      const answers = new Map<PriceKey, { amount: number; currency: string } | null>();
      await Promise.all(
        [...byContext.values()].map(async (group) => {
          const first = group[0]!;
          const resolved = await resolvePrices(
            ctx.prisma,
            ctx.storeId,
            group.map((k) => ({ entityId: k.entityId, variantId: k.variantId, quantity: 1 })),
            {
              currency: first.currency,
              customerGroupIds: first.groups ? first.groups.split(",") : [],
              now: new Date(),
            },
          );
          group.forEach((k, i) => {
            answers.set(k, resolved[i] ? { amount: resolved[i]!.amount, currency: k.currency } : null);
          });
        }),
      );
      return keys.map((k) => answers.get(k) ?? null);
    },
    (k) => `${k.entityId}|${k.variantId ?? ""}|${k.currency}|${k.groups}`,
  ).load(key);
}

/**
 * A price in the caller's currency: the one asked for, else the request's preferred currency (X-Currency,
 * or its region's: localization.ts), falling back per item to the store's default currency where the
 * preferred one has no price. Each currency tried is one batched resolution for the whole request.
 */
async function priceInPreferredCurrency(
  ctx: GraphQLContext,
  key: Omit<PriceKey, "currency">,
  requested: string | null | undefined,
) {
  for (const currency of await preferredCurrencies(ctx, requested)) {
    const price = await resolvedPrice(ctx, { ...key, currency });
    if (price) return price;
  }
  return null;
}

/**
 * The customer groups a price is for: the ones asked for, else the signed-in customer's own groups
 * (loaded once per request), so a member sees the prices their cart will get.
 */
async function pricingGroups(ctx: GraphQLContext, requested: readonly string[] | null | undefined): Promise<string> {
  if (requested) return [...requested].sort().join(",");
  if (ctx.actor.kind !== "customer") return "";
  const customerId = ctx.actor.id;
  const groups = await loaderFor<string, string[]>(ctx, "customerGroupIds", async (ids) => {
    const rows = await ctx.prisma.customerGroupMember.findMany({ where: { customerId: { in: [...ids] } } });
    return ids.map((id) => rows.filter((r) => r.customerId === id).map((r) => r.groupId));
  }).load(customerId);
  return [...groups].sort().join(",");
}

builder.prismaObjectFields("Variant", (t) => ({
  price: t.field({
    type: Money,
    nullable: true,
    description:
      "What one unit costs in a currency (for these customer groups): pricing's most specific price and modifiers.",
    args: {
      currency: t.arg.string({
        description:
          "Default: X-Currency, else the currency of the request's region (X-Region, Accept-Language, the customer's country) where a price exists, else the store's default currency.",
      }),
      customerGroupIds: t.arg.idList(),
    },
    resolve: async (variant, args, ctx) =>
      priceInPreferredCurrency(
        ctx,
        { entityId: variant.entityId, variantId: variant.id, groups: await pricingGroups(ctx, args.customerGroupIds) },
        args.currency,
      ),
  }),
}));

builder.prismaInterfaceFields("CatalogEntity", (t) => ({
  price: t.field({
    type: Money,
    nullable: true,
    description: "The entity-level price (no variant) in a currency.",
    args: {
      currency: t.arg.string({
        description:
          "Default: X-Currency, else the currency of the request's region (X-Region, Accept-Language, the customer's country) where a price exists, else the store's default currency.",
      }),
      customerGroupIds: t.arg.idList(),
    },
    resolve: async (entity, args, ctx) =>
      priceInPreferredCurrency(
        ctx,
        { entityId: entity.id, variantId: null, groups: await pricingGroups(ctx, args.customerGroupIds) },
        args.currency,
      ),
  }),
}));

// ---- merchant reads and writes -------------------------------------------------------------

const PriceFilter = builder.inputType("PriceFilter", {
  fields: (t) => ({ entityId: t.id(), variantId: t.id(), currency: t.string(), customerGroupId: t.id() }),
});

builder.queryFields((t) => ({
  prices: t.connection(
    {
      type: Price,
      complexity: pageComplexity,
      authScopes: { permission: "pricing:update" },
      args: { filter: t.arg({ type: PriceFilter }) },
      resolve: (_root, args, ctx, info) => {
        const where = priceWhere(ctx.storeId, args.filter ?? {}, vendorOf(ctx.actor));
        return modelConnection(args, ctx, info, {
          typeName: "Price",
          model: ctx.prisma.price,
          where,
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        });
      },
    },
    { name: "PriceConnection", fields: totalCountField },
  ),
  customerGroups: t.connection(
    {
      type: CustomerGroup,
      complexity: pageComplexity,
      description: "By name.",
      authScopes: { permission: "customers:read" },
      resolve: (_root, args, ctx, info) =>
        modelConnection(args, ctx, info, {
          typeName: "CustomerGroup",
          model: ctx.prisma.customerGroup,
          where: { storeId: ctx.storeId },
          orderBy: [{ name: "asc" }, { id: "asc" }],
        }),
    },
    { name: "CustomerGroupConnection", fields: totalCountField },
  ),
}));

const CreatePriceInput = builder.inputType("CreatePriceInput", {
  fields: (t) => ({
    entityId: t.id({ required: true }),
    variantId: t.id(),
    currency: t.string({ required: true }),
    amount: t.int({ required: true, description: "Minor units." }),
    customerGroupId: t.id(),
    minQuantity: t.int(),
    validFrom: t.field({ type: "DateTime" }),
    validUntil: t.field({ type: "DateTime" }),
  }),
});

const UpdatePriceInput = builder.inputType("UpdatePriceInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    amount: t.int(),
    minQuantity: t.int(),
    validFrom: t.field({ type: "DateTime" }),
    validUntil: t.field({ type: "DateTime" }),
  }),
});

const CreatePriceModifierInput = builder.inputType("CreatePriceModifierInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    type: t.string({ required: true, description: MODIFIER_TYPES.join(" | ") }),
    value: t.int({ required: true }),
    entityId: t.id(),
    variantId: t.id(),
    customerGroupId: t.id(),
    currency: t.string(),
    minQuantity: t.int(),
    priority: t.int(),
    validFrom: t.field({ type: "DateTime" }),
    validUntil: t.field({ type: "DateTime" }),
  }),
});

const CreateCustomerGroupInput = builder.inputType("CreateCustomerGroupInput", {
  fields: (t) => ({ name: t.string({ required: true }), slug: t.string() }),
});

builder.mutationFields((t) => ({
  createPrice: t.field({
    type: Price,
    authScopes: { permission: "pricing:create" },
    args: { input: t.arg({ type: CreatePriceInput, required: true }) },
    errors: mutationResult("CreatePrice", "price"),
    resolve: (_root, { input }, ctx) => createPrice(ctx.scope, input),
  }),
  updatePrice: t.field({
    type: Price,
    authScopes: { permission: "pricing:update" },
    args: { input: t.arg({ type: UpdatePriceInput, required: true }) },
    errors: mutationResult("UpdatePrice", "price"),
    resolve: (_root, { input }, ctx) => updatePrice(ctx.scope, input),
  }),
  createPriceModifier: t.field({
    type: PriceModifier,
    authScopes: { permission: "pricing:create" },
    args: { input: t.arg({ type: CreatePriceModifierInput, required: true }) },
    errors: mutationResult("CreatePriceModifier", "modifier"),
    resolve: (_root, { input }, ctx) => createPriceModifier(ctx.scope, input),
  }),
  createCustomerGroup: t.field({
    type: CustomerGroup,
    authScopes: { permission: "customers:update" },
    args: { input: t.arg({ type: CreateCustomerGroupInput, required: true }) },
    errors: mutationResult("CreateCustomerGroup", "customerGroup"),
    resolve: (_root, { input }, ctx) => createCustomerGroup(ctx.scope, input),
  }),
}));
