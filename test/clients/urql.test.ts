/**
 * A team's first journey with a real GraphQL client (urql's core, no framework) over HTTP on a port:
 * a nested query in one request, and Relay paging forwards (first/after) and backwards (last/before).
 */
import { Client, fetchExchange, gql } from "@urql/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";

const t = useTestApp();
let client: Client;
const slugs: string[] = [];

beforeAll(async () => {
  const { url } = await t.app.start();
  client = new Client({
    url: `${url}/graphql`,
    exchanges: [fetchExchange],
    fetchOptions: { headers: { "x-api-key": ADMIN_KEY } },
    requestPolicy: "network-only",
  });
  // Five products through REST, oldest first: the list's default order is newest first.
  for (let i = 1; i <= 5; i++) {
    const slug = `client-tote-${i}`;
    const created = await t.request("POST", "/api/catalog/entities", {
      body: { type: "product", slug, status: "active" },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    await t.request("PUT", `/api/catalog/entities/${id}/attributes/en`, { body: { title: `Tote ${i}` } });
    await t.request("POST", "/api/pricing/prices", { body: { entityId: id, currency: "USD", amount: 1000 * i } });
    slugs.unshift(slug);
  }
});
afterAll(async () => {
  await t.app.stop();
});

const PAGE = gql`
  query Page($first: Int, $after: String, $last: Int, $before: String) {
    catalogEntities(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { slug } }
    }
  }
`;

describe("urql (@urql/core) over HTTP", () => {
  it("runs a nested query: entities with their attributes, prices and price", async () => {
    const result = await client
      .query(
        gql`
          query Nested {
            catalogEntities(first: 2) {
              edges { node { id slug attributes(locale: "en") { title } prices { amount currency } price(currency: "USD") { amount } } }
            }
          }
        `,
        {},
      )
      .toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data.catalogEntities.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({
        slug: "client-tote-5",
        attributes: [{ title: "Tote 5" }],
        prices: [{ amount: 5000, currency: "USD" }],
        price: { amount: 5000 },
      }),
      expect.objectContaining({
        slug: "client-tote-4",
        attributes: [{ title: "Tote 4" }],
        prices: [{ amount: 4000, currency: "USD" }],
        price: { amount: 4000 },
      }),
    ]);
  });

  it("pages forwards with first/after to the end of the list", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let round = 0; round < 10; round++) {
      const result: any = await client.query(PAGE, { first: 2, after }).toPromise();
      expect(result.error).toBeUndefined();
      const connection = result.data.catalogEntities;
      expect(connection.totalCount).toBe(5);
      seen.push(...connection.edges.map((e: any) => e.node.slug));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(slugs);
  });

  it("pages backwards with last/before from the end of the list", async () => {
    const seen: string[] = [];
    let before: string | null = null;
    for (let round = 0; round < 10; round++) {
      // The first backward page is `last` alone: the end of the list (Relay allows it).
      const result: any = await client.query(PAGE, { last: 2, before }).toPromise();
      expect(result.error).toBeUndefined();
      const connection = result.data.catalogEntities;
      seen.unshift(...connection.edges.map((e: any) => e.node.slug));
      if (!connection.pageInfo.hasPreviousPage) break;
      before = connection.pageInfo.startCursor;
    }
    expect(seen).toEqual(slugs);
  });

  it("reports a refused cursor as a GraphQL error the client surfaces", async () => {
    const result = await client.query(PAGE, { first: 2, after: "not-a-cursor" }).toPromise();
    expect(result.error?.graphQLErrors[0]?.extensions?.code).toBe("VALIDATION_FAILED");
  });
});
