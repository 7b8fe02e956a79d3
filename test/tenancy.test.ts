import { describe, expect, it } from "vitest";
import { useTestApp } from "./helpers/app.js";
import { createStore } from "./helpers/merchant.js";

const t = useTestApp();

describe("stores", () => {
  it("keep one store's catalog out of reach of another store's keys", async () => {
    const other = await createStore(t, { slug: "store-b", name: "Store B" });
    const keyB = await t.createKey(["catalog:*"], other.id);
    const keyA = await t.createKey(["catalog:*"]);
    const entityA = (
      await t.request("POST", "/api/catalog/entities", { key: keyA, body: { type: "product", slug: "shared-slug" } })
    ).body.data;

    // B may reuse A's slug: slugs are unique per store
    const entityB = await t.request("POST", "/api/catalog/entities", {
      key: keyB,
      body: { type: "product", slug: "shared-slug" },
    });
    expect(entityB.status).toBe(201);

    expect((await t.request("GET", `/api/catalog/entities/${entityA.id}`, { key: keyB })).status).toBe(404);
    expect(
      (await t.request("PATCH", `/api/catalog/entities/${entityA.id}`, { key: keyB, body: { slug: "stolen" } })).status,
    ).toBe(404);
    expect((await t.request("DELETE", `/api/catalog/entities/${entityA.id}`, { key: keyB })).status).toBe(404);
    expect((await t.request("POST", `/api/catalog/entities/${entityA.id}/publish`, { key: keyB })).status).toBe(404);
    expect(
      (await t.request("PUT", `/api/catalog/entities/${entityA.id}/attributes/en`, { key: keyB, body: { title: "x" } }))
        .status,
    ).toBe(404);
    const listB = await t.request("GET", "/api/catalog/entities", { key: keyB });
    expect(listB.body.data.map((e: { id: string }) => e.id)).toEqual([entityB.body.data.id]);
    const node = await t.graphql(`query ($id: ID!) { node(id: $id) { id } }`, { id: entityA.id }, keyB);
    expect(node.body.data.node).toBeNull();

    const categoryA = (await t.request("POST", "/api/catalog/categories", { key: keyA, body: { name: "A only" } })).body
      .data;
    expect(
      (
        await t.request("POST", `/api/catalog/entities/${entityB.body.data.id}/categories/${categoryA.id}`, {
          key: keyB,
        })
      ).status,
    ).toBe(404);
    expect(
      (await t.request("PATCH", `/api/catalog/categories/${categoryA.id}`, { key: keyB, body: { name: "x" } })).status,
    ).toBe(404);
    const childOfA = await t.request("POST", "/api/catalog/categories", {
      key: keyB,
      body: { name: "Sneaky", parentId: categoryA.id },
    });
    expect(childOfA.status).toBe(422);
  });
});

describe("API keys", () => {
  it("are created with a one-time secret, listed without it, limited to the creator's permissions, and revocable", async () => {
    const created = await t.request("POST", "/api/api-keys", {
      body: { name: "editor", permissions: ["catalog:create"] },
    });
    expect(created.status).toBe(201);
    const { secret, apiKey } = created.body.data;
    expect(secret).toMatch(/^cg_/);
    const listed = await t.request("GET", "/api/api-keys");
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body.data.map((k: { id: string }) => k.id)).toContain(apiKey.id);
    const stored = await t.app.db.prisma.apiKey.findUnique({ where: { id: apiKey.id } });
    expect(stored?.hash).not.toContain(secret);

    expect(
      (await t.request("POST", "/api/catalog/entities", { key: secret, body: { type: "product", slug: "by-new-key" } }))
        .status,
    ).toBe(201);

    const manager = await t.createKey(["apiKeys:manage"]);
    const escalate = await t.request("POST", "/api/api-keys", {
      key: manager,
      body: { name: "root", permissions: ["*:*"] },
    });
    expect(escalate.status).toBe(422);
    expect(escalate.body.error.details[0].path).toBe("permissions");
    const malformed = await t.request("POST", "/api/api-keys", { body: { name: "bad", permissions: ["everything"] } });
    expect(malformed.status).toBe(422);

    expect((await t.request("DELETE", `/api/api-keys/${apiKey.id}`)).status).toBe(200);
    t.app.authenticator.forget();
    expect((await t.request("GET", "/api/catalog/entities", { key: secret })).status).toBe(401);
  });
});
