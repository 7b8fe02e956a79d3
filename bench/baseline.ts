/**
 * The baseline: the least a Node server can do to answer the benchmark's GraphQL query. A raw
 * node:http handler runs ONE SQL statement that builds the exact GraphQL response body with
 * json_build_object/json_agg, and writes PostgreSQL's text straight to the socket (no JSON.parse or
 * stringify in JavaScript).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { PRODUCT_COUNT } from "./seed.js";

/**
 * Same shape, order and filters as
 *   { catalogEntities(first: 20) { edges { node { id slug attributes(locale: "en") { title } variants { id sku } } } } }
 * for an anonymous caller: active entities of the store, newest first then id (the resolver's
 * default order); attributes ordered by locale; variants by position then createdAt.
 * `json` (not `jsonb`) keeps the keys in selection order.
 */
export const BASELINE_SQL = `
SELECT json_build_object('data', json_build_object('catalogEntities', json_build_object('edges',
  COALESCE(json_agg(json_build_object('node', json_build_object(
    'id', e.id,
    'slug', e.slug,
    'attributes', (
      SELECT COALESCE(json_agg(json_build_object('title', a.title) ORDER BY a.locale), '[]'::json)
      FROM catalog_attribute a WHERE a."entityId" = e.id AND a.locale = 'en'
    ),
    'variants', (
      SELECT COALESCE(json_agg(json_build_object('id', v.id, 'sku', v.sku) ORDER BY v.position, v."createdAt"), '[]'::json)
      FROM variant v WHERE v."entityId" = e.id
    )
  )) ORDER BY e."createdAt" DESC, e.id), '[]'::json)
)))::text AS body
FROM (
  SELECT id, slug, "createdAt" FROM catalog_entity
  WHERE "storeId" = $1 AND status = 'active'
  ORDER BY "createdAt" DESC, id
  LIMIT $2
) e`;

export interface BaselineServer {
  url: string;
  stop(): Promise<void>;
}

export async function startBaseline(options: {
  databaseUrl: string;
  schema: string;
  storeId: string;
  /** Same size as the app's pool (src/infra/db.ts), so neither side wins on connections. */
  poolSize: number;
}): Promise<BaselineServer> {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize,
    options: `-c search_path="${options.schema}"`,
  });
  const params = [options.storeId, PRODUCT_COUNT];

  const server = http.createServer((request, response) => {
    if (request.method !== "GET") {
      response.writeHead(405).end();
      return;
    }
    pool.query<{ body: string }>(BASELINE_SQL, params).then(
      ({ rows }) => {
        const body = rows[0]!.body;
        response.writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(body),
        });
        response.end(body);
      },
      (error: unknown) => {
        console.error("baseline query failed:", error);
        response.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
