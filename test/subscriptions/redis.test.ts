import { createClient } from "graphql-ws";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type App, buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";
import { workerDatabase } from "../helpers/database.js";
import { insertOrder } from "../helpers/orders.js";

// Needs a Redis server: CI sets TEST_REDIS_URL (the machine's 127.0.0.1:6379); a plain `npm test` does not.
const redisUrl = process.env.TEST_REDIS_URL;

describe.runIf(redisUrl)("subscriptions across instances through Redis", () => {
  const t = useTestApp({ redisUrl });
  let other: App | undefined;
  afterAll(async () => {
    await other?.stop();
  });

  it("streams a status change made on instance A to a subscriber connected to instance B", async () => {
    const db = await workerDatabase();
    other = await buildApp(
      { ...loadConfig({ ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: "silent", REDIS_URL: redisUrl }), port: 0 },
      { db },
    );
    const { url } = await other.start();
    const order = await insertOrder(t);
    const client = createClient({ url: `${url.replace(/^http/, "ws")}/graphql`, webSocketImpl: WebSocket, connectionParams: { apiKey: ADMIN_KEY }, retryAttempts: 0 });
    const received = new Promise<any>((resolve, reject) => {
      client.subscribe(
        { query: `subscription { orderStatusChanged(orderId: "${order.id}") { orderId toStatus order { status } } }` },
        { next: resolve, error: reject, complete: () => {} },
      );
      setTimeout(() => reject(new Error("no event within 2 s")), 2_000);
    });
    await new Promise((r) => setTimeout(r, 300)); // let the subscription reach Redis
    const changed = await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    expect(changed.status).toBe(200);
    expect((await received).data.orderStatusChanged).toEqual({ orderId: order.id, toStatus: "confirmed", order: { status: "confirmed" } });
    await client.dispose();
  });
});
