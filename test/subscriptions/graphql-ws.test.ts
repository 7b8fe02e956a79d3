import { createClient } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";

const t = useTestApp();
let url: string;

beforeAll(async () => {
  url = `${(await t.app.start()).url.replace(/^http/, "ws")}/graphql`;
});
afterAll(async () => {
  await t.app.stop();
});

function run(connectionParams: Record<string, unknown>, query: string) {
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  return new Promise<{ data?: any; errors?: any }>((resolve, reject) => {
    let result: { data?: any; errors?: any } = {};
    client.subscribe(
      { query },
      {
        next: (value) => void (result = value as typeof result),
        error: (error) => {
          void client.dispose();
          reject(error);
        },
        complete: () => {
          void client.dispose();
          resolve(result);
        },
      },
    );
  });
}

describe("graphql-ws on /graphql", () => {
  it("runs operations over a WebSocket with the same auth as HTTP", async () => {
    const created = await run(
      { apiKey: ADMIN_KEY },
      `mutation { createCatalogEntity(input: { type: "product", slug: "over-ws", status: active }) {
         __typename ... on CreateCatalogEntityPayload { entity { slug } } } }`,
    );
    expect(created.data.createCatalogEntity).toEqual({
      __typename: "CreateCatalogEntityPayload",
      entity: { slug: "over-ws" },
    });
    const anonymous = await run(
      {},
      `mutation { createCatalogEntity(input: { type: "product", slug: "anon-ws" }) { __typename } }`,
    );
    expect(anonymous.errors[0].extensions.code).toBe("UNAUTHORIZED");
    const read = await run({}, `{ catalogEntity(slug: "over-ws") { slug } }`);
    expect(read.data.catalogEntity).toEqual({ slug: "over-ws" });
  });

  it("closes the connection for an invalid key", async () => {
    await expect(run({ authorization: "Bearer nope" }, "{ __typename }")).rejects.toMatchObject({ code: 4403 });
  });

  it("serves GraphQL over HTTP on the same port", async () => {
    const res = await fetch(url.replace(/^ws/, "http"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ catalogEntity(slug: "over-ws") { slug } }` }),
    });
    expect((await res.json()).data.catalogEntity.slug).toBe("over-ws");
    const health = await fetch(url.replace(/^ws/, "http").replace("/graphql", "/api/health"));
    expect(health.status).toBe(200);
  });
});
