import http from "node:http";
import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";
import { signUp } from "../helpers/customers.js";
import { insertOrder } from "../helpers/orders.js";

const t = useTestApp();
let base: string;

beforeAll(async () => {
  base = (await t.app.start()).url;
});
afterAll(async () => {
  await t.app.stop();
});

interface Subscription {
  events: any[];
  errors: any[];
  next(): Promise<any>;
  ready: Promise<void>;
  close(): Promise<void>;
}

function subscribe(query: string, connectionParams: Record<string, unknown> = { apiKey: ADMIN_KEY }): Subscription {
  const events: any[] = [];
  const errors: any[] = [];
  const waiters: ((value: any) => void)[] = [];
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const client = createClient({
    url: `${base.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    on: { connected: () => setTimeout(markReady, 50) },
  });
  client.subscribe(
    { query },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        const waiter = waiters.shift();
        if (waiter) waiter(value);
        else events.push(value);
      },
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  return {
    events,
    errors,
    ready,
    next: () =>
      events.length
        ? Promise.resolve(events.shift())
        : new Promise((resolve, reject) => {
            waiters.push(resolve);
            // a wait, not a speed assertion: generous so a loaded machine does not fail it
            setTimeout(() => reject(new Error("no event within 5 s")), 5_000);
          }),
    close: () => client.dispose() as Promise<void>,
  };
}

describe("orderStatusChanged over graphql-ws", () => {
  it("delivers a REST status change, with the order re-read for the selection", async () => {
    const order = await insertOrder(t);
    const sub = subscribe(
      `subscription { orderStatusChanged(orderId: "${order.id}") { type orderId fromStatus toStatus order { number status totals { total } } } }`,
    );
    await sub.ready;
    await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    const event = await sub.next();
    expect(event.data.orderStatusChanged).toEqual({
      type: "orders.statusChange",
      orderId: order.id,
      fromStatus: "pending",
      toStatus: "confirmed",
      order: { number: order.number, status: "confirmed", totals: { total: 4200 } },
    });
    await sub.close();
  });

  it("filters by order id and delivers GraphQL mutations' changes too", async () => {
    const watched = await insertOrder(t);
    const other = await insertOrder(t);
    const sub = subscribe(`subscription { orderStatusChanged(orderId: "${watched.id}") { orderId toStatus } }`);
    await sub.ready;
    await t.request("PATCH", `/api/orders/${other.id}/status`, { body: { status: "confirmed" } });
    await t.graphql(`mutation { updateOrderStatus(input: { id: "${watched.id}", status: cancelled }) { __typename } }`);
    const event = await sub.next();
    expect(event.data.orderStatusChanged).toEqual({ orderId: watched.id, toStatus: "cancelled" });
    await sub.close();
  });

  it("needs orders:read, and never crosses stores", async () => {
    const anonymous = subscribe(`subscription { orderEvents { orderId } }`, {});
    await anonymous.ready;
    await new Promise((r) => setTimeout(r, 200));
    expect(anonymous.errors[0]?.extensions?.code ?? anonymous.errors[0]?.message).toMatch(/UNAUTHORIZED/);
    await anonymous.close();

    const otherStore = (await t.request("POST", "/api/stores", { body: { slug: "subs-b", name: "B" } })).body.data;
    const otherKey = await t.createKey(["orders:read"], otherStore.id);
    const foreign = subscribe(`subscription { orderEvents { orderId } }`, { apiKey: otherKey });
    const order = await insertOrder(t); // placed before subscribing: only the status change is watched
    const mine = subscribe(`subscription { orderEvents { orderId toStatus } }`);
    await Promise.all([foreign.ready, mine.ready]);
    await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    expect((await mine.next()).data.orderEvents).toEqual({ orderId: order.id, toStatus: "confirmed" });
    await new Promise((r) => setTimeout(r, 200));
    expect(foreign.events).toEqual([]);
    await Promise.all([foreign.close(), mine.close()]);
  });
});

describe("myOrderEvents (customer-scoped)", () => {
  it("delivers a customer only their own orders' events", async () => {
    const [alice, bob] = [await signUp(t), await signUp(t)];
    // placed before subscribing: only the status changes are watched
    const theirs = await insertOrder(t, { customerId: bob.id });
    const guest = await insertOrder(t);
    const own = await insertOrder(t, { customerId: alice.id });
    const mine = subscribe(`subscription { myOrderEvents { orderId toStatus order { number customerId } } }`, {
      authorization: `Bearer ${alice.token}`,
    });
    const bobs = subscribe(`subscription { myOrderEvents { orderId } }`, { authorization: `Bearer ${bob.token}` });
    await Promise.all([mine.ready, bobs.ready]);
    for (const order of [theirs, guest, own]) {
      await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    }
    // events arrive in publish order, so Alice's first event being her own proves the others were filtered out
    expect((await mine.next()).data.myOrderEvents).toEqual({
      orderId: own.id,
      toStatus: "confirmed",
      order: { number: own.number, customerId: alice.id },
    });
    expect((await bobs.next()).data.myOrderEvents).toEqual({ orderId: theirs.id });
    await new Promise((r) => setTimeout(r, 200));
    expect([...mine.events, ...bobs.events]).toEqual([]);
    await Promise.all([mine.close(), bobs.close()]);
  });

  it("accepts a browser's session cookie from our own origin, and not from another site", async () => {
    const alice = await signUp(t);
    const withHeaders = (headers: Record<string, string>) =>
      class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      };
    const open = (headers: Record<string, string>) => {
      const errors: any[] = [];
      const events: any[] = [];
      const client = createClient({
        url: `${base.replace(/^http/, "ws")}/graphql`,
        webSocketImpl: withHeaders(headers),
        retryAttempts: 0,
      });
      client.subscribe(
        { query: `subscription { myOrderEvents { orderId } }` },
        {
          next: (v) => (v.errors ? errors.push(...v.errors) : events.push(v)),
          error: (e) => errors.push(e),
          complete: () => {},
        },
      );
      return { client, errors, events };
    };
    const own = open({ cookie: alice.cookie, origin: base });
    const hijacked = open({ cookie: alice.cookie, origin: "https://evil.example" });
    // No "subscribed" acknowledgement exists in graphql-ws: change fresh orders until one arrives.
    const changed: string[] = [];
    for (let i = 0; i < 40 && own.events.length === 0; i++) {
      const order = await insertOrder(t, { customerId: alice.id });
      await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
      changed.push(order.id);
      await new Promise((r) => setTimeout(r, 125));
    }
    expect(own.errors).toEqual([]);
    expect(changed).toContain(own.events[0]?.data.myOrderEvents.orderId);
    expect(JSON.stringify(hijacked.errors)).toMatch(/UNAUTHORIZED/);
    expect(hijacked.events).toEqual([]);
    await Promise.all([own.client.dispose(), hijacked.client.dispose()]);
  });

  it("needs a customer session, and a customer cannot watch the store-wide feed", async () => {
    const alice = await signUp(t);
    const anonymous = subscribe(`subscription { myOrderEvents { orderId } }`, {});
    const storeWide = subscribe(`subscription { orderEvents { orderId } }`, { authorization: `Bearer ${alice.token}` });
    const oneOrder = subscribe(`subscription { orderStatusChanged { orderId } }`, {
      authorization: `Bearer ${alice.token}`,
    });
    await Promise.all([anonymous.ready, storeWide.ready, oneOrder.ready]);
    await new Promise((r) => setTimeout(r, 200));
    expect(JSON.stringify(anonymous.errors)).toMatch(/UNAUTHORIZED/);
    expect(JSON.stringify(storeWide.errors)).toMatch(/FORBIDDEN/);
    expect(JSON.stringify(oneOrder.errors)).toMatch(/FORBIDDEN/);
    await Promise.all([anonymous.close(), storeWide.close(), oneOrder.close()]);
  });
});

describe("subscription limits", () => {
  it("refuses a subscription over the breadth limit before it starts", async () => {
    const fine = subscribe(
      `subscription { orderEvents { order { lines { id } payments { id } statusHistory { toStatus } } } }`,
    );
    const tooBroad = subscribe(
      `subscription { orderEvents { order { ${Array.from({ length: 301 }, (_, i) => `f${i}: id`).join(" ")} } } }`,
    );
    await Promise.all([fine.ready, tooBroad.ready]);
    await new Promise((r) => setTimeout(r, 300));
    expect(fine.errors).toEqual([]);
    expect(JSON.stringify(tooBroad.errors)).toMatch(/breadth of 30\d exceeds the maximum of 300/);
    await Promise.all([fine.close(), tooBroad.close()]);
  });
});

describe("orderEvents over SSE", () => {
  it("streams events as text/event-stream on the same endpoint", async () => {
    const order = await insertOrder(t);
    const url = new URL(`${base}/graphql`);
    // node:http rather than fetch: undici trips over a stream the server closes at shutdown.
    const text = await new Promise<{ contentType: string; body: string }>((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: "GET",
          path: `${url.pathname}?query=${encodeURIComponent("subscription { orderEvents { orderId toStatus } }")}`,
          headers: { accept: "text/event-stream", "x-api-key": ADMIN_KEY },
        },
        (response) => {
          let body = "";
          const timer = setTimeout(() => {
            request.destroy();
            reject(new Error("no event within 10 s"));
          }, 10_000);
          response.on("data", (chunk: Buffer) => {
            body += chunk.toString();
            if (body.includes(order.id)) {
              clearTimeout(timer);
              request.destroy();
              resolve({ contentType: String(response.headers["content-type"]), body });
            }
          });
          setTimeout(
            () => void t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } }),
            150,
          );
        },
      );
      request.on("error", () => {});
      request.end();
    });
    expect(text.contentType).toContain("text/event-stream");
    const data = text.body.split("\n").find((line) => line.startsWith("data:") && line.includes(order.id))!;
    expect(JSON.parse(data.slice(5)).data.orderEvents).toEqual({ orderId: order.id, toStatus: "confirmed" });
  });
});
