import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../../../src/graphql/schema.js";
import { cartRoutes } from "../../../src/rest/dialects/main/carts.js";
import { checkoutRoutes } from "../../../src/rest/dialects/main/checkout.js";
import { type Sent, useTestApp } from "../../helpers/app.js";
import { checkoutBody, productWithStock } from "../../helpers/commerce.js";
import { signUp } from "../../helpers/customers.js";

/**
 * API keys are merchants, not shoppers: without a cart or order permission a key may not read, create,
 * change or check out any cart — a customer's or a guest's — on REST (every cart and checkout route of
 * the route table, so a new route is walked too) or GraphQL. Shoppers keep acting on their own carts.
 */
const t = useTestApp();

async function setUp() {
  const product = await productWithStock(t, { price: 1500, stock: 20 });
  const customer = await signUp(t, { name: "Carla Customer" });
  const customerCart = (
    await t.request("POST", "/api/carts", { ...customer.as, body: { currency: "USD", email: customer.email } })
  ).body.data;
  const added = await t.request("POST", `/api/carts/${customerCart.id}/items`, {
    ...customer.as,
    body: { entityId: product.id, quantity: 2 },
  });
  expect(added.status).toBe(201);
  const guestCart = (
    await t.request("POST", "/api/carts", { key: null, body: { currency: "USD", email: "guest@example.com" } })
  ).body.data;
  const guestAdded = await t.request("POST", `/api/carts/${guestCart.id}/items`, {
    key: null,
    body: { entityId: product.id, quantity: 1 },
  });
  expect(guestAdded.status).toBe(201);
  return {
    product,
    customer,
    carts: [
      { id: customerCart.id as string, itemId: added.body.data.items[0].id as string, owner: customer.as },
      {
        id: guestCart.id as string,
        itemId: guestAdded.body.data.items[0].id as string,
        owner: { key: null, headers: {} as Record<string, string> },
      },
    ],
  };
}

/** What a cart looks like to its owner (to show a refused request changed nothing). */
const snapshot = async (cart: { id: string; owner: object }) => {
  const res = await t.request("GET", `/api/carts/${cart.id}`, cart.owner);
  expect(res.status).toBe(200);
  const { status, promotionCodes, items, totals } = res.body.data;
  return { status, promotionCodes, items, totals };
};

function expectNoCartData(res: Sent, label: string, secrets: string[]) {
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(403);
  expect(res.body.error.code, label).toBe("FORBIDDEN");
  const text = JSON.stringify(res.body);
  for (const secret of secrets) expect(text.includes(secret), `${label} leaks ${secret}`).toBe(false);
}

