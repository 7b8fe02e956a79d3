import type { GraphQLSchema } from "graphql";
import { REST_ERROR_CODES, type RestError } from "../../../http/errors.js";
import type { CompiledDialect } from "../../dialect.js";
import {
  addOperation,
  completeOperations,
  pathParameter,
  payloadSchema,
  queryParameter,
  requestBodySchema,
} from "../../openapi.js";
import type { OpenApiSchema, QueryParamSpec } from "../../route.js";
import { storefrontCode } from "./errors.js";
import { camelToSnake, dialectName } from "./naming.js";
import type { StorefrontRoute } from "./route.js";
import { SCOPES } from "./scopes.js";
import { statusTable } from "./status.js";

type Json = Record<string, unknown>;

/** Our input's JSON Schema in the dialect's field names (required lists too); metadata stays free-form. */
function dialectInput(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map((s) => dialectInput(s as Json)) as never;
  if (!schema || typeof schema !== "object") return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Json).map(([name, s]) => [dialectName(name), dialectInput(s as Json)]),
      );
    } else if (key === "required") out.required = (value as string[]).map(dialectName);
    else out[key] = typeof value === "object" ? dialectInput(value as Json) : value;
  }
  return out;
}

/** OpenAPI 3.0's `nullable: true` -> 3.1's JSON Schema `type: [..., "null"]`. */
function to31(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(to31);
  if (!schema || typeof schema !== "object") return schema;
  const { nullable, ...rest } = schema as Json;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, k === "example" ? v : to31(v)])) as Json;
  if (nullable !== true) return out;
  if (typeof out.type === "string")
    return {
      ...out,
      type: [out.type, "null"],
      ...(Array.isArray(out.enum) && !out.enum.includes(null) ? { enum: [...out.enum, null] } : {}),
    };
  return { anyOf: [out, { type: "null" }] };
}

const ERROR = { $ref: "#/components/responses/Error" };

/** Seed 000's status table, for one route. */
function errorResponses(spec: StorefrontRoute, hasPathParams: boolean) {
  return {
    "400": ERROR,
    ...(spec.scope ? { "401": ERROR, "403": ERROR } : { "403": ERROR }),
    ...(hasPathParams || spec.notFound ? { "404": ERROR } : {}),
    ...(spec.method !== "GET" ? { "409": ERROR, "422": ERROR } : {}),
    "429": ERROR,
  };
}

function operation(schema: GraphQLSchema, dialect: CompiledDialect, route: CompiledDialect["routes"][number]) {
  const spec = route.spec as StorefrontRoute;
  const pathParams = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const query: Record<string, QueryParamSpec> = {
    ...(spec.paginated
      ? {
          limit: {
            type: "integer",
            minimum: 1,
            description: "Items per page: 1 to 100 (more is capped), default 20.",
            example: 20,
          },
          cursor: {
            type: "string",
            description: "`next_cursor` of the previous page; opaque and signed (anything else is 400).",
          },
        }
      : {}),
    ...spec.query,
  };
  const parameters = [
    ...pathParams.map((name) => pathParameter(name, camelToSnake(name))),
    ...Object.entries(query).map(([name, p]) => queryParameter(name, p)),
    ...(spec.idempotent
      ? [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            schema: { type: "string", maxLength: 255 },
            description: "Makes retries safe.",
          },
        ]
      : []),
  ];
  const requestBody = requestBodySchema(
    schema,
    route.document,
    spec,
    "application/json",
    dialectInput as (s: unknown) => unknown,
  );
  const derived = payloadSchema(schema, route.document, spec) as OpenApiSchema;
  const item = spec.responseSchema
    ? spec.responseSchema(spec.paginated ? ((derived.items as OpenApiSchema | undefined) ?? {}) : derived)
    : spec.paginated
      ? (derived.items as OpenApiSchema)
      : derived;
  const success = spec.paginated
    ? {
        type: "object",
        required: ["data"],
        properties: {
          data: { type: "array", items: item },
          next_cursor: { type: "string", description: "Present only when another page exists." },
        },
      }
    : item;
  return {
    operationId: `${dialect.name}_${spec.method.toLowerCase()}_${spec.path.replace(/[/:]+/g, "_").replace(/^_|_$/g, "")}`,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.description || spec.scope
      ? {
          description: [
            spec.description,
            spec.scope ? `Needs the \`${spec.scope}\` scope (our \`${SCOPES[spec.scope]}\` permission).` : "",
          ]
            .filter(Boolean)
            .join("\n\n"),
        }
      : {}),
    security: spec.scope ? [{ MerchantToken: [spec.scope] }] : [],
    parameters,
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [String(spec.status ?? 200)]: { description: "Success", content: { "application/json": { schema: success } } },
      ...errorResponses(spec, pathParams.length > 0),
      default: ERROR,
    },
  };
}

