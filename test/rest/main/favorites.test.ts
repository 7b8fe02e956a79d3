import { describe, expect, it } from "vitest";
import { useTestApp } from "../../helpers/app.js";
import { signUp } from "../../helpers/customers.js";
import { ok, product } from "../../helpers/storefront.js";

const t = useTestApp();

describe("favorites (seed 004): /api/me/favorites and me.favorites", () => {
  it("adds idempotently, lists the products newest first, removes idempotently", async () => {
    const me = await signUp(t);
    const tote = await product(t, { title: "Linen Tote" });
    const mug = await product(t, { title: "Mug" });

    const first = await t.request("POST", "/api/me/favorites", { ...me.as, body: { entityId: tote.id } });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ entityId: tote.id, favorited: true });
    const again = await t.request("POST", "/api/me/favorites", { ...me.as, body: { entityId: tote.id } });
    expect(again.status).toBe(201);
    expect(again.body.data.addedAt).toBe(first.body.data.addedAt);
    await ok(t, "POST", "/api/me/favorites", { ...me.as, body: { entityId: mug.id } });

    const list = await t.request("GET", "/api/me/favorites", me.as);
    expect(list.status).toBe(200);
    expect(list.body.data.map((e: any) => e.id)).toEqual([mug.id, tote.id]);
    expect(list.body.data[1]).toMatchObject({
      slug: tote.slug,
      localized: { title: "Linen Tote" },
      price: { amount: 1000, currency: "USD" },
    });
    expect(list.body.meta.pagination.total).toBe(2);

    const removed = await t.request("DELETE", `/api/me/favorites/${tote.id}`, me.as);
    expect(removed.status).toBe(200);
    expect(removed.body.data).toMatchObject({ entityId: tote.id, favorited: false });
    expect((await t.request("DELETE", `/api/me/favorites/${tote.id}`, me.as)).status).toBe(200);
    expect((await t.request("GET", "/api/me/favorites", me.as)).body.data.map((e: any) => e.id)).toEqual([mug.id]);
  });

  it("keeps each customer's favorites to themselves", async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const item = await product(t);
    await ok(t, "POST", "/api/me/favorites", { ...a.as, body: { entityId: item.id } });
    expect((await t.request("GET", "/api/me/favorites", b.as)).body.data).toEqual([]);
  });

  it("is 401 without a customer session (merchant keys too), 404 for an unknown or inactive product, 422 without entityId", async () => {
    const item = await product(t);
    expect((await t.request("GET", "/api/me/favorites", { key: null })).status).toBe(401);
    expect((await t.request("POST", "/api/me/favorites", { body: { entityId: item.id } })).status).toBe(401);
    const me = await signUp(t);
    expect(
      (
        await t.request("POST", "/api/me/favorites", {
          ...me.as,
          body: { entityId: "00000000-0000-4000-8000-000000000000" },
        })
      ).status,
    ).toBe(404);
    const draft = await ok(t, "POST", "/api/catalog/entities", {
      body: { type: "product", slug: `draft-${Date.now()}` },
    });
    expect((await t.request("POST", "/api/me/favorites", { ...me.as, body: { entityId: draft.id } })).status).toBe(404);
    const missing = await t.request("POST", "/api/me/favorites", { ...me.as, body: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("hides a favorite whose product went off the shelf, and shows it again when it is back", async () => {
    const me = await signUp(t);
    const item = await product(t);
    await ok(t, "POST", "/api/me/favorites", { ...me.as, body: { entityId: item.id } });
    await ok(t, "POST", `/api/catalog/entities/${item.id}/archive`, { body: {} });
    expect((await t.request("GET", "/api/me/favorites", me.as)).body.data).toEqual([]);
    await ok(t, "POST", `/api/catalog/entities/${item.id}/publish`, { body: {} });
    expect((await t.request("GET", "/api/me/favorites", me.as)).body.data.map((e: any) => e.id)).toEqual([item.id]);
  });

  it("works the same in GraphQL: addFavorite, removeFavorite, me.favorites", async () => {
    const me = await signUp(t);
    const item = await product(t, { title: "Scarf" });
    const gql = (query: string, variables: Record<string, unknown> = {}) =>
      t.request("POST", "/graphql", { ...me.as, body: { query, variables } });
    const add = await gql(
      `mutation ($id: ID!) { addFavorite(input: { entityId: $id }) { ... on AddFavoritePayload { favorite { entityId favorited } } } }`,
      { id: item.id },
    );
    expect(add.body.data.addFavorite.favorite).toEqual({ entityId: item.id, favorited: true });
    const list = await gql(`{ me { favorites(first: 10) { totalCount edges { node { id localized { title } } } } } }`);
    expect(list.body.data.me.favorites).toEqual({
      totalCount: 1,
      edges: [{ node: { id: item.id, localized: { title: "Scarf" } } }],
    });
    await gql(`mutation ($id: ID!) { removeFavorite(input: { entityId: $id }) { __typename } }`, { id: item.id });
    expect((await gql(`{ me { favorites { totalCount } } }`)).body.data.me.favorites.totalCount).toBe(0);
    const anonymous = await t.graphql(
      `mutation ($id: ID!) { addFavorite(input: { entityId: $id }) { __typename } }`,
      { id: item.id },
      null,
    );
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHORIZED");
  });
});