describe("API keys without cart or order permissions", () => {
  it("get 403 on every cart and checkout route of the route table, for customers' and guests' carts, and change nothing", async () => {
    const { product, customer, carts } = await setUp();
    const routes = [...cartRoutes, ...checkoutRoutes];
    expect(routes.length).toBeGreaterThanOrEqual(8);
    const before = await Promise.all(carts.map(snapshot));
    const ordersBefore = (await t.request("GET", "/api/orders?limit=100")).body.meta.pagination.total;
    const cartsBefore = (await t.request("GET", "/api/audit?event=carts.create&limit=1")).body.meta.pagination.total;

    // A catalog key (the finding), and a key holding every cart permission but no order permission,
    // which may use carts but not check them out.
    const catalogKey = await t.createKey(["catalog:create", "catalog:update"]);
    const cartsOnlyKey = await t.createKey(["carts:*"]);
    const bodies: Record<string, (cart: (typeof carts)[number]) => unknown> = {
      "POST /carts": () => ({ currency: "USD" }),
      "POST /carts/:id/items": () => ({ entityId: product.id, quantity: 1 }),
      "PATCH /carts/:id/items/:itemId": () => ({ quantity: 5 }),
      "POST /carts/:id/promotions": () => ({ code: "ANYCODE" }),
      "POST /checkout": (cart) => checkoutBody(cart.id),
    };
    let walked = 0;
    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      const keys = route.tag === "Checkout" ? [catalogKey, cartsOnlyKey] : [catalogKey];
      for (const cart of carts) {
        const params: Record<string, string> = { id: cart.id, itemId: cart.itemId, code: "ANYCODE" };
        const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
          expect(params[name], `no value for :${name} of ${label}`).toBeDefined();
          return params[name]!;
        });
        const body = bodies[label]?.(cart) ?? (route.body ? route.body.example : undefined);
        for (const key of keys) {
          const res = await t.request(route.method, `/api${path}`, { key, body });
          expectNoCartData(res, `${label} (${cart.id === carts[0]!.id ? "customer" : "guest"} cart)`, [
            customer.email,
            "guest@example.com",
            cart.itemId,
          ]);
          walked++;
        }
      }
    }
    expect(walked).toBeGreaterThanOrEqual(routes.length * carts.length);

    // Nothing changed: the carts are as they were, no order and no cart was created.
    expect(await Promise.all(carts.map(snapshot))).toEqual(before);
    expect((await t.request("GET", "/api/orders?limit=100")).body.meta.pagination.total).toBe(ordersBefore);
    expect((await t.request("GET", "/api/audit?event=carts.create&limit=1")).body.meta.pagination.total).toBe(
      cartsBefore,
    );
  });

  it("get FORBIDDEN on every GraphQL field that reads, changes or checks out carts", async () => {
    const { product, customer, carts } = await setUp();
    const [cart] = carts;
    const key = await t.createKey(["catalog:create", "catalog:update"]);
    // Every root field that returns a cart or a checkout, or acts on a cart id, found in the schema (so
    // a new field is walked too), called with well-formed arguments naming the customer's cart. reorder
    // makes a cart only for the signed-in customer and is walked with the /me routes.
    const fields = cartFields().filter((f) => f.field.name !== "reorder");
    expect(fields.map((f) => f.field.name)).toEqual(
      expect.arrayContaining([
        "cart",
        "createCart",
        "addCartItem",
        "updateCartItem",
        "removeCartItem",
        "applyCartPromotion",
        "removeCartPromotion",
        "checkout",
      ]),
    );
    const ids: Record<string, string> = { cartId: cart!.id, id: cart!.id, itemId: cart!.itemId, entityId: product.id };
    const before = await snapshot(cart!);
    for (const { root, field } of fields) {
      const { query, variables } = operationFor(root, field, ids);
      const res = await t.graphql(query, variables, key);
      expect(
        res.body.errors?.map((e: any) => e.extensions?.code),
        `${field.name}: ${JSON.stringify(res.body)}`,
      ).toEqual(["FORBIDDEN"]);
      expect(res.body.data?.[field.name] ?? null, field.name).toBeNull();
      expect(JSON.stringify(res.body).includes(customer.email), field.name).toBe(false);
    }
    expect(await snapshot(cart!)).toEqual(before);
  });
});

