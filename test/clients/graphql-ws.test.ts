/**
 * The graphql-ws client as a team would set it up against the app on a port: an API key for the
 * store-wide order feed, a customer's session token for their own orders' events.
 */
import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";
import { signUp } from "../helpers/customers.js";
import { insertOrder } from "../helpers/orders.js";

const t = useTestApp();
let url: string;

beforeAll(async () => {
  url = `${(await t.app.start()).url.replace(/^http/, "ws")}/graphql`;
});
afterAll(async () => {
  await t.app.stop();
});

/** Subscribes and resolves once the server has acknowledged the connection. */
async function subscribe(connectionParams: Record<string, unknown>, query: string) {
  const values: any[] = [];
  const waiters: ((value: any) => void)[] = [];
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    on: { connected: () => connected() },
  });
  client.subscribe(
    { query },
    {
      next: (value) => (waiters.length ? waiters.shift()!(value) : values.push(value)),
      error: (error) => values.push({ transportError: error }),
      complete: () => {},
    },
  );
  await ready;
  // The subscribe message follows the acknowledgement on the same socket; give the server a moment to register it.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    next: () =>
      values.length
        ? Promise.resolve(values.shift())
        : new Promise<any>((resolve, reject) => {
            waiters.push(resolve);
            setTimeout(() => reject(new Error("no event within 5 s")), 5_000);
          }),
    close: () => client.dispose(),
  };
}

describe("graphql-ws client", () => {
  it("with an API key: the store-wide feed carries a REST status change", async () => {
    const order = await insertOrder(t);
    const feed = await subscribe(
      { apiKey: ADMIN_KEY },
      `subscription { orderEvents { orderId toStatus order { number } } }`,
    );
    await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    expect((await feed.next()).data.orderEvents).toEqual({
      orderId: order.id,
      toStatus: "confirmed",
      order: { number: order.number },
    });
    await feed.close();
  });

  it("with a customer token: only the customer's own orders", async () => {
    const [alice, bob] = [await signUp(t), await signUp(t)];
    const mine = await subscribe(
      { authorization: `Bearer ${alice.token}` },
      `subscription { myOrderEvents { orderId toStatus } }`,
    );
    const bobs = await insertOrder(t, { customerId: bob.id });
    await t.request("PATCH", `/api/orders/${bobs.id}/status`, { body: { status: "confirmed" } });
    const own = await insertOrder(t, { customerId: alice.id });
    await t.request("PATCH", `/api/orders/${own.id}/status`, { body: { status: "confirmed" } });
    const seen = [(await mine.next()).data.myOrderEvents];
    expect(seen[0].orderId).toBe(own.id);
    await mine.close();
  });

  it("a customer token cannot open the store-wide feed", async () => {
    const alice = await signUp(t);
    const feed = await subscribe(
      { authorization: `Bearer ${alice.token}` },
      `subscription { orderEvents { orderId } }`,
    );
    const refused = await feed.next();
    expect((refused.errors ?? refused.transportError)?.[0]?.extensions?.code).toMatch(/UNAUTHORIZED|FORBIDDEN/);
    await feed.close();
  });
});
