import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { buildApp } from "../../../src/app.js";
import { loadConfig } from "../../../src/config.js";
import { standardWebhookSignature } from "../../../src/domain/webhooks/signing.js";
import { isPrivateAddress } from "../../../src/domain/webhooks/targets.js";
import { ADMIN_KEY, useTestApp } from "../../helpers/app.js";
import { insertOrder } from "../../helpers/orders.js";

/** How far the job queue's clock is ahead of the system's: a test moves it to reach a retry's time. */
let clockAhead = 0;
const t = useTestApp({ webhookAllowPrivateTargets: true }, { clock: () => new Date(Date.now() + clockAhead) });

/** A local receiver recording what it gets; `answer` decides the status it replies with. */
interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
let answer = 200;
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    received.push({ headers: req.headers, body });
    res.writeHead(answer).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

/** Verification as a receiver would write it, independently of the sender's code. */
function verifyStandard(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const signed = `${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`;
  const expected = createHmac("sha256", key).update(signed).digest();
  return String(headers["webhook-signature"])
    .split(" ")
    .some((s) => s.startsWith("v1,") && timingSafeEqual(Buffer.from(s.slice(3), "base64"), expected));
}
function verifyBody(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const expected = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return headers["x-webhook-signature"] === expected;
}

const runJobs = () => t.request("GET", "/api/jobs/run?limit=50");
/** Lets a delivery's first backoff (at most 1 s) pass on the queue's clock; payment follow-ups stay minutes away. */
const makeDue = () => {
  clockAhead += 2_000;
};

async function register(events: string[] = ["orders.statusChange", "orders.create"]) {
  const res = await t.request("POST", "/api/webhooks", { body: { url: receiverUrl, events } });
  expect(res.status).toBe(201);
  return res.body.data as { id: string; secret: string; url: string };
}

