import { describe, expect, it } from "vitest";
import { mainDialect } from "../../../src/rest/dialects/main/index.js";
import { type Sent, useTestApp } from "../../helpers/app.js";
import { productWithStock } from "../../helpers/commerce.js";
import { type SignedIn, signUp } from "../../helpers/customers.js";

/**
 * Broken object-level authorization walk: customer A, holding a valid session, names customer B's
 * objects on every /me route (taken from the route table, so a new route is walked too), on carts and
 * checkout, on merchant routes and through GraphQL lookups. Every answer is a 403/404 or A's own data,
 * and no answer carries anything of B's.
 */
const t = useTestApp();

interface Victim {
  customer: SignedIn;
  orderId: string;
  orderNumber: string;
  addressId: string;
  cartId: string;
  cartItemId: string;
  /** A public product B keeps among their favorites. */
  productId: string;
}

async function victim(): Promise<Victim> {
  const customer = await signUp(t, { name: "Bob Victim" });
  const product = await productWithStock(t, { price: 1200 });
  const ordered = (await t.request("POST", "/api/carts", { ...customer.as, body: { currency: "USD" } })).body.data;
  await t.request("POST", `/api/carts/${ordered.id}/items`, {
    ...customer.as,
    body: { entityId: product.id, quantity: 1 },
  });
  const placed = await t.request("POST", "/api/checkout", { ...customer.as, body: { cartId: ordered.id } });
  expect(placed.status, JSON.stringify(placed.body)).toBeLessThan(300);
  const order = await t.app.db.prisma.order.findFirstOrThrow({ where: { cartId: ordered.id } });
  await t.request("PATCH", `/api/orders/${order.id}/status`, { body: { status: "confirmed" } });
  const address = await t.request("POST", "/api/me/addresses", {
    ...customer.as,
    body: { line1: "Secret Lane 7", city: "Hidden", country: "NL" },
  });
  const cart = (await t.request("POST", "/api/carts", { ...customer.as, body: { currency: "USD" } })).body.data;
  const item = await t.request("POST", `/api/carts/${cart.id}/items`, {
    ...customer.as,
    body: { entityId: product.id, quantity: 2 },
  });
  expect(
    (await t.request("POST", "/api/me/favorites", { ...customer.as, body: { entityId: product.id } })).status,
  ).toBeLessThan(300);
  return {
    customer,
    orderId: order.id,
    orderNumber: order.number,
    addressId: address.body.data.id,
    cartId: cart.id,
    cartItemId: item.body.data.items[0].id,
    productId: product.id,
  };
}

/** Nothing of B's in an answer: ids, number, email, name, address. */
function expectNothingOf(b: Victim, res: Sent, label: string) {
  const text = JSON.stringify(res.body ?? "");
  for (const secret of [
    b.customer.id,
    b.customer.email,
    b.orderId,
    b.orderNumber,
    b.addressId,
    b.cartId,
    b.cartItemId,
    "Bob Victim",
    "Secret Lane",
  ]) {
    expect(text.includes(secret), `${label} leaks ${secret}: ${text.slice(0, 300)}`).toBe(false);
  }
}

const SAMPLE_BODIES: Record<string, unknown> = {
  "PATCH /me/profile": { name: "Alice A" },
  "POST /me/addresses": { line1: "Alice Street 1", city: "Open", country: "DE" },
};

