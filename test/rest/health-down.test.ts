import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Database } from "../../src/infra/db.js";
import { workerDatabase } from "../helpers/database.js";

describe("GET /api/health when the database is down", () => {
  it("answers 503 with database: unreachable", async () => {
    const real = await workerDatabase();
    // The app's view of a database whose connection has gone away after start-up.
    const failing: Database = { ...real, ping: () => Promise.reject(new Error("connection refused")) };
    const app = await buildApp({ ...loadConfig({ LOG_LEVEL: "silent" }), port: 0 }, { db: failing });
    const res = await app.fetch(new Request("http://localhost/api/health"));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "error", version: expect.any(String), database: "unreachable" });
    await app.stop();
  });
});
