import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";
import { insertOrder } from "../helpers/orders.js";

const t = useTestApp();
let base: string;

beforeAll(async () => {
  base = (await t.app.start()).url;
});
afterAll(async () => {
  await t.app.stop();
});

/** A graphql-ws client spoken by hand, to see the exact frames: every message it received, in order. */
async function connect() {
  const socket = new WebSocket(`${base.replace(/^http/, "ws")}/graphql`, GRAPHQL_TRANSPORT_WS_PROTOCOL);
  const received: { raw: string; message: any }[] = [];
  socket.on("message", (data: Buffer) => {
    const raw = data.toString();
    received.push({ raw, message: JSON.parse(raw) });
  });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  socket.send(JSON.stringify({ type: "connection_init", payload: { apiKey: ADMIN_KEY } }));
  await until(async () => received.some((r) => r.message.type === "connection_ack"));
  return {
    received,
    subscribe: (id: string, query: string) =>
      socket.send(JSON.stringify({ id, type: "subscribe", payload: { query } })),
    complete: (id: string) => socket.send(JSON.stringify({ id, type: "complete" })),
    of: (type: string) => received.filter((r) => r.message.type === type),
    close: () => socket.close(),
  };
}

async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("condition never held");
}

/** Running graphql-ws subscriptions, from the metrics. */
async function runningSubscriptions(): Promise<number> {
  const res = await t.app.fetch(new Request("http://localhost/metrics", { headers: { "x-api-key": ADMIN_KEY } }));
  const line = (await res.text()).split("\n").find((l) => l.startsWith("cartograph_graphql_ws_subscriptions "));
  return Number(line?.split(" ")[1]);
}

describe("shared subscriptions over graphql-ws", () => {
  it("writes each subscriber's own next message, ends the ones completed, and keeps the others", async () => {
    const order = await insertOrder(t);
    const query = `subscription { orderStatusChanged(orderId: "${order.id}") { orderId fromStatus toStatus } }`;
    const a = await connect();
    const b = await connect();
    // Two subscriptions of one socket and one of another: the same group, three sinks.
    a.subscribe("a-1", query);
    a.subscribe("a-2", query);
    b.subscribe("b-1", query);
    await until(async () => (await runningSubscriptions()) === 3);

    await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    await until(async () => a.of("next").length === 2 && b.of("next").length === 1);
    const payload = {
      data: { orderStatusChanged: { orderId: order.id, fromStatus: "pending", toStatus: "confirmed" } },
    };
    expect(a.of("next").map((r) => r.message)).toEqual([
      { id: "a-1", type: "next", payload },
      { id: "a-2", type: "next", payload },
    ]);
    // The frame is graphql-ws's own: id, type, payload, in that order.
    expect(b.of("next")[0]!.raw).toBe(JSON.stringify({ id: "b-1", type: "next", payload }));

    a.complete("a-1");
    await until(async () => (await runningSubscriptions()) === 2);
    await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "processing" } });
    await until(async () => a.of("next").length === 3 && b.of("next").length === 2);
    expect(a.of("next")[2]!.message.id).toBe("a-2");
    expect(b.of("next")[1]!.message.payload.data.orderStatusChanged.toStatus).toBe("processing");
    // A completed subscription gets nothing more, and a client's complete is not echoed.
    expect(a.received.filter((r) => r.message.id === "a-1").map((r) => r.message.type)).toEqual(["next"]);

    a.close();
    b.close();
    await until(async () => (await runningSubscriptions()) === 0);
  });
});