describe("API keys with cart and order permissions, and shoppers", () => {
  it("act on carts with carts:create/read/update and check out with orders:create", async () => {
    const { customer, carts } = await setUp();
    const [customerCart, guestCart] = carts;
    const reader = await t.createKey(["carts:read"]);
    expect((await t.request("GET", `/api/carts/${customerCart!.id}`, { key: reader })).body.data.email).toBe(
      customer.email,
    );
    expect(
      (
        await t.request("PATCH", `/api/carts/${guestCart!.id}/items/${guestCart!.itemId}`, {
          key: reader,
          body: { quantity: 2 },
        })
      ).status,
    ).toBe(403);
    expect((await t.request("POST", "/api/carts", { key: reader, body: { currency: "USD" } })).status).toBe(403);

    const creator = await t.createKey(["carts:create"]);
    expect((await t.request("POST", "/api/carts", { key: creator, body: { currency: "USD" } })).status).toBe(201);

    const updater = await t.createKey(["carts:update"]);
    const patched = await t.request("PATCH", `/api/carts/${guestCart!.id}/items/${guestCart!.itemId}`, {
      key: updater,
      body: { quantity: 2 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data.items[0].quantity).toBe(2);

    const seller = await t.createKey(["orders:create"]);
    const placed = await t.request("POST", "/api/checkout", { key: seller, body: checkoutBody(customerCart!.id) });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.data).toMatchObject({ cartId: customerCart!.id, customerId: customer.id });
  });

  it("leave guests and customers working on their own carts without any key", async () => {
    const { customer, carts } = await setUp();
    const [customerCart, guestCart] = carts;
    for (const cart of [customerCart!, guestCart!]) {
      expect(
        (
          await t.request("PATCH", `/api/carts/${cart.id}/items/${cart.itemId}`, {
            ...cart.owner,
            body: { quantity: 3 },
          })
        ).status,
      ).toBe(200);
      const headers = { ...cart.owner.headers, "idempotency-key": cart.id };
      const placed = await t.request("POST", "/api/checkout", { ...cart.owner, body: checkoutBody(cart.id), headers });
      expect(
        placed.status,
        `${cart.id === customerCart!.id ? "customer" : "guest"} ${JSON.stringify(placed.body)}`,
      ).toBe(201);
      expect(placed.body.data.lines[0].quantity).toBe(3);
    }
    // and a customer's cart stays theirs: a guest does not see it
    expect((await t.request("GET", `/api/carts/${customerCart!.id}`, { key: null })).status).toBe(404);
    expect((await t.request("GET", `/api/carts/${customerCart!.id}`, customer.as)).status).toBe(200);
  });
});

type Root = "query" | "mutation";

/**
 * Root fields whose result is (or carries, two levels down) a Cart or a checkout, or that act on a cart
 * (a required cart id; a merchant reservation may merely mention one).
 */
function cartFields(): { root: Root; field: GraphQLField<unknown, unknown> }[] {
  const mentionsCart = (type: GraphQLNamedType, depth = 0, seen = new Set<string>()): boolean => {
    if (seen.has(type.name)) return false;
    seen.add(type.name);
    if (type.name === "Cart" || type.name === "CompletedCheckout") return true;
    if (isUnionType(type)) return type.getTypes().some((member) => mentionsCart(member, depth, seen));
    if (isObjectType(type) && depth < 2) {
      return Object.values(type.getFields()).some((f) => mentionsCart(getNamedType(f.type), depth + 1, seen));
    }
    return false;
  };
  const takesCartId = (field: GraphQLField<unknown, unknown>) =>
    field.args.some((arg) => {
      const type = getNamedType(arg.type);
      const cartId = isInputObjectType(type) ? type.getFields().cartId : undefined;
      return arg.name === "cartId" || (cartId !== undefined && isNonNullType(cartId.type));
    });
  const roots: [Root, GraphQLObjectType][] = [
    ["query", schema.getQueryType()!],
    ["mutation", schema.getMutationType()!],
  ];
  return roots.flatMap(([root, type]) =>
    Object.values(type.getFields())
      .filter((field) => mentionsCart(getNamedType(field.type)) || takesCartId(field))
      .map((field) => ({ root, field })),
  );
}

/** A well-formed operation calling one root field: required arguments filled in, ids by their names. */
function operationFor(root: Root, field: GraphQLField<unknown, unknown>, ids: Record<string, string>) {
  const sample = (type: GraphQLInputType, name: string): unknown => {
    if (isNonNullType(type)) return sample(type.ofType, name);
    if (isListType(type)) return [sample(type.ofType, name)];
    if (isInputObjectType(type)) {
      return Object.fromEntries(
        Object.values(type.getFields())
          .filter((f) => isNonNullType(f.type))
          .map((f) => [f.name, sample(f.type, f.name)]),
      );
    }
    if (isEnumType(type)) return type.getValues()[0]!.value;
    if (ids[name]) return ids[name];
    switch (type.name) {
      case "Int":
      case "Float":
        return 1;
      case "Boolean":
        return false;
      case "JSONObject":
        return {};
      case "DateTime":
        return new Date().toISOString();
      default:
        return { currency: "USD", country: "US", email: "walker@example.com", code: "ANYCODE" }[name] ?? "sample-value";
    }
  };
  const declarations = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(", ");
  const argumentList = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
  const selection = isLeafType(getNamedType(field.type)) ? "" : "{ __typename }";
  const query = `${root}${declarations ? ` (${declarations})` : ""} { ${field.name}${argumentList ? `(${argumentList})` : ""} ${selection} }`;
  const variables = Object.fromEntries(field.args.map((arg) => [arg.name, sample(arg.type, arg.name)]));
  return { query, variables };
}
