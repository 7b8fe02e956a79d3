import { beforeAll, describe, expect, it } from "vitest";
import { projectsDialect } from "../../../src/rest/dialects/projects/index.js";
import { useTestApp } from "../../helpers/app.js";
import { ADDRESS, createProject, type Project, productOf, storefront } from "./project.js";

// Two projects, each with its own keys, catalog, cart and order: A's keys reach nothing of B's on any
// dialect (seed 003's, seed 002's, storefront v1's) nor through GraphQL.
const t = useTestApp();
let a: Project;
let b: Project;
const of: Record<string, string> = {};

beforeAll(async () => {
  a = await createProject(t, "project-a");
  b = await createProject(t, "project-b");
  of.productA = await productOf(t, a, { slug: "same-slug", price: 1000 });
  of.productB = await productOf(t, b, { slug: "same-slug", price: 2000 });
  const sfB = storefront(t, b.slug, b.publishableKey);
  expect(
    (await sfB("POST", "/cart/shared-client-id/items", { body: { productId: of.productB, quantity: 1 } })).status,
  ).toBe(200);
  expect(
    (await sfB("POST", "/cart/b-checked-out-1/items", { body: { productId: of.productB, quantity: 1 } })).status,
  ).toBe(200);
  const placed = await sfB("POST", "/checkout", {
    body: { cartId: "b-checked-out-1", email: "bea@example.com", shippingAddress: ADDRESS },
  });
  expect(placed.status).toBe(201);
  of.orderB = placed.body.order.id;
  const cart = await t.graphql(`query { clientCart(id: "shared-client-id") { cart { id } } }`, {}, b.secretKey);
  of.cartB = cart.body.data.clientCart.cart.id;
});

/** Every route of seed 003's table with its path parameters filled in (a new route is walked too). */
const projectRoutes = projectsDialect({ prisma: undefined as never, verifyToken: async () => null }).routes.map(
  (route) => ({
    method: route.method,
    path: route.path
      .replace(":projectSlug/ecommerce", "")
      .replace(":cartId", "shared-client-id")
      .replace(":itemId", "00000000-0000-4000-8000-000000000000")
      .replace(":slug", "same-slug")
      .replace(":id", "ORDER"),
    body: route.body
      ? { cartId: "shared-client-id", productId: "PRODUCT", quantity: 1, code: "X", email: "bea@example.com" }
      : undefined,
  }),
);

describe("seed 003's dialect", () => {
  it("refuses a key of project A on every route of project B (403), by header or by token", async () => {
    expect(projectRoutes.length).toBe(13);
    for (const key of [a.publishableKey, a.secretKey]) {
      for (const route of projectRoutes) {
        const path = route.path.replace("ORDER", of.orderB!).replace(/\?|$/, "?email=bea%40example.com&");
        const body = route.body && JSON.parse(JSON.stringify(route.body).replace("PRODUCT", of.productB!));
        const byHeader = await storefront(t, b.slug, key)(route.method, path.replace(/^\/\//, "/"), { body });
        expect(byHeader.status, `${route.method} ${route.path}`).toBe(403);
        expect(byHeader.body).toMatchObject({ success: false, error: { code: "FORBIDDEN" } });
      }
      const byToken = await storefront(t, b.slug, null)("GET", `/products?token=${encodeURIComponent(key)}`);
      expect(byToken.status).toBe(403);
    }
  });

  it("gives each project its own carts: the same client id names another cart, and orders by email stay apart", async () => {
    const sfA = storefront(t, a.slug, a.publishableKey);
    const cartInA = await sfA("GET", "/cart/shared-client-id");
    expect(cartInA.body.cart).toMatchObject({ items: [], created_at: null });
    const added = await sfA("POST", "/cart/shared-client-id/items", { body: { productId: of.productA, quantity: 1 } });
    expect(added.body.cart.items.map((i: { product_id: string }) => i.product_id)).toEqual([of.productA]);
    // B's product cannot go into A's cart.
    expect(
      (await sfA("POST", "/cart/shared-client-id/items", { body: { productId: of.productB, quantity: 1 } })).status,
    ).toBe(422);
    const bCart = await storefront(t, b.slug, b.publishableKey)("GET", "/cart/shared-client-id");
    expect(bCart.body.cart.items.map((i: { product_id: string }) => i.product_id)).toEqual([of.productB]);

    expect((await sfA("GET", "/orders?email=bea%40example.com")).body).toMatchObject({ orders: [], total: 0 });
    expect((await sfA("GET", `/orders/${of.orderB}?email=bea%40example.com`)).status).toBe(404);
    expect((await sfA("GET", "/products/same-slug")).body.product.id).toBe(of.productA);
  });
});

describe("seed 002's dialect and GraphQL", () => {
  it("show A's keys nothing of B", async () => {
    for (const key of [a.secretKey, a.publishableKey]) {
      expect((await t.request("GET", `/api/catalog/entities/${of.productB}`, { key })).status).toBe(404);
      expect((await t.request("GET", `/api/carts/${of.cartB}`, { key })).status).toBe(404);
      const list = await t.request("GET", "/api/catalog/entities", { key });
      expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([of.productA]);
    }
    expect((await t.request("GET", `/api/orders/${of.orderB}`, { key: a.secretKey })).status).toBe(404);
    expect(
      (
        await t.request("POST", `/api/carts/${of.cartB}/items`, {
          key: a.publishableKey,
          body: { entityId: of.productA, quantity: 1 },
        })
      ).status,
    ).toBe(404);

    const graphql = await t.graphql(
      `query ($order: ID!, $product: ID!, $cart: ID!) {
        order: node(id: $order) { id } product: node(id: $product) { id } cart(id: $cart) { id }
        ordersByEmail(email: "bea@example.com") { totalCount }
        orderByEmail(id: $order, email: "bea@example.com") { id }
        clientCart(id: "b-checked-out-1") { cart { id } }
        stores { edges { node { slug } } }
      }`,
      { order: of.orderB, product: of.productB, cart: of.cartB },
      a.secretKey,
    );
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data).toEqual({
      order: null,
      product: null,
      cart: null,
      ordersByEmail: { totalCount: 0 },
      orderByEmail: null,
      clientCart: { cart: null },
      stores: { edges: [{ node: { slug: "project-a" } }] },
    });
  });
});

describe("storefront v1's dialect", () => {
  it("refuses A's key on B's store", async () => {
    for (const path of [`/stores/${b.slug}/products`, `/stores/${b.slug}/carts`]) {
      const method = path.endsWith("carts") ? "POST" : "GET";
      const res = await t.request(method, `/api/storefront/v1${path}`, {
        key: null,
        headers: { authorization: `Bearer ${a.secretKey}` },
        body: method === "POST" ? {} : undefined,
      });
      expect(res.status, path).toBe(403);
    }
  });
});
