import { createClient } from "graphql-ws";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type App, buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";
import { signUp } from "../helpers/customers.js";
import { workerDatabase } from "../helpers/database.js";
import { insertOrder } from "../helpers/orders.js";

// Needs a Redis server: CI sets TEST_REDIS_URL (the machine's 127.0.0.1:6379); a plain `npm test` does not.
const redisUrl = process.env.TEST_REDIS_URL;

/** Waits until instance B's subscription has reached Redis (a channel subscriber exists), instead of sleeping. */
async function subscribedInRedis(channel: string) {
  const redis = new Redis(redisUrl!);
  try {
    // A readiness wait, not a speed check: generous for a machine busy with the other test worker.
    for (let i = 0; i < 800; i++) {
      const [, count] = (await redis.pubsub("NUMSUB", channel)) as [string, number];
      if (Number(count) > 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`nobody subscribed to ${channel} in Redis`);
  } finally {
    redis.disconnect();
  }
}

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
    const client = createClient({
      url: `${url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { apiKey: ADMIN_KEY },
      retryAttempts: 0,
    });
    const received = new Promise<any>((resolve, reject) => {
      client.subscribe(
        { query: `subscription { orderStatusChanged(orderId: "${order.id}") { orderId toStatus order { status } } }` },
        { next: resolve, error: reject, complete: () => {} },
      );
      // generous: a missing event fails the test, a slow machine should not
      setTimeout(() => reject(new Error("no event within 25 s")), 25_000);
    });
    // Awaited below; until then a rejection (e.g. the socket closing after a failed wait) is not unhandled.
    received.catch(() => undefined);
    await subscribedInRedis(`orderEvents:${t.app.defaultStoreId}`);
    const changed = await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    expect(changed.status).toBe(200);
    expect((await received).data.orderStatusChanged).toEqual({
      orderId: order.id,
      toStatus: "confirmed",
      order: { status: "confirmed" },
    });
    await client.dispose();
  });

  it("counts failed sign-ins across instances, so brute force cannot spread over them", async () => {
    const { email } = await signUp(t, { password: "the-right-password" });
    const attempt = (app: App, password: string) =>
      app.fetch(
        new Request("http://localhost/api/auth/sign-in/email", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password }),
        }),
      );
    for (let i = 0; i < 5; i++) expect((await attempt(i % 2 ? t.app : other!, `wrong-${i}-password`)).status).toBe(401);
    expect((await attempt(other!, "the-right-password")).status).toBe(429);
    expect((await attempt(t.app, "the-right-password")).status).toBe(429);
    // the count lives in Redis, not in either process
    const redis = new Redis(redisUrl!);
    // (under the deployment's id, which both instances share: they share the database's secret)
    const keys = await redis.keys(`cartograph:*:signin-account:${t.app.defaultStoreId}:${email}`);
    const stored = keys.length === 1 ? await redis.get(keys[0]!) : null;
    redis.disconnect();
    expect(keys).toHaveLength(1);
    expect(Number(stored)).toBeGreaterThanOrEqual(5);
  });
});
