import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { signUp } from "../helpers/customers.js";
import { insertOrder } from "../helpers/orders.js";

/** A customer's order history with nested lines, payments, fulfillments and download links: no N+1. */
const t = useTestApp();

const HISTORY = /* GraphQL */ `
  query ($first: Int!) {
    me { orders(first: $first) { totalCount edges { node {
      id number lines { id title } payments { id } fulfillments { id trackingNumber } downloads { url fileName }
    } } } }
  }`;

async function customerWithOrders(count: number) {
  const me = await signUp(t);
  const { prisma } = t.app.db;
  const storeId = t.app.defaultStoreId;
  for (let i = 0; i < count; i++) {
    const order = await insertOrder(t, { customerId: me.id, status: "confirmed" });
    const line = await prisma.orderLine.findFirstOrThrow({ where: { orderId: order.id } });
    const asset = await prisma.mediaAsset.create({
      data: {
        storeId,
        storageKey: `${storeId}/00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        contentType: "application/pdf",
        byteSize: 10,
        fileName: `guide-${i}.pdf`,
      },
    });
    await prisma.entityMedia.create({ data: { entityId: line.entityId, mediaAssetId: asset.id, role: "download" } });
    await prisma.fulfillment.create({ data: { orderId: order.id, trackingNumber: `T-${i}` } });
  }
  return me;
}

async function statementsFor(token: string, first: number) {
  const send = () =>
    t.app
      .fetch(
        new Request("http://localhost/graphql", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: HISTORY, variables: { first } }),
        }),
      )
      .then((r) => r.json() as Promise<any>);
  await send(); // the session lookup is cached after the first request
  const before = t.app.db.statementCount();
  const body = await send();
  expect(body.errors).toBeUndefined();
  return { statements: t.app.db.statementCount() - before, body };
}

describe("me.orders statement count", () => {
  it("is the same for 3 and 12 orders with every nested field", async () => {
    const few = await customerWithOrders(3);
    const many = await customerWithOrders(12);
    const small = await statementsFor(few.token, 20);
    const large = await statementsFor(many.token, 20);
    expect(small.body.data.me.orders.totalCount).toBe(3);
    expect(large.body.data.me.orders.edges).toHaveLength(12);
    expect(
      large.body.data.me.orders.edges.every(
        (e: any) => e.node.downloads.length === 1 && e.node.fulfillments.length === 1,
      ),
    ).toBe(true);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(6);
  });
});
