import type { GraphQLSchema } from "graphql";
import type { CompiledDialect } from "../../dialect.js";
import { addOperation, completeOperations, pathParameter, queryParameter, requestBodySchema } from "../../openapi.js";
import type { QueryParamSpec } from "../../route.js";
import { CATEGORY_SCHEMA } from "./catalog.js";
import type { ProjectsRoute } from "./route.js";

type Json = Record<string, unknown>;

/** Our input's JSON Schema in the seed's field names (productId, postal_code). */
function seedInput(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(seedInput);
  if (!schema || typeof schema !== "object") return schema;
  const name = (n: string) => ({ entityId: "productId", postalCode: "postal_code" })[n] ?? n;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties")
      out.properties = Object.fromEntries(Object.entries(value as Json).map(([n, s]) => [name(n), seedInput(s)]));
    else if (key === "required") out.required = (value as string[]).map(name);
    else out[key] = seedInput(value);
  }
  return out;
}

const ERROR = { $ref: "#/components/responses/Error" };

function operation(schema: GraphQLSchema, dialect: CompiledDialect, route: CompiledDialect["routes"][number]) {
  const spec = route.spec as ProjectsRoute;
  const pathParams = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const query: Record<string, QueryParamSpec> = {
    ...(spec.paginated
      ? {
          page: { type: "integer", minimum: 1, description: "Page number (default 1).", example: 1 },
          limit: {
            type: "integer",
            minimum: 1,
            description: "Items per page (default 20, capped at 100).",
            example: 20,
          },
        }
      : {}),
    ...spec.query,
    ...(spec.keyless
      ? {}
      : { token: { type: "string", description: "The key, for clients that cannot send the Authorization header." } }),
  };
  const parameters = [
    ...pathParams.map((name) => pathParameter(name)),
    ...Object.entries(query).map(([name, p]) =>
      queryParameter(name, { ...p, required: p.required ?? name === "email" }),
    ),
  ];
  const requestBody = requestBodySchema(
    schema,
    route.document,
    spec,
    "application/json",
    seedInput as (s: unknown) => unknown,
  );
  const item = spec.responseSchema?.({}) ?? { type: "object" };
  const success = spec.paginated
    ? {
        type: "object",
        properties: {
          [spec.listKey ?? "items"]: { type: "array", items: item },
          total: { type: "integer" },
          page: { type: "integer" },
          limit: { type: "integer" },
        },
      }
    : item;
  return {
    operationId: `${dialect.name}_${spec.method.toLowerCase()}_${spec.path.replace(/[/:]+/g, "_").replace(/^_|_$/g, "")}`,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.description ? { description: spec.description } : {}),
    security: spec.keyless ? [] : [{ Bearer: [] }, { Token: [] }],
    parameters,
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [String(spec.status ?? 200)]: { description: "Success", content: { "application/json": { schema: success } } },
      ...(spec.keyless ? {} : { "401": ERROR, "403": ERROR }),
      "404": ERROR,
      ...(spec.method !== "GET" ? { "409": ERROR } : {}),
      "422": ERROR,
      "429": ERROR,
      default: ERROR,
    },
  };
}

/** The dialect's own OpenAPI 3.0 document (`/api/v1/public/openapi.json`), from its route table. */
export function buildProjectsOpenApi(schema: GraphQLSchema, dialect: CompiledDialect, version: string) {
  const paths: Record<string, Json> = {};
  for (const route of dialect.routes) {
    const path = `${dialect.basePath}${route.spec.path}`.replace(/:(\w+)/g, "{$1}");
    addOperation(paths, path, route.spec.method.toLowerCase(), operation(schema, dialect, route));
  }
  completeOperations(paths);
  return {
    openapi: "3.0.3",
    info: {
      title: "Cartograph public storefront API (seed 003)",
      version,
      description:
        "Seed 003's e-commerce API for storefronts in the browser, over Cartograph: every route runs a GraphQL operation of " +
        "the same schema as `/graphql` and `/api`. `{projectSlug}` is a store's slug (`default` exists from the start; " +
        "create more with `POST /api/stores`). **Keys**: `Authorization: Bearer <key>` or `?token=<key>`; any key of the " +
        'project works, and a publishable key (`pk_...`, `POST /api/api-keys { kind: "publishable" }`) is the one to put in ' +
        "a page: it acts as a shopper and holds no merchant permission. Every route but `/config` needs one (401); a key of " +
        "another project is 403. CORS is open to any origin (no cookies are used). **Amounts** are in major units of their " +
        "currency (29.99 USD, 500 JPY, 1.234 KWD); timestamps are epoch milliseconds. **Lists**: `?page=&limit=` -> " +
        "`{ <items>, total, page, limit }`. **Errors**: `{ success: false, error: { code, message, details? } }` with the " +
        "status of the code (400 BAD_REQUEST, 401, 403, 404, 409 CONFLICT, 415, 422 VALIDATION_FAILED / CHECKOUT_FAILED, " +
        '429 TOO_MANY_REQUESTS); validation details name fields as sent: `[{ path: "shippingAddress.postal_code", code, message }]`. ' +
        "**Webhooks** (`POST /api/webhooks`): order.created, order.paid, order.shipped, inventory.low, signed with " +
        "`X-Webhook-Signature: sha256=<hex HMAC of the body>` and named in `X-Webhook-Event`.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        Bearer: {
          type: "http",
          scheme: "bearer",
          description: "A key of the project: publishable (pk_...) or secret.",
        },
        Token: { type: "apiKey", in: "query", name: "token" },
      },
      schemas: {
        Category: CATEGORY_SCHEMA,
        Error: {
          type: "object",
          required: ["success", "error"],
          properties: {
            success: { type: "boolean", enum: [false] },
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string", example: "VALIDATION_FAILED" },
                message: { type: "string" },
                details: {
                  oneOf: [
                    {
                      type: "array",
                      items: {
                        type: "object",
                        properties: { path: { type: "string" }, code: { type: "string" }, message: { type: "string" } },
                      },
                    },
                    { type: "object", additionalProperties: true },
                  ],
                },
              },
            },
          },
        },
      },
      responses: {
        Error: {
          description: "Error",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    },
  };
}
