import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { createClient } from "graphql-ws";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  ADMIN_KEY,
  freshDatabase,
  type ServerProcess,
  startServer,
  stopServer,
  type TestDatabase,
} from "../helpers/server-process.js";

/**
 * A real server process gets SIGTERM while a request is in flight (its body not yet sent), a webhook
 * delivery job is running (its receiver has not answered), and a graphql-ws subscription is open. It must
 * stop accepting connections, close the socket with 1001, let the request and the job finish, and exit 0.
 */
let database: TestDatabase | undefined;
const servers: ServerProcess[] = [];
let receiver: http.Server | undefined;

afterAll(async () => {
  for (const server of servers) await stopServer(server);
  receiver?.closeAllConnections();
  receiver?.close();
  await database?.drop();
}, 60_000);

async function call(
  server: ServerProcess,
  method: string,
  route: string,
  body?: unknown,
  key: string | null = ADMIN_KEY,
) {
  const headers: Record<string, string> = { "content-type": "application/json", ...(key ? { "x-api-key": key } : {}) };
  const res = await fetch(`${server.url}${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text,
  };
}

/** A gauge or counter of /metrics (summed over its label sets matching `labels`). */
async function metric(server: ServerProcess, name: string, labels: Record<string, string> = {}): Promise<number> {
  const { status, body } = await call(server, "GET", "/metrics");
  expect(status).toBe(200);
  let sum = 0;
  for (const line of (body as string).split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) sum += Number(match[3]);
  }
  return sum;
}

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("condition never held");
}

/** Whether a new TCP connection to the server's port is refused. */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

describe("SIGTERM", () => {
  it("finishes the request in flight and the running job, closes WebSockets with 1001, and exits 0", async () => {
    database = await freshDatabase("shutdown");

    // A webhook receiver that holds each delivery until the test lets it answer.
    const deliveries: http.ServerResponse[] = [];
    let delivered!: () => void;
    const deliveryArrived = new Promise<void>((resolve) => (delivered = resolve));
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        deliveries.push(res);
        delivered();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, "127.0.0.1", resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    const server = await startServer({
      ...database.env,
      JOBS_POLL_MS: "50",
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      SHUTDOWN_TIMEOUT_MS: "30000",
    });
    servers.push(server);

    // A job that will be running at SIGTERM: a delivery whose receiver has not answered yet.
    expect(
      (await call(server, "POST", "/api/webhooks", { url: receiverUrl, events: ["customers.create"] })).status,
    ).toBe(201);
    const signUp = await call(
      server,
      "POST",
      "/api/auth/sign-up/email",
      { email: "shutdown@example.com", password: "correct horse battery", name: "S" },
      null,
    );
    expect(signUp.status).toBe(200);
    await deliveryArrived;

    // An open subscription.
    let closeCode: number | undefined;
    let socketClosed!: () => void;
    const closed = new Promise<void>((resolve) => (socketClosed = resolve));
    const client = createClient({
      url: `${server.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { apiKey: ADMIN_KEY },
      retryAttempts: 0,
      on: {
        closed: (event) => {
          closeCode = (event as { code: number }).code;
          socketClosed();
        },
      },
    });
    client.subscribe(
      { query: `subscription { orderEvents { type } }` },
      { next: () => {}, error: () => {}, complete: () => {} },
    );
    await until(async () => (await metric(server, "cartograph_graphql_ws_subscriptions")) === 1);

    // A request in flight: the server has its headers (it answered 100 Continue) but not yet its body.
    const body = JSON.stringify({ query: "query InFlight { __typename }" });
    const { port } = new URL(server.url);
    const request = http.request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/graphql",
      agent: false,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        expect: "100-continue",
        "x-api-key": ADMIN_KEY,
      },
    });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.once("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      });
      request.once("error", reject);
    });
    await new Promise<void>((resolve) => request.once("continue", () => resolve()));

    server.child.kill("SIGTERM");

    await closed;
    expect(closeCode).toBe(1001);
    expect(await refused(server.url)).toBe(true);
    // Still waiting for the request and the job.
    expect(server.child.exitCode).toBeNull();

    request.end(body);
    const answered = await response;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body).data).toEqual({ __typename: "Query" });
    expect(server.child.exitCode).toBeNull(); // the job still runs

    expect(deliveries).toHaveLength(1);
    deliveries[0]!.writeHead(200).end();
    expect(await server.exited).toEqual({ code: 0, signal: null });
    await client.dispose();

    // The job finished before the exit: on the same database nothing is left running, due or retried.
    // (This start also has a half-configured setting, which it names in a warning.)
    const again = await startServer({ ...database.env, CORS_ORIGINS: "https://shop.example.com/" });
    servers.push(again);
    expect(again.log.filter((entry) => entry.level === "warn").map((entry) => entry.settings)).toEqual([
      ["CORS_ORIGINS"],
    ]);
    for (const state of ["running", "due", "scheduled", "failed"]) {
      expect(await metric(again, "cartograph_jobs", { state })).toBe(0);
    }
    expect(deliveries).toHaveLength(1);
    expect(await stopServer(again)).toEqual({ code: 0, signal: null });
  }, 300_000);
});