const table = (header: [string, string], rows: [string, string][]) =>
  [`| ${header[0]} | ${header[1]} |`, "|---|---|", ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join("\n");

function description(): string {
  const codes: readonly RestError["code"][] = REST_ERROR_CODES;
  return [
    "Seeds 000 and 001 (Aly's REST API) over Cartograph: every route runs a GraphQL operation of the same schema as " +
      "`/graphql` and `/api`. JSON is snake_case; amounts are integers in minor units; ids are plain UUIDs (not `ord_...`); " +
      "timestamps are ISO-8601. One resource is a bare object; a list is `{ data: [...], next_cursor? }`, paged with " +
      "`?limit=&cursor=` (`next_cursor` only when another page exists; cursors are opaque and signed).",
    "**Storefront half** (`/stores/{slug}/...`): no bearer; the slug names the store. **Merchant half** (`/merchant/...`): " +
      "`Authorization: Bearer <key>`, a key of the store (mint one with `POST /api/api-keys` " +
      '`{ "name": "...", "permissions": ["orders:update"], "prefix": "aly_" }`). A key of another store on a store\'s slug ' +
      "(or `site_slug`) is 403 `store_mismatch`.",
    `**Scopes** (a scope is held when the key holds its permission; write implies read):\n\n${table(["scope", "permission"], Object.entries(SCOPES))}`,
    `**Order status** (seed 001's vocabulary, from ours):\n\n${table(["status", "our statuses"], Object.entries(statusTable()))}`,
    "**Errors**: `{ error: { code, message, details? } }`; validation details list fields: " +
      '`[{ "path": "items.0.quantity", "code": "too_small", "min": 1, "message": "..." }]`.\n\n' +
      table(
        ["our code", "status and code"],
        codes.map((c) => {
          const { status, code } = storefrontCode(c);
          return [c, `${status} \`${code}\``];
        }),
      ) +
      "\n\nNarrower codes: 403 `insufficient_scope` (details.required_scope) on merchant routes, 403 `store_mismatch`; " +
      "409 `idempotency_conflict` (an Idempotency-Key reused with another body, or still running), 409 `invalid_state` " +
      "(a lifecycle guard: the move may become possible), 422 `operation_refused` (a lifecycle in a final state, e.g. " +
      "fulfilling a cancelled order).",
  ].join("\n\n");
}

/** The dialect's own OpenAPI 3.1 document (`/api/storefront/v1/openapi.json`), from its route table. */
export function buildStorefrontOpenApi(schema: GraphQLSchema, dialect: CompiledDialect, version: string) {
  const paths: Record<string, Json> = {};
  for (const route of dialect.routes) {
    const path = `${dialect.basePath}${route.spec.path}`.replace(
      /:(\w+)/g,
      (_, name: string) => `{${camelToSnake(name)}}`,
    );
    addOperation(paths, path, route.spec.method.toLowerCase(), operation(schema, dialect, route));
  }
  completeOperations(paths, ERROR);
  return to31({
    openapi: "3.1.0",
    info: { title: "Cartograph storefront v1 (seeds 000 + 001)", version, description: description() },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        MerchantToken: { type: "http", scheme: "bearer", description: "An API key of the store (aly_... or cg_...)." },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string", example: "validation_failed" },
                message: { type: "string" },
                details: {
                  oneOf: [
                    {
                      type: "array",
                      items: {
                        type: "object",
                        properties: {
                          path: { type: "string" },
                          code: { type: "string" },
                          message: { type: "string" },
                          min: { type: "number" },
                          max: { type: "number" },
                        },
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
  });
}
