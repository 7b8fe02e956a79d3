import { ValidationError } from "../../domain/errors.js";
import { builder } from "../builder.js";
import { modelConnection, pageComplexity, totalCountField } from "../pagination.js";

const AuditEntry = builder.prismaObject("AuditEntry", {
  fields: (t) => ({
    id: t.exposeID("id"),
    actorType: t.exposeString("actorType", { description: "apiKey, anonymous or system." }),
    actorId: t.exposeString("actorId", { nullable: true }),
    event: t.exposeString("event"),
    entityType: t.exposeString("entityType"),
    entityId: t.exposeString("entityId"),
    before: t.expose("before", { type: "JSONObject", nullable: true }),
    after: t.expose("after", { type: "JSONObject", nullable: true }),
    requestId: t.exposeString("requestId", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const AuditFilter = builder.inputType("AuditFilter", {
  fields: (t) => ({
    entityType: t.string(),
    entityId: t.string(),
    event: t.string(),
    actorId: t.string(),
    from: t.field({ type: "DateTime" }),
    to: t.field({ type: "DateTime" }),
  }),
});

builder.queryField("auditEntries", (t) =>
  t.connection(
    {
      type: AuditEntry,
      complexity: pageComplexity,
      description: "The store's audit trail, newest first.",
      authScopes: { permission: "audit:read" },
      args: { filter: t.arg({ type: AuditFilter }) },
      resolve: (_root, args, ctx, info) => {
        const f = args.filter ?? {};
        if (f.from && f.to && f.to < f.from)
          throw ValidationError.field("to", "before_from", "to must not be before from.");
        const where = {
          storeId: ctx.storeId,
          ...(f.entityType ? { entityType: f.entityType } : {}),
          ...(f.entityId ? { entityId: f.entityId } : {}),
          ...(f.event ? { event: f.event } : {}),
          ...(f.actorId ? { actorId: f.actorId } : {}),
          ...(f.from || f.to
            ? { createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } }
            : {}),
        };
        return modelConnection(args, ctx, info, {
          typeName: "AuditEntry",
          model: ctx.prisma.auditEntry,
          where,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
      },
    },
    { name: "AuditEntryConnection", fields: totalCountField },
  ),
);
