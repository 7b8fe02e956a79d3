/**
 * Two real gateway processes on one PostgreSQL database and one Redis, as behind a load balancer:
 * started one after the other on a new database, a subscription on one sees
 * a change made through the other, rate limits count across both, and every job runs once.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_KEY as APP_ADMIN_KEY, type TestApp } from "../helpers/app.js";
import { insertOrder } from "../helpers/orders.js";
import {
  ADMIN_KEY,
  freshDatabase,
  type ServerProcess,
  startServer,
  stopServer,
  type TestDatabase,
} from "../helpers/server-process.js";

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const RATE_LIMIT = 60;

/** What a test client of one process needs: `insertOrder` and plain requests through it. */
function clientOf(server: ServerProcess) {
  const request: TestApp["request"] = async (method, path, options = {}) => {
    // insertOrder sends the in-process test app's admin key: these processes have their own.
    const key = options.key === undefined || options.key === APP_ADMIN_KEY ? ADMIN_KEY : options.key;
    const headers: Record<string, string> = { ...options.headers, ...(key ? { "x-api-key": key } : {}) };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return { request } as TestApp;
}

describe.skipIf(!databaseUrl || !redisUrl)("two gateway processes on PostgreSQL + Redis", () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  const deliveries: { id: string; event: string }[] = [];
  let receiver: http.Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      deliveries.push({ id: String(req.headers["webhook-id"]), event: String(req.headers["x-webhook-event"]) });
      req.resume();
      req.on("end", () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    database = await freshDatabase("twoproc");
    const env = {
      ...database.env,
      REDIS_URL: redisUrl!,
      APP_SECRET: "two-process-test-secret-0123456789abcdef",
      JOBS_POLL_MS: "100",
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      RESPONSE_CACHE: "off",
    };
    // One after the other, as compose.yaml does: two first starts at the same moment still race in the
    // start-up bootstrap after the migrations (a unique violation, seen once). Generous waits on a busy machine.
    a = await startServer(env, { timeoutMs: 170_000 });
    b = await startServer(env, { timeoutMs: 170_000 });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a && stopServer(a), b && stopServer(b)]);
    await new Promise((resolve) => receiver?.close(resolve));
    await database?.drop();
  });

  it("both started on the new database and report ready", async () => {
    for (const server of [a, b]) {
      const ready = await fetch(`${server.url}/api/health/ready`);
      expect(ready.status).toBe(200);
      expect((await ready.json()).checks).toMatchObject({ database: "ok", migrations: "ok", redis: "ok" });
    }
    const applied = [...a.log, ...b.log].filter((line) => line.message === "migrations applied");
    // Every migration was applied by exactly one of the two.
    const names = applied.flatMap((line) => line.applied as string[]);
    expect(new Set(names).size).toBe(names.length);
  });

  it("a subscription on one process receives a change made through the other", async () => {
    const order = await insertOrder(clientOf(b));
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const client = createClient({
      url: `${a.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { apiKey: ADMIN_KEY },
      retryAttempts: 0,
      on: { connected: () => connected() },
    });
    const received = new Promise<any>((resolve, reject) => {
      client.subscribe(
        { query: `subscription { orderStatusChanged(orderId: "${order.id}") { orderId toStatus order { status } } }` },
        {
          next: resolve,
          error: reject,
          complete: () => {},
        },
      );
      setTimeout(() => reject(new Error("no event within 10 s")), 10_000);
    });
    await ready;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const changed = await clientOf(b).request("PATCH", `/api/orders/${order.id}/status`, {
      body: { status: "confirmed" },
    });
    expect(changed.status).toBe(200);
    expect((await received).data.orderStatusChanged).toEqual({
      orderId: order.id,
      toStatus: "confirmed",
      order: { status: "confirmed" },
    });
    await client.dispose();
  });

  it("counts one caller's requests across both processes against one limit", async () => {
    const minted = await clientOf(a).request("POST", "/api/api-keys", {
      body: { name: "two-process limits", permissions: ["catalog:read"] },
    });
    expect(minted.status).toBe(201);
    const key = minted.body.data.secret as string;
    const remaining: number[] = [];
    for (let i = 0; i < RATE_LIMIT; i++) {
      const server = i % 2 === 0 ? a : b;
      const res = await fetch(`${server.url}/api/catalog/entities?limit=1`, { headers: { "x-api-key": key } });
      expect(res.status).toBe(200);
      remaining.push(Number(res.headers.get("x-ratelimit-remaining")));
    }
    // One counter: each answer, whichever process gave it, has one request fewer left.
    expect(remaining).toEqual(Array.from({ length: RATE_LIMIT }, (_, i) => RATE_LIMIT - 1 - i));
    for (const server of [a, b]) {
      const over = await fetch(`${server.url}/api/catalog/entities?limit=1`, { headers: { "x-api-key": key } });
      expect(over.status).toBe(429);
      expect(over.headers.get("retry-after")).toBeTruthy();
    }
  });

  it("runs each job once: every webhook delivery arrives once though both workers poll", async () => {
    const registered = await clientOf(b).request("POST", "/api/webhooks", {
      body: { url: receiverUrl, events: ["orders.create", "orders.statusChange"] },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    for (const server of [a, b, a]) {
      const order = await insertOrder(clientOf(server));
      const changed = await clientOf(server === a ? b : a).request("PATCH", `/api/orders/${order.id}/status`, {
        body: { status: "confirmed" },
      });
      expect(changed.status).toBe(200);
    }
    const expected = 6; // three orders created, three status changes
    for (let waited = 0; new Set(deliveries.map((d) => d.id)).size < expected && waited < 20_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Several more poll rounds of both workers: a job run twice would deliver again.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(deliveries.filter((d) => d.event === "orders.create")).toHaveLength(3);
    expect(deliveries.filter((d) => d.event === "orders.statusChange")).toHaveLength(3);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(deliveries.length);
  });
});
