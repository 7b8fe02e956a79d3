import { API_KEY_KINDS, apiKeyKind, createApiKey, revokeApiKey } from "../../domain/auth/api-keys.js";
import { builder } from "../builder.js";
import { mutationResult } from "./errors.js";

const ApiKeyKindEnum = builder.enumType("ApiKeyKind", { values: API_KEY_KINDS });

const ApiKey = builder.prismaObject("ApiKey", {
  description: "An API key. The secret itself is only ever returned by createApiKey.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    kind: t.field({
      type: ApiKeyKindEnum,
      description:
        "secret (cg_, holds permissions, stays on servers) or publishable (pk_, acts as a shopper, safe in a page).",
      select: { prefix: true },
      resolve: (key) => apiKeyKind(key),
    }),
    prefix: t.exposeString("prefix", { description: "The first characters of the secret, to recognise it." }),
    permissions: t.exposeStringList("permissions"),
    vendorId: t.exposeID("vendorId", {
      nullable: true,
      description: "A vendor key: acts as this marketplace vendor only.",
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
  }),
});

const CreatedApiKey = builder.objectRef<{ key: { id: string }; secret: string }>("CreatedApiKey").implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKey, resolve: (r) => r.key as never }),
    secret: t.exposeString("secret", { description: "Shown once: store it now." }),
  }),
});

const CreateApiKeyInput = builder.inputType("CreateApiKeyInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: ApiKeyKindEnum, description: "secret (default) or publishable." }),
    prefix: t.string({
      description: "Secret keys: cg_ (default) or aly_ (seed 000's merchant tokens for /api/storefront/v1/merchant).",
    }),
    permissions: t.stringList({
      description: 'Secret keys: at least one, e.g. ["catalog:create", "orders:*"]. Publishable keys: none.',
    }),
    storeId: t.id({ description: "Platform-wide keys only: create the key in this store instead of the caller's." }),
    vendorId: t.id({
      description:
        "A vendor key (marketplace): it acts as this vendor only, on its own catalog, prices and stock, whatever permissions it names.",
    }),
  }),
});

builder.queryField("apiKeys", (t) =>
  t.prismaField({
    type: [ApiKey],
    authScopes: { permission: "apiKeys:manage" },
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.apiKey.findMany({ ...query, where: { storeId: ctx.storeId }, orderBy: { createdAt: "asc" } }),
  }),
);

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    authScopes: { permission: "apiKeys:manage" },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    errors: mutationResult("CreateApiKey", "created"),
    resolve: (_root, { input }, ctx) => createApiKey(ctx.scope, input),
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    authScopes: { permission: "apiKeys:manage" },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => revokeApiKey(ctx.scope, id),
  }),
}));
