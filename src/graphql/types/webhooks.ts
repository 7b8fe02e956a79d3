import { WEBHOOK_EVENTS } from "../../domain/webhooks/catalog.js";
import { deleteWebhook, registerWebhook } from "../../domain/webhooks/endpoints.js";
import { builder } from "../builder.js";
import { DeletedRef } from "./catalog.js";
import { mutationResult } from "./errors.js";

// Event names contain dots, which GraphQL enum values cannot: they are strings checked by the domain.
const EVENTS_DESCRIPTION = `Any of: ${WEBHOOK_EVENTS.join(", ")}.`;

const WebhookEndpoint = builder.prismaObject("WebhookEndpoint", {
  description:
    "Deliveries are POSTs of `{ id, type, createdAt, data }` signed per Standard Webhooks (webhook-id, " +
    "webhook-timestamp, webhook-signature) and with X-Webhook-Signature: sha256=<hex> and X-Webhook-Event.",
  fields: (t) => ({
    id: t.exposeID("id"),
    url: t.exposeString("url"),
    events: t.exposeStringList("events"),
    description: t.exposeString("description", { nullable: true }),
    active: t.exposeBoolean("active"),
    disabledReason: t.exposeString("disabledReason", {
      nullable: true,
      description: "Why delivery stopped (410 Gone).",
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const RegisteredWebhook = builder.objectRef<{ id: string; secret: string }>("RegisteredWebhook").implement({
  fields: (t) => ({
    endpoint: t.prismaField({
      type: WebhookEndpoint,
      resolve: (query, registered, _args, ctx) =>
        ctx.prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: registered.id } }),
    }),
    secret: t.exposeString("secret", { description: "whsec_...: shown once; verify deliveries with it." }),
  }),
});

const RegisterWebhookInput = builder.inputType("RegisterWebhookInput", {
  fields: (t) => ({
    url: t.string({ required: true }),
    events: t.stringList({ required: true, description: EVENTS_DESCRIPTION }),
    description: t.string(),
  }),
});

builder.queryField("webhookEndpoints", (t) =>
  t.prismaField({
    type: [WebhookEndpoint],
    authScopes: { permission: "webhooks:manage" },
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.webhookEndpoint.findMany({ ...query, where: { storeId: ctx.storeId }, orderBy: { createdAt: "asc" } }),
  }),
);

builder.mutationFields((t) => ({
  registerWebhook: t.field({
    type: RegisteredWebhook,
    description:
      "URLs resolving to private, loopback or link-local addresses are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS.",
    authScopes: { permission: "webhooks:manage" },
    args: { input: t.arg({ type: RegisterWebhookInput, required: true }) },
    errors: mutationResult("RegisterWebhook", "registered"),
    resolve: (_root, { input }, ctx) =>
      registerWebhook(ctx.scope, input, { allowPrivateTargets: ctx.webhookAllowPrivateTargets }),
  }),
  deleteWebhook: t.field({
    type: DeletedRef,
    authScopes: { permission: "webhooks:manage" },
    args: { id: t.arg.id({ required: true }) },
    errors: mutationResult("DeleteWebhook", "deleted"),
    resolve: (_root, { id }, ctx) => deleteWebhook(ctx.scope, id),
  }),
}));
