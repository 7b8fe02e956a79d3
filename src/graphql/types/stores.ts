import { SETTINGS_COLUMNS, toSettings } from "../../domain/stores/settings-service.js";
import { createStore, storeVisibility, updateStore } from "../../domain/stores/stores.js";
import { isUuid } from "../../domain/validation.js";
import { builder } from "../builder.js";
import { modelConnection, pageComplexity, totalCountField } from "../pagination.js";
import { mutationResult } from "./errors.js";
import { StoreSettingsRef, settingsInputFields } from "./store-settings.js";

const Store = builder.prismaObject("Store", {
  description: "A store: the tenant every key, catalog row, cart and order belongs to (seed 003's project).",
  fields: (t) => ({
    id: t.exposeID("id"),
    slug: t.exposeString("slug", { description: "Its project slug in /api/v1/public/projects/{slug}/ecommerce." }),
    name: t.exposeString("name"),
    defaultLocale: t.exposeString("defaultLocale"),
    settings: t.field({ type: StoreSettingsRef, select: SETTINGS_COLUMNS, resolve: (store) => toSettings(store) }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.queryFields((t) => ({
  stores: t.connection(
    {
      type: Store,
      complexity: pageComplexity,
      description: "Every store for a platform-wide key; a store-bound key sees its own. Oldest first.",
      authScopes: { permission: "stores:manage" },
      resolve: (_root, args, ctx, info) =>
        modelConnection(args, ctx, info, {
          typeName: "Store",
          model: ctx.prisma.store,
          where: storeVisibility(ctx.scope),
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        }),
    },
    { name: "StoreConnection", fields: totalCountField },
  ),
  store: t.prismaField({
    type: "Store",
    nullable: true,
    description: "One store by id or slug, within what stores lists for the caller.",
    authScopes: { permission: "stores:manage" },
    args: { id: t.arg.id(), slug: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      if (args.id ? !isUuid(args.id) : !args.slug) return null;
      return ctx.prisma.store.findFirst({
        ...query,
        where: { AND: [storeVisibility(ctx.scope), args.id ? { id: args.id } : { slug: args.slug! }] },
      });
    },
  }),
}));

const CreateStoreInput = builder.inputType("CreateStoreInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    slug: t.string({ required: true, description: "Lower-case letters, digits and dashes; unique." }),
    defaultLocale: t.string({ description: "BCP 47, e.g. en (default) or de-AT." }),
    ...settingsInputFields(t),
  }),
});

const UpdateStoreInput = builder.inputType("UpdateStoreInput", {
  description: "Only the given fields change; the default store keeps its slug.",
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    slug: t.string(),
    defaultLocale: t.string(),
    ...settingsInputFields(t),
  }),
});

builder.mutationFields((t) => ({
  createStore: t.field({
    type: Store,
    description: "Platform-wide keys only. Create the store's keys next with createApiKey(input: { storeId }).",
    authScopes: { permission: "stores:manage" },
    args: { input: t.arg({ type: CreateStoreInput, required: true }) },
    errors: mutationResult("CreateStore", "store"),
    resolve: (_root, { input }, ctx) => createStore(ctx.scope, input),
  }),
  updateStore: t.field({
    type: Store,
    authScopes: { permission: "stores:manage" },
    args: { input: t.arg({ type: UpdateStoreInput, required: true }) },
    errors: mutationResult("UpdateStore", "store"),
    resolve: (_root, { input: { id, ...changes } }, ctx) => updateStore(ctx.scope, id, changes),
  }),
}));