describe("customer A against customer B's objects", () => {
  it("walks every /me route of the route table with B's ids", async () => {
    const b = await victim();
    const a = await signUp(t, { name: "Alice A" });
    const meRoutes = mainDialect.routes.filter((r) => r.path.startsWith("/me/"));
    expect(meRoutes.length).toBeGreaterThanOrEqual(10);
    const params: Record<string, string[]> = {
      id: [b.addressId],
      idOrNumber: [b.orderId, b.orderNumber],
      orderId: [b.orderId, b.orderNumber],
      // A public product, not B's object: A adds it to and removes it from A's own favorites only.
      entityId: [b.productId],
    };
    const publicParams = new Set(["entityId"]);
    const bodies: Record<string, unknown> = { ...SAMPLE_BODIES, "POST /me/favorites": { entityId: b.productId } };
    let walked = 0;
    for (const route of meRoutes) {
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const key = `${route.method} ${route.path}`;
      const paths = names.length
        ? names.flatMap((name) => (params[name] ?? []).map((value) => route.path.replace(`:${name}`, value)))
        : [route.path];
      expect(paths.length, `no B id for ${key}`).toBeGreaterThan(0);
      for (const path of paths) {
        const res = await t.request(route.method, `/api${path}`, {
          ...a.as,
          body: bodies[key] ?? (route.method === "GET" || route.method === "DELETE" ? undefined : {}),
        });
        walked++;
        if (names.some((name) => publicParams.has(name)))
          expect(res.status, `${route.method} ${path}`).toBeLessThan(300);
        else if (names.length) expect([403, 404], `${route.method} ${path}`).toContain(res.status);
        else expect(res.status, `${route.method} ${path}`).toBeLessThan(300);
        expectNothingOf(b, res, `${route.method} ${path}`);
      }
    }
    expect(walked).toBeGreaterThanOrEqual(meRoutes.length);
    // and B's things are untouched
    expect((await t.request("GET", "/api/me/addresses", b.customer.as)).body.data).toHaveLength(1);
    expect(
      (await t.request("GET", "/api/me/favorites", b.customer.as)).body.data.map((f: { id: string }) => f.id),
    ).toEqual([b.productId]);
    expect(await t.app.db.prisma.cart.count({ where: { customerId: a.id } })).toBe(0);
  });

  it("cannot see, change or check out B's cart", async () => {
    const b = await victim();
    const a = await signUp(t);
    const calls: [string, string, unknown?][] = [
      ["GET", `/api/carts/${b.cartId}`],
      ["POST", `/api/carts/${b.cartId}/items`, { entityId: b.cartItemId, quantity: 1 }],
      ["PATCH", `/api/carts/${b.cartId}/items/${b.cartItemId}`, { quantity: 5 }],
      ["DELETE", `/api/carts/${b.cartId}/items/${b.cartItemId}`],
      ["POST", `/api/carts/${b.cartId}/promotions`, { code: "ANY" }],
      ["DELETE", `/api/carts/${b.cartId}/promotions/ANY`],
    ];
    for (const [method, path, body] of calls) {
      for (const who of [a.as, { key: null }] as const) {
        const res = await t.request(method, path, { ...who, body });
        expect(res.status, `${method} ${path}`).toBe(404);
        expectNothingOf(b, res, `${method} ${path}`);
      }
    }
    const checkout = await t.request("POST", "/api/checkout", { ...a.as, body: { cartId: b.cartId } });
    expect(checkout.status).toBe(422);
    expect(checkout.body.error.details.reason).toBe("CART_NOT_FOUND");
    const cart = await t.app.db.prisma.cart.findUniqueOrThrow({ where: { id: b.cartId }, include: { items: true } });
    expect(cart).toMatchObject({ status: "active", customerId: b.customer.id });
    expect(cart.items.map((i) => i.quantity)).toEqual([2]);
    // a customer cannot create a cart in someone else's name either
    expect(
      (await t.request("POST", "/api/carts", { ...a.as, body: { currency: "USD", customerId: b.customer.id } })).status,
    ).toBe(403);
  });

  it("gets 403 on merchant routes and nothing of B's through GraphQL", async () => {
    const b = await victim();
    const a = await signUp(t);
    for (const path of [
      `/api/orders/${b.orderId}`,
      "/api/orders",
      `/api/orders/${b.orderId}/fulfillments`,
      "/api/audit",
      "/api/customer-groups",
    ]) {
      const res = await t.request("GET", path, a.as);
      expect(res.status, path).toBe(403);
      expectNothingOf(b, res, path);
    }
    const gql = async (query: string, variables: Record<string, unknown>) =>
      t.app
        .fetch(
          new Request("http://localhost/graphql", {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${a.token}` },
            body: JSON.stringify({ query, variables }),
          }),
        )
        .then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as any }));

    for (const id of [b.orderId, b.customer.id, b.cartId, b.addressId]) {
      const res = await gql(`query ($id: ID!) { node(id: $id) { id } }`, { id });
      expect(res.body.data.node, id).toBeNull();
      expectNothingOf(b, res, `node(${id})`);
    }
    for (const key of [b.orderId, b.orderNumber]) {
      const res = await gql(`query ($key: String!) { me { order(idOrNumber: $key) { id downloads { url } } } }`, {
        key,
      });
      expect(res.body.data.me.order).toBeNull();
      expectNothingOf(b, res, `me.order(${key})`);
    }
    const asMerchantLookup = await gql(`query ($id: ID!) { customer(id: $id) { email } order(id: $id) { id } }`, {
      id: b.customer.id,
    });
    expect(asMerchantLookup.body.errors.map((e: any) => e.extensions.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
    expectNothingOf(b, asMerchantLookup, "customer(id)");
    const cart = await gql(`query ($id: ID!) { cart(id: $id) { id } }`, { id: b.cartId });
    expect(cart.body.data.cart).toBeNull();
    const reorder = await gql(
      `mutation ($id: ID!) { reorder(input: { id: $id }) { __typename ... on Error { code } } }`,
      { id: b.orderId },
    );
    expect(reorder.body.data.reorder).toEqual({ __typename: "NotFoundError", code: "NOT_FOUND" });
    const removal = await gql(`mutation ($id: ID!) { deleteMyAddress(input: { id: $id }) { __typename } }`, {
      id: b.addressId,
    });
    expect(removal.body.data.deleteMyAddress.__typename).toBe("NotFoundError");
    // B's own session still sees B's order through node (a customer may look up their own objects)
    const own = await t.app.fetch(
      new Request("http://localhost/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${b.customer.token}` },
        body: JSON.stringify({
          query: `{ a: node(id: "${b.customer.id}") { id } b: node(id: "${b.orderId}") { id } }`,
        }),
      }),
    );
    expect(((await own.json()) as any).data).toEqual({ a: { id: b.customer.id }, b: { id: b.orderId } });
  });
});