describe("webhook signatures", () => {
  it("match the Standard Webhooks test vector", () => {
    expect(
      standardWebhookSignature(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });
});

describe("/api/webhooks", () => {
  it("registers (secret shown once), lists without the secret, and deletes", async () => {
    const endpoint = await register();
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const list = await t.request("GET", "/api/webhooks");
    expect(list.body.data.find((e: { id: string }) => e.id === endpoint.id)).toMatchObject({
      url: receiverUrl,
      active: true,
    });
    expect(JSON.stringify(list.body)).not.toContain(endpoint.secret);
    expect((await t.request("DELETE", `/api/webhooks/${endpoint.id}`)).status).toBe(200);
    expect((await t.request("DELETE", `/api/webhooks/${endpoint.id}`)).status).toBe(404);
  });

  it("validates events and urls, and needs webhooks:manage", async () => {
    const badEvent = await t.request("POST", "/api/webhooks", {
      body: { url: receiverUrl, events: ["orders.exploded"] },
    });
    expect(badEvent.status).toBe(422);
    const badUrl = await t.request("POST", "/api/webhooks", {
      body: { url: "ftp://example.com", events: ["orders.create"] },
    });
    expect(badUrl.body.error.details[0].path).toBe("url");
    expect((await t.request("GET", "/api/webhooks", { key: await t.createKey(["orders:*"]) })).status).toBe(403);
    expect((await t.request("GET", "/api/webhooks", { key: null })).status).toBe(401);
  });

  it("refuses private, loopback and link-local targets unless allowed", async () => {
    const strict = await buildApp(
      { ...loadConfig({ ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: "silent", JOBS_POLL_MS: "0" }), port: 0 },
      { db: t.app.db },
    );
    for (const url of [
      receiverUrl,
      "http://10.1.2.3/h",
      "http://169.254.169.254/latest",
      "http://[::1]:8080/",
      "http://localhost/h",
    ]) {
      const res = await strict.fetch(
        new Request("http://localhost/api/webhooks", {
          method: "POST",
          headers: { "x-api-key": ADMIN_KEY, "content-type": "application/json" },
          body: JSON.stringify({ url, events: ["orders.create"] }),
        }),
      );
      expect(res.status, url).toBe(422);
      expect((await res.json()).error.details[0]).toMatchObject({ path: "url", code: "private_target" });
    }
    await strict.stop();
    expect(isPrivateAddress("8.8.8.8")).toBe(false);
    expect(isPrivateAddress("::ffff:127.0.0.1")).toBe(true);
    expect(isPrivateAddress("fd00::1")).toBe(true);
  });
});

describe("delivery", () => {
  it("delivers an order status change, signed both ways, with the outbox written in the change's transaction", async () => {
    const endpoint = await register(["orders.statusChange"]);
    const order = await insertOrder(t);
    received.length = 0;
    await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    const delivery = await t.app.db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    expect(delivery.status).toBe("pending");

    expect((await runJobs()).body.data.completed).toBeGreaterThanOrEqual(1);
    expect(received).toHaveLength(1);
    const [hit] = received;
    const body = JSON.parse(hit!.body);
    expect(body).toMatchObject({
      type: "orders.statusChange",
      data: { orderId: order.id, fromStatus: "pending", toStatus: "confirmed" },
    });
    expect(hit!.headers["webhook-id"]).toBe(body.id);
    expect(hit!.headers["x-webhook-event"]).toBe("orders.statusChange");
    expect(verifyStandard(endpoint.secret, hit!.headers, hit!.body)).toBe(true);
    expect(verifyBody(endpoint.secret, hit!.headers, hit!.body)).toBe(true);
    expect(verifyStandard(endpoint.secret, hit!.headers, hit!.body.replace("confirmed", "cancelled"))).toBe(false);
    expect((await t.app.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe(
      "delivered",
    );
    await t.request("DELETE", `/api/webhooks/${endpoint.id}`);
  });

  it("announces a catalog change under its event name, with the entity's own type in the data", async () => {
    const endpoint = await register(["catalog.create"]);
    received.length = 0;
    const created = await t.request("POST", "/api/catalog/entities", {
      body: { type: "product", slug: "hooked-widget" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await runJobs()).body.data.completed).toBeGreaterThanOrEqual(1);
    expect(received).toHaveLength(1);
    const body = JSON.parse(received[0]!.body);
    expect(body).toMatchObject({
      type: "catalog.create",
      data: { id: created.body.data.id, type: "product", slug: "hooked-widget" },
    });
    expect(received[0]!.headers["x-webhook-event"]).toBe("catalog.create");
    await t.request("DELETE", `/api/webhooks/${endpoint.id}`);
  });

  it("writes no delivery when the change rolls back", async () => {
    const order = await insertOrder(t, { status: "fulfilled" });
    const endpoint = await register(["orders.statusChange"]);
    expect((await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "pending" } })).status).toBe(
      409,
    );
    expect(await t.app.db.prisma.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
    await t.request("DELETE", `/api/webhooks/${endpoint.id}`);
  });

  it("retries after the receiver was down, with the same id and a fresh signature", async () => {
    const order = await insertOrder(t);
    const endpoint = await register(["orders.statusChange"]);
    received.length = 0;
    answer = 503;
    await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    expect((await runJobs()).body.data).toMatchObject({ retried: 1 });
    answer = 200;
    expect((await runJobs()).body.data.claimed).toBe(0); // backoff: not due yet
    makeDue();
    expect((await runJobs()).body.data.completed).toBe(1);
    expect(received).toHaveLength(2);
    expect(received[0]!.headers["webhook-id"]).toBe(received[1]!.headers["webhook-id"]);
    expect(verifyStandard(endpoint.secret, received[1]!.headers, received[1]!.body)).toBe(true);
    const delivery = await t.app.db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2 });
    await t.request("DELETE", `/api/webhooks/${endpoint.id}`);
  });

  it("disables an endpoint that answers 410 Gone", async () => {
    const order = await insertOrder(t);
    const endpoint = await register(["orders.create", "orders.statusChange"]);
    answer = 410;
    await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    await runJobs();
    answer = 200;
    const list = await t.request("GET", "/api/webhooks");
    expect(list.body.data.find((e: { id: string }) => e.id === endpoint.id)).toMatchObject({
      active: false,
      disabledReason: expect.stringContaining("410"),
    });
    received.length = 0;
    await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "processing" } });
    await runJobs();
    expect(received).toHaveLength(0);
  });
});
