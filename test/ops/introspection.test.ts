import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { workerDatabase } from "../helpers/database.js";

const INTROSPECTION = `{ __schema { queryType { name } } }`;

let on: App;
let off: App;

beforeAll(async () => {
  const db = await workerDatabase();
  // Production both times: only GRAPHQL_INTROSPECTION differs.
  on = await buildApp(
    { ...loadConfig({ LOG_LEVEL: "silent", NODE_ENV: "production", GRAPHQL_INTROSPECTION: "true" }), port: 0 },
    { db },
  );
  off = await buildApp({ ...loadConfig({ LOG_LEVEL: "silent", NODE_ENV: "production" }), port: 0 }, { db });
});
afterAll(async () => {
  await on?.stop();
  await off?.stop();
});

async function ask(app: App, query: string) {
  const res = await app.fetch(
    new Request("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    }),
  );
  return { status: res.status, body: await res.json() };
}

describe("GRAPHQL_INTROSPECTION", () => {
  it("defaults to off in production and on elsewhere; the variable overrides either", () => {
    expect(loadConfig({ NODE_ENV: "production" }).graphqlIntrospection).toBe(false);
    expect(loadConfig({ NODE_ENV: "development" }).graphqlIntrospection).toBe(true);
    expect(loadConfig({ NODE_ENV: "test" }).graphqlIntrospection).toBe(true);
    expect(loadConfig({ NODE_ENV: "production", GRAPHQL_INTROSPECTION: "true" }).graphqlIntrospection).toBe(true);
    expect(loadConfig({ NODE_ENV: "development", GRAPHQL_INTROSPECTION: "false" }).graphqlIntrospection).toBe(false);
  });

  it("answers introspection when on", async () => {
    const { status, body } = await ask(on, INTROSPECTION);
    expect(status).toBe(200);
    expect(body.data.__schema.queryType.name).toBe("Query");
  });

  it("refuses introspection when off, and still answers ordinary queries", async () => {
    const refused = await ask(off, INTROSPECTION);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors.length).toBeGreaterThan(0);
    const ordinary = await ask(off, `{ __typename }`);
    expect(ordinary.body.data).toEqual({ __typename: "Query" });
    expect(ordinary.body.errors).toBeUndefined();
  });
});
