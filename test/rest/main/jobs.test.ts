import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../../src/app.js";
import { loadConfig } from "../../../src/config.js";
import { backoffMs, enqueueJob } from "../../../src/domain/jobs/queue.js";
import { ADMIN_KEY, useTestApp } from "../../helpers/app.js";
import { availableOf, productWithStock } from "../../helpers/commerce.js";

/** How far the job queue's clock is ahead of the system's: tests move it to reach a due job. */
let clockAhead = 0;
const t = useTestApp({}, { clock: () => new Date(Date.now() + clockAhead) });
const run = (query = "") => t.request("GET", `/api/jobs/run${query}`);
afterEach(() => {
  clockAhead = 0;
});

describe("background jobs", () => {
  it("release an expiring reservation when it is due, not before", async () => {
    const product = await productWithStock(t, { stock: 5 });
    const reserved = await t.request("POST", "/api/inventory/reserve", {
      body: { entityId: product.id, quantity: 2, expiresInSeconds: 600 },
    });
    expect(reserved.status).toBe(201);
    expect(await availableOf(t, product.id)).toBe(3);
    const job = await t.app.db.prisma.job.findFirstOrThrow({ where: { name: "inventory.releaseExpiredReservation" } });
    expect(job.payload).toEqual({ reservationId: reserved.body.data.id });
    expect(job.runAt.getTime()).toBeGreaterThan(Date.now() + 590_000);

    expect((await run()).body.data).toMatchObject({ claimed: 0 });
    expect(await availableOf(t, product.id)).toBe(3);

    // Ten minutes later on the queue's clock: the job is due and the reservation has expired.
    clockAhead = 601_000;
    expect((await run()).body.data).toMatchObject({ claimed: 1, completed: 1 });
    expect(await availableOf(t, product.id)).toBe(5);
    expect(
      (await t.app.db.prisma.inventoryReservation.findUniqueOrThrow({ where: { id: reserved.body.data.id } })).status,
    ).toBe("released");
  });

  it("retry with backoff, then fail for good, and can be retried by hand", async () => {
    const job = await enqueueJob(t.app.db.prisma, { name: "no.such.handler", maxAttempts: 2 });
    const first = await run();
    expect(first.body.data).toMatchObject({ claimed: 1, retried: 1 });
    let row = await t.app.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: 'No handler for job "no.such.handler".' });
    expect(row.runAt.getTime()).toBeGreaterThan(Date.now());

    // The backoff's end (at most 1 s after a first failure) on the queue's clock.
    clockAhead = 2_000;
    expect((await run()).body.data).toMatchObject({ claimed: 1, failed: 1 });
    const failed = await t.request("GET", "/api/admin/jobs/failed?limit=10");
    expect(failed.status).toBe(200);
    expect(failed.body.data).toEqual([expect.objectContaining({ id: job.id, status: "failed", attempts: 2 })]);
    expect(failed.body.meta.pagination.total).toBe(1);

    // fixed (here: pointed at a real handler, standing for a deployed fix: no API renames a job), then retried by hand
    await t.app.db.prisma.job.update({
      where: { id: job.id },
      data: { name: "inventory.releaseExpiredReservation", payload: { reservationId: "none" } },
    });
    const retried = await t.request("POST", `/api/admin/jobs/${job.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({ id: job.id, status: "pending", attempts: 0 });
    expect((await t.request("POST", `/api/admin/jobs/${job.id}/retry`)).status).toBe(409);
    expect((await run()).body.data).toMatchObject({ completed: 1 });
    row = await t.app.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row.status).toBe("completed");
    expect((await t.request("POST", "/api/admin/jobs/00000000-0000-4000-8000-000000000000/retry")).status).toBe(404);
  });

  it("never hands one job to two concurrent runners", async () => {
    const jobs = await Promise.all(
      Array.from({ length: 20 }, () =>
        enqueueJob(t.app.db.prisma, {
          name: "inventory.releaseExpiredReservation",
          payload: { reservationId: "none" },
        }),
      ),
    );
    const [a, b] = await Promise.all([run("?limit=20"), run("?limit=20")]);
    expect(a.body.data.claimed + b.body.data.claimed).toBe(20);
    const rows = await t.app.db.prisma.job.findMany({ where: { id: { in: jobs.map((j) => j.id) } } });
    expect(rows.every((r) => r.status === "completed" && r.attempts === 1)).toBe(true);
  });

  it("are administered with jobs:admin, and run on demand only with *:*", async () => {
    expect((await t.request("GET", "/api/admin/jobs/failed", { key: null })).status).toBe(401);
    const catalog = await t.createKey(["catalog:*"]);
    expect((await t.request("GET", "/api/admin/jobs/failed", { key: catalog })).status).toBe(403);
    const admin = await t.createKey(["jobs:admin"]);
    expect((await t.request("GET", "/api/admin/jobs/failed", { key: admin })).status).toBe(200);
    expect((await t.request("GET", "/api/jobs/run", { key: admin })).status).toBe(403);
    expect((await run("?limit=0")).status).toBe(422);
    expect((await run("?queue=Bad Queue")).status).toBe(422);
  });

  it("are run by the server's own worker once it is started", async () => {
    const product = await productWithStock(t, { stock: 3 });
    const worked = await buildApp(
      { ...loadConfig({ ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: "silent", JOBS_POLL_MS: "100" }), port: 0 },
      { db: t.app.db },
    );
    await worked.start();
    try {
      const reserved = await t.request("POST", "/api/inventory/reserve", {
        body: { entityId: product.id, quantity: 3, expiresInSeconds: 1 },
      });
      expect(reserved.status).toBe(201);
      expect(await availableOf(t, product.id)).toBe(0);
      const deadline = Date.now() + 5_000;
      while ((await availableOf(t, product.id)) !== 3 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(await availableOf(t, product.id)).toBe(3);
    } finally {
      await worked.stop();
    }
  });

  it("back off exponentially with jitter, capped", () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
