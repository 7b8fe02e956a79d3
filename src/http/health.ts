import type { Hono } from "hono";
import type { Redis } from "ioredis";
import type { Database } from "../infra/db.js";
import { pendingMigrations } from "../infra/migrations.js";

export interface HealthDependencies {
  db: Database;
  /** The shared Redis connection, when REDIS_URL is configured. */
  redis?: Redis;
  version: string;
  /** True once shutdown has begun: readiness answers 503 so a load balancer stops sending traffic. */
  draining: () => boolean;
  /** Where readiness looks for migrations (default: the project's prisma/migrations). */
  migrationsDir?: string;
}

type CheckResult = "ok" | "unreachable" | "pending" | "draining";

/** A check that does not answer within this long counts as failed: a hung dependency is not ready. */
const CHECK_TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Ping, once the connection is up (it is still connecting right after start, or reconnecting after an outage). */
async function pingRedis(redis: Redis): Promise<void> {
  if (redis.status !== "ready") {
    await new Promise<void>((resolve, reject) => {
      const ready = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off("ready", ready);
        reject(new Error("Redis is not connected"));
      }, CHECK_TIMEOUT_MS);
      redis.once("ready", ready);
    });
  }
  await redis.ping();
}

/**
 * Liveness (`/api/health`: the process answers and reaches its database) and readiness
 * (`/api/health/ready`: the database answers, every migration of this build is applied, Redis answers
 * when configured, and the server is not shutting down). An orchestrator restarts on the first and
 * routes traffic on the second.
 */
export function mountHealth(app: Hono<any>, deps: HealthDependencies) {
  const { db, redis, version } = deps;

  app.get("/api/health", async (c) => {
    try {
      await db.ping();
      return c.json({ status: "ok", version });
    } catch {
      return c.json({ status: "error", version, database: "unreachable" }, 503);
    }
  });

  app.get("/api/health/ready", async (c) => {
    const checks: Record<string, CheckResult> = {};
    let pending: string[] = [];
    const database = within(db.ping(), CHECK_TIMEOUT_MS).then(
      () => true,
      () => false,
    );
    const work: Promise<void>[] = [
      database.then((up) => void (checks.database = up ? "ok" : "unreachable")),
      // Migrations can only be read from a database that answers.
      database.then(async (up) => {
        if (!up) return void (checks.migrations = "unreachable");
        try {
          pending = await within(pendingMigrations(db.sql, deps.migrationsDir), CHECK_TIMEOUT_MS);
          checks.migrations = pending.length ? "pending" : "ok";
        } catch {
          checks.migrations = "unreachable";
        }
      }),
    ];
    if (redis) {
      work.push(
        within(pingRedis(redis), CHECK_TIMEOUT_MS).then(
          () => void (checks.redis = "ok"),
          () => void (checks.redis = "unreachable"),
        ),
      );
    }
    await Promise.all(work);
    if (deps.draining()) checks.server = "draining";
    const ready = Object.values(checks).every((result) => result === "ok");
    const body = {
      status: ready ? "ready" : "unavailable",
      version,
      checks,
      ...(pending.length ? { pendingMigrations: pending } : {}),
    };
    return c.json(body, ready ? 200 : 503, { "Cache-Control": "no-store" });
  });
}

/** The error envelope, defined once in the generated document's components. */
const ERROR_SCHEMA = { $ref: "#/components/schemas/Error" };

const CHECKS_SCHEMA = {
  type: "object",
  properties: {
    database: { type: "string", enum: ["ok", "unreachable"] },
    migrations: { type: "string", enum: ["ok", "pending", "unreachable"] },
    redis: { type: "string", enum: ["ok", "unreachable"], description: "Only when REDIS_URL is configured" },
    server: { type: "string", enum: ["draining"], description: "Only while the server shuts down" },
  },
  required: ["database", "migrations"],
};

const READINESS_SCHEMA = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["ready", "unavailable"] },
    version: { type: "string" },
    checks: CHECKS_SCHEMA,
    pendingMigrations: {
      type: "array",
      items: { type: "string" },
      description: "Migrations of this build not applied to the database",
    },
  },
  required: ["status", "version", "checks"],
};

/** The system paths of the OpenAPI document (health, readiness, metrics and the documents themselves). */
export const HEALTH_PATHS = {
  "/api/health": {
    get: {
      operationId: "health",
      summary: "Liveness: the server answers and reaches its database",
      tags: ["System"],
      security: [],
      responses: {
        "200": {
          description: "Healthy",
          content: { "application/json": { example: { status: "ok", version: "0.1.0" } } },
        },
        "503": {
          description: "Database unreachable",
          content: { "application/json": { example: { status: "error", version: "0.1.0", database: "unreachable" } } },
        },
      },
    },
  },
  "/api/health/ready": {
    get: {
      operationId: "readiness",
      summary: "Readiness: database reachable, migrations applied, Redis reachable when configured, not shutting down",
      tags: ["System"],
      security: [],
      responses: {
        "200": {
          description: "Ready for traffic",
          content: {
            "application/json": {
              schema: READINESS_SCHEMA,
              example: { status: "ready", version: "0.1.0", checks: { database: "ok", migrations: "ok" } },
            },
          },
        },
        "503": {
          description: "Not ready: `checks` names what failed",
          content: {
            "application/json": {
              schema: READINESS_SCHEMA,
              example: {
                status: "unavailable",
                version: "0.1.0",
                checks: { database: "ok", migrations: "pending" },
                pendingMigrations: ["20260101000000_example"],
              },
            },
          },
        },
      },
    },
  },
  "/metrics": {
    get: {
      operationId: "metrics",
      summary: "Prometheus metrics (text exposition format); needs metrics:read unless METRICS_PUBLIC=true",
      tags: ["System"],
      security: [{ ApiKey: [] }, { Bearer: [] }],
      responses: {
        "200": { description: "Metrics", content: { "text/plain": { schema: { type: "string" } } } },
        "401": {
          description: "No credential (and METRICS_PUBLIC is not true)",
          content: { "application/json": { schema: ERROR_SCHEMA } },
        },
        "403": {
          description: "The caller lacks metrics:read",
          content: { "application/json": { schema: ERROR_SCHEMA } },
        },
      },
    },
  },
  "/api/doc": {
    get: {
      operationId: "openapi",
      summary: "OpenAPI 3.0 JSON spec",
      tags: ["System"],
      responses: { "200": { description: "This document" } },
    },
  },
  "/api/reference": {
    get: {
      operationId: "reference",
      summary: "Swagger UI (interactive explorer)",
      tags: ["System"],
      responses: { "200": { description: "HTML" } },
    },
  },
};
