import { createApiKey, revokeApiKey } from "../../domain/auth/api-keys.js";
import { builder } from "../builder.js";
import { mutationResult } from "./errors.js";

const ApiKey = builder.prismaObject("ApiKey", {
  description: "A merchant API key. The secret itself is only ever returned by createApiKey.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    prefix: t.exposeString("prefix", { description: "The first characters of the secret, to recognise it." }),
    permissions: t.exposeStringList("permissions"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
  }),
});

const CreatedApiKey = builder
  .objectRef<{ key: { id: string }; secret: string }>("CreatedApiKey")
  .implement({
    fields: (t) => ({
      apiKey: t.field({ type: ApiKey, resolve: (r) => r.key as never }),
      secret: t.exposeString("secret", { description: "Shown once: store it now." }),
    }),
  });

const CreateApiKeyInput = builder.inputType("CreateApiKeyInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    permissions: t.stringList({ required: true, description: "e.g. [\"catalog:create\", \"orders:*\"]." }),
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
