import { createClient } from "graphql-ws";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { ADMIN_KEY, type TestApp, useTestApp } from "../helpers/app.js";
import { signUp } from "../helpers/customers.js";
import { workerDatabase } from "../helpers/database.js";

// Webhooks to a closed local port: deliveries fail, so their outcome shows in the metrics.
const t = useTestApp({ webhookAllowPrivateTargets: true });

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// Values as Go's ParseFloat reads them, as Prometheus does (prom-client writes NaN as "Nan").
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|[Nn]a[Nn]|[+-]Inf)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const COMMENT = /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]*( .*)?$/;

/** Parses Prometheus's text exposition format, failing on any line that is not a comment or a sample. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || COMMENT.test(line)) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not exposition format: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(LABEL)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(harness: TestApp = t, key: string | null = ADMIN_KEY) {
  const res = await harness.app.fetch(
    new Request("http://localhost/metrics", { headers: key ? { "x-api-key": key } : {} }),
  );
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { text, samples: parse(text) };
}

/** The sum of the samples of `name` whose labels include `labels`. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("condition never held");
}

describe("GET /metrics", () => {
  it("needs metrics:read (or *:*): 401 without a key, 403 without the permission", async () => {
    expect((await t.request("GET", "/metrics", { key: null })).status).toBe(401);
    expect((await t.request("GET", "/metrics", { key: await t.createKey(["catalog:read"]) })).status).toBe(403);
    expect((await t.request("GET", "/metrics", { key: await t.createKey(["metrics:read"]) })).status).toBe(200);
    expect((await t.request("GET", "/metrics")).status).toBe(200); // the bootstrap key holds *:*
  });

  it("answers in Prometheus's text format, with the process's own metrics", async () => {
    const { samples } = await scrape();
    expect(samples.length).toBeGreaterThan(10);
    expect(value(samples, "cartograph_process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("counts REST requests by route pattern and status, never by raw path", async () => {
    const created = await t.request("POST", "/api/catalog/entities", {
      body: { type: "product", slug: "metered", status: "active" },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    const labels = { method: "GET", route: "/api/catalog/entities/:idOrSlug", status: "200" };
    const before = (await scrape()).samples;
    expect((await t.request("GET", `/api/catalog/entities/${id}`)).status).toBe(200);
    expect((await t.request("GET", "/api/catalog/entities/metered", { key: null })).status).toBe(200);
    expect((await t.request("GET", "/api/catalog/entities/no-such-thing", { key: null })).status).toBe(404);
    const { text, samples } = await scrape();
    expect(
      value(samples, "cartograph_http_requests_total", labels) -
        value(before, "cartograph_http_requests_total", labels),
    ).toBe(2);
    expect(
      value(samples, "cartograph_http_requests_total", { ...labels, status: "404" }) -
        value(before, "cartograph_http_requests_total", { ...labels, status: "404" }),
    ).toBe(1);
    const histogram = { ...labels, le: "+Inf" };
    expect(
      value(samples, "cartograph_http_request_duration_seconds_bucket", histogram) -
        value(before, "cartograph_http_request_duration_seconds_bucket", histogram),
    ).toBe(2);
    expect(value(samples, "cartograph_http_request_duration_seconds_count", labels)).toBe(
      value(samples, "cartograph_http_requests_total", labels),
    );
    expect(text).not.toContain(id);
    expect(text).not.toContain("no-such-thing");
  });

  it("labels /graphql requests with their operation name", async () => {
    const labels = { route: "/graphql", operation: "MetricsProbe", status: "200" };
    const before = value((await scrape()).samples, "cartograph_http_requests_total", labels);
    expect((await t.graphql(`query MetricsProbe { __typename }`)).status).toBe(200);
    const res = await t.request("POST", "/graphql", {
      body: { query: `query Other { __typename } query MetricsProbe { __typename }`, operationName: "MetricsProbe" },
    });
    expect(res.status).toBe(200);
    expect(value((await scrape()).samples, "cartograph_http_requests_total", labels) - before).toBe(2);
  });

  it("counts Prisma's statements", async () => {
    const before = value((await scrape()).samples, "cartograph_db_statements_total");
    await t.request("GET", "/api/catalog/entities");
    expect(value((await scrape()).samples, "cartograph_db_statements_total")).toBeGreaterThan(before);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)("shows the PostgreSQL pool", async () => {
    await t.request("GET", "/api/catalog/entities");
    const { samples } = await scrape();
    expect(value(samples, "cartograph_db_pool_connections", { state: "total" })).toBeGreaterThanOrEqual(1);
    expect(
      samples
        .filter((s) => s.name === "cartograph_db_pool_connections")
        .map((s) => s.labels.state)
        .sort(),
    ).toEqual(["idle", "total", "waiting"]);
  });

  it("shows the job queue's depth and webhook delivery outcomes", async () => {
    const hook = await t.request("POST", "/api/webhooks", {
      body: { url: "http://127.0.0.1:1/hook", events: ["customers.create"] },
    });
    expect(hook.status).toBe(201);
    const before = await scrape();
    await signUp(t);
    const queued = (await scrape()).samples;
    expect(
      value(queued, "cartograph_jobs", { queue: "default", state: "due" }) -
        value(before.samples, "cartograph_jobs", { queue: "default", state: "due" }),
    ).toBe(1);
    expect((await t.request("GET", "/api/jobs/run?limit=50")).status).toBe(200);
    const after = (await scrape()).samples;
    expect(value(after, "cartograph_jobs", { queue: "default", state: "due" })).toBe(0);
    expect(value(after, "cartograph_jobs", { queue: "default", state: "scheduled" })).toBeGreaterThanOrEqual(1); // retried later
    expect(
      value(after, "cartograph_webhook_deliveries_total", { outcome: "failed" }) -
        value(before.samples, "cartograph_webhook_deliveries_total", { outcome: "failed" }),
    ).toBe(1);
  });

  it("counts graphql-ws connections and the subscriptions running on them", async () => {
    const url = `${(await t.app.start()).url.replace(/^http/, "ws")}/graphql`;
    const gauge = async () => {
      const { samples } = await scrape();
      return [
        value(samples, "cartograph_graphql_ws_connections"),
        value(samples, "cartograph_graphql_ws_subscriptions"),
      ];
    };
    expect(await gauge()).toEqual([0, 0]);
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { apiKey: ADMIN_KEY },
      retryAttempts: 0,
    });
    const stop = client.subscribe(
      { query: `subscription { orderEvents { type } }` },
      { next: () => {}, error: () => {}, complete: () => {} },
    );
    await until(async () => (await gauge())[1] === 1);
    expect(await gauge()).toEqual([1, 1]);
    stop();
    await until(async () => (await gauge())[1] === 0);
    await client.dispose();
    await until(async () => (await gauge())[0] === 0);
  });
});

describe("METRICS_PUBLIC=true", () => {
  const open = {} as TestApp;
  afterAll(() => open.app?.stop());

  it("answers /metrics without a key", async () => {
    const db = await workerDatabase();
    open.app = await buildApp({ ...loadConfig({ LOG_LEVEL: "silent", METRICS_PUBLIC: "true" }), port: 0 }, { db });
    const { samples } = await scrape(open, null);
    expect(value(samples, "cartograph_http_requests_total")).toBeGreaterThanOrEqual(0);
    expect(samples.some((s) => s.name === "cartograph_jobs" || s.name === "cartograph_db_statements_total")).toBe(true);
  });
});
