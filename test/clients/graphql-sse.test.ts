/**
 * The graphql-sse client (GraphQL over Server-Sent Events) in both of its modes against the app on a
 * port: distinct connections (one stream per operation) and single connection (one reserved stream,
 * operations sent with its token). Subscriptions carry the same auth as HTTP.
 */
import { createClient } from "graphql-sse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** A subscription's next values as promises, with a generous wait so a loaded machine does not fail it. */
function listen(client: ReturnType<typeof createClient>, query: string) {
  const values: any[] = [];
  const waiters: ((value: any) => void)[] = [];
  const failures: unknown[] = [];
  const rejecters: ((error: unknown) => void)[] = [];
  const dispose = client.subscribe(
    { query },
    {
      next: (value) => (waiters.length ? waiters.shift()!(value) : values.push(value)),
      error: (error) => {
        failures.push(error);
        for (const reject of rejecters.splice(0)) reject(error);
      },
      complete: () => {},
    },
  );
  return {
    failures,
    dispose,
    next: () =>
      values.length
        ? Promise.resolve(values.shift())
        : failures.length
          ? Promise.reject(failures[0])
          : new Promise<any>((resolve, reject) => {
              waiters.push(resolve);
              rejecters.push(reject);
              setTimeout(() => reject(new Error("no event within 5 s")), 5_000);
            }),
  };
}

/** Waits until the server holds the stream: an event published before would not reach it. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe.each([
  { mode: "distinct connections", singleConnection: false },
  { mode: "single connection", singleConnection: true },
])("graphql-sse, $mode mode, on /graphql/stream", ({ singleConnection }) => {
  it("runs a query and a mutation with an API key", async () => {
    const client = createClient({
      url: `${base}/graphql/stream`,
      singleConnection,
      headers: { "x-api-key": ADMIN_KEY },
      retryAttempts: 0,
    });
    const slug = `sse-${singleConnection ? "single" : "distinct"}`;
    const created = listen(
      client,
      `mutation { createCatalogEntity(input: { type: "product", slug: "${slug}", status: active }) { ... on CreateCatalogEntityPayload { entity { slug } } } }`,
    );
    expect((await created.next()).data.createCatalogEntity.entity.slug).toBe(slug);
    const read = listen(client, `{ catalogEntity(slug: "${slug}") { slug status } }`);
    expect((await read.next()).data.catalogEntity).toEqual({ slug, status: "active" });
    client.dispose();
  });

  it("streams an order's status change made through REST", async () => {
    const order = await insertOrder(t);
    const client = createClient({
      url: `${base}/graphql/stream`,
      singleConnection,
      headers: { "x-api-key": ADMIN_KEY },
      retryAttempts: 0,
    });
    const sub = listen(
      client,
      `subscription { orderStatusChanged(orderId: "${order.id}") { orderId toStatus order { number status } } }`,
    );
    await settle();
    const changed = await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
    expect(changed.status).toBe(200);
    expect((await sub.next()).data.orderStatusChanged).toEqual({
      orderId: order.id,
      toStatus: "confirmed",
      order: { number: order.number, status: "confirmed" },
    });
    sub.dispose();
    client.dispose();
  });

  it("gives a customer token their own order events only, and refuses the store-wide feed without a key", async () => {
    const alice = await signUp(t);
    const client = createClient({
      url: `${base}/graphql/stream`,
      singleConnection,
      headers: { authorization: `Bearer ${alice.token}` },
      retryAttempts: 0,
    });
    const mine = listen(client, `subscription { myOrderEvents { orderId toStatus } }`);
    const storeWide = listen(client, `subscription { orderEvents { orderId } }`);
    await settle();
    const own = await insertOrder(t, { customerId: alice.id });
    await t.request("PATCH", `/api/orders/${own.id}/status`, { body: { status: "confirmed" } });
    // The first event of alice's stream is her own order's (its creation or its change), never another's.
    const first = (await mine.next()).data.myOrderEvents;
    expect(first.orderId).toBe(own.id);
    // Refused at subscribe: no event of the store reaches the customer; the client reports a failure
    // (the operation's errors, or the refused request: graphql-sse answers it with a 400).
    const refused = await storeWide.next().catch((failed: unknown) => ({ failed }));
    expect(refused.data?.orderEvents).toBeUndefined();
    expect(refused.failed ?? refused.errors).toBeTruthy();
    mine.dispose();
    client.dispose();
  });
});
