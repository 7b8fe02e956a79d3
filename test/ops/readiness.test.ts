import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Database } from "../../src/infra/db.js";
import { useTestApp } from "../helpers/app.js";
import { workerDatabase } from "../helpers/database.js";

const t = useTestApp();

/** Builds an app on the worker's database through `wrap` (a database that fails in some way after start-up). */
async function appOver(wrap: (real: Database) => Database, env: Record<string, string> = {}) {
  const db = wrap(await workerDatabase());
  return buildApp({ ...loadConfig({ LOG_LEVEL: "silent", ...env }), port: 0 }, { db });
}

async function ready(app: { fetch: (r: Request) => Promise<Response> }) {
  const res = await app.fetch(new Request("http://localhost/api/health/ready"));
  return { status: res.status, body: await res.json() };
}

describe("GET /api/health/ready", () => {
  it("is 200 with every check ok when the database answers and every migration is applied", async () => {
    const res = await t.request("GET", "/api/health/ready", { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: "ready",
      version: expect.any(String),
      checks: { database: "ok", migrations: "ok" },
    });
  });

  it("leaves liveness as it was", async () => {
    const res = await t.request("GET", "/api/health", { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", version: expect.any(String) });
  });

  it("is 503 naming the database when it does not answer", async () => {
    const app = await appOver((real) => ({ ...real, ping: () => Promise.reject(new Error("connection refused")) }));
    try {
      const { status, body } = await ready(app);
      expect(status).toBe(503);
      expect(body).toMatchObject({
        status: "unavailable",
        checks: { database: "unreachable", migrations: "unreachable" },
      });
    } finally {
      await app.stop();
    }
  });

  it("is 503 naming the pending migration when one of this build is not applied", async () => {
    // The database as another deployment left it: its record of the newest migration is missing.
    let hideNewest = false;
    const app = await appOver((real) => ({
      ...real,
      sql: {
        ...real.sql,
        async query<T>(text: string, params?: unknown[]): Promise<T[]> {
          const rows = await real.sql.query<T>(text, params);
          if (!hideNewest || !text.includes("_prisma_migrations")) return rows;
          const names = (rows as { migration_name: string }[]).map((r) => r.migration_name).sort();
          return rows.filter((r) => (r as { migration_name: string }).migration_name !== names.at(-1));
        },
      },
    }));
    try {
      hideNewest = true;
      const { status, body } = await ready(app);
      expect(status).toBe(503);
      expect(body.checks).toEqual({ database: "ok", migrations: "pending" });
      expect(body.pendingMigrations).toHaveLength(1);
      expect(body.pendingMigrations[0]).toMatch(/^\d{14}_\w+$/);
    } finally {
      await app.stop();
    }
  });

  it("is 503 naming Redis when REDIS_URL is configured and Redis does not answer", async () => {
    const app = await appOver((real) => real, { REDIS_URL: "redis://127.0.0.1:1" });
    try {
      const { status, body } = await ready(app);
      expect(status).toBe(503);
      expect(body.checks).toEqual({ database: "ok", migrations: "ok", redis: "unreachable" });
    } finally {
      await app.stop();
    }
  });

  it("is 503 draining once shutdown has begun, so load balancers stop sending traffic", async () => {
    const app = await appOver((real) => real);
    expect((await ready(app)).status).toBe(200);
    await app.stop();
    const { status, body } = await ready(app);
    expect(status).toBe(503);
    expect(body.checks).toEqual({ database: "ok", migrations: "ok", server: "draining" });
  });

  it.skipIf(!process.env.TEST_REDIS_URL)("checks Redis when it is configured and answers", async () => {
    const app = await appOver((real) => real, { REDIS_URL: process.env.TEST_REDIS_URL! });
    try {
      const { status, body } = await ready(app);
      expect(status).toBe(200);
      expect(body.checks).toEqual({ database: "ok", migrations: "ok", redis: "ok" });
    } finally {
      await app.stop();
    }
  });

  it("is documented in the OpenAPI document beside liveness and /metrics", async () => {
    const doc = (await t.request("GET", "/api/doc", { key: null })).body;
    expect(Object.keys(doc.paths["/api/health/ready"].get.responses)).toEqual(["200", "429", "503"]);
    expect(doc.paths["/api/health"].get.operationId).toBe("health");
    expect(doc.paths["/metrics"].get.operationId).toBe("metrics");
  });
});
