import { NotFoundError, ValidationError } from "../../domain/errors.js";
import { assertQueueName, retryJob, runJobs } from "../../domain/jobs/queue.js";
import { isUuid } from "../../domain/validation.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { MAX_PAGE_SIZE, modelConnection, pageComplexity, totalCountField } from "../pagination.js";
import { mutationResult } from "./errors.js";

const Job = builder.prismaObject("Job", {
  fields: (t) => ({
    id: t.exposeID("id"),
    queue: t.exposeString("queue"),
    name: t.exposeString("name"),
    payload: t.expose("payload", { type: "JSONObject" }),
    status: t.exposeString("status", { description: "pending | running | completed | failed" }),
    attempts: t.exposeInt("attempts"),
    maxAttempts: t.exposeInt("maxAttempts"),
    runAt: t.expose("runAt", { type: "DateTime" }),
    lastError: t.exposeString("lastError", { nullable: true }),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const JobRunSummary = builder
  .objectRef<{ claimed: number; completed: number; retried: number; failed: number }>("JobRunSummary")
  .implement({
    fields: (t) => ({
      claimed: t.exposeInt("claimed"),
      completed: t.exposeInt("completed"),
      retried: t.exposeInt("retried", { description: "Failed this time; scheduled again with backoff." }),
      failed: t.exposeInt("failed", { description: "Used up their attempts; see failedJobs." }),
    }),
  });

/** A store's key sees its store's jobs; a platform-wide key (the bootstrap key) sees them all. */
function jobStoreFilter(ctx: GraphQLContext) {
  return ctx.actor.kind === "apiKey" && ctx.actor.storeId === null ? {} : { storeId: ctx.storeId };
}

builder.queryField("failedJobs", (t) =>
  t.connection(
    {
      type: Job,
      complexity: pageComplexity,
      description: "Jobs that used up their attempts, most recently failed first.",
      authScopes: { permission: "jobs:admin" },
      resolve: (_root, args, ctx, info) =>
        modelConnection(args, ctx, info, {
          typeName: "Job",
          model: ctx.prisma.job,
          where: { status: "failed", ...jobStoreFilter(ctx) },
          orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
        }),
    },
    { name: "JobConnection", fields: totalCountField },
  ),
);

builder.mutationFields((t) => ({
  retryJob: t.field({
    type: Job,
    description: "Puts a failed job back in its queue, due now, with a fresh allowance of attempts.",
    authScopes: { permission: "jobs:admin" },
    args: { id: t.arg.id({ required: true }) },
    errors: mutationResult("RetryJob", "job"),
    resolve: async (_root, { id }, ctx) => {
      const visible = isUuid(id) && (await ctx.prisma.job.count({ where: { id, ...jobStoreFilter(ctx) } })) > 0;
      if (!visible) throw new NotFoundError("Job", id);
      return retryJob(ctx.prisma, id);
    },
  }),
  runJobs: t.field({
    type: JobRunSummary,
    description: "Runs due jobs of a queue now (a cron target for deployments without a worker loop).",
    authScopes: { permission: "*:*" },
    args: { queue: t.arg.string({ defaultValue: "default" }), limit: t.arg.int({ defaultValue: 10 }) },
    errors: mutationResult("RunJobs", "summary"),
    resolve: (_root, args, ctx) => {
      const limit = args.limit ?? 10;
      if (limit < 1 || limit > MAX_PAGE_SIZE)
        throw ValidationError.field("limit", "out_of_range", `limit must be 1 to ${MAX_PAGE_SIZE}.`);
      return runJobs(
        { prisma: ctx.prisma, events: ctx.scope.events, jobs: ctx.jobs },
        assertQueueName(args.queue ?? "default"),
        limit,
      );
    },
  }),
}));
