import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { type SignedIn, signUp } from "../helpers/customers.js";
import {
  capturePayments,
  createProducts,
  fulfilOrders,
  pdfBytes,
  placeOrders,
  uploadAndAttach,
} from "../helpers/order-history.js";

/** A customer's order history with nested lines, payments, fulfillments and download links: no N+1. */
const dataDir = await mkdtemp(path.join(tmpdir(), "cg-me-query-count-"));
const t = useTestApp({ dataDir });
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const HISTORY = /* GraphQL */ `
  query ($first: Int!) {
    me { orders(first: $first) { totalCount edges { node {
      id number lines { id title } payments { id } fulfillments { id trackingNumber } downloads { url fileName }
    } } } }
  }`;

let seq = 0;

/**
 * A signed-up customer with `count` orders, all through the API: each of a digital product of its own
 * (its file attached in the download role), placed for the customer, paid and shipped with a tracking number.
 */
async function customerWithOrders(count: number) {
  const me = await signUp(t);
  const indexes = Array.from({ length: count }, () => seq++);
  const products = await createProducts(
    t,
    indexes.map((i) => ({ slug: `guide-${i}`, title: `Guide ${i}`, price: 900 })),
  );
  await uploadAndAttach(
    t,
    products.map((entityId, k) => ({
      entityId,
      bytes: pdfBytes(`guide-${indexes[k]}`),
      fileName: `guide-${indexes[k]}.pdf`,
      contentType: "application/pdf",
      role: "download",
    })),
  );
  const orders = await placeOrders(
    t,
    products.map((entityId) => ({ customerId: me.id, lines: [{ entityId, quantity: 1 }] })),
  );
  await capturePayments(t, orders);
  await fulfilOrders(t, orders, (k) => `T-${indexes[k]}`);
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

let few: SignedIn;
let many: SignedIn;
beforeAll(async () => {
  few = await customerWithOrders(3);
  many = await customerWithOrders(12);
}, 120_000);

describe("me.orders statement count", () => {
  it("is the same for 3 and 12 orders with every nested field", async () => {
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
