import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  typeFromAST,
} from "graphql";
import { z } from "zod";
import { INPUT_LIMITS, slug } from "../domain/validation.js";
import { INPUT_VALIDATION } from "../graphql/input-validation.js";
import { REST_ERROR_CODES } from "../http/errors.js";
import type { CompiledRoute } from "./executor.js";
import type { QueryParamSpec, RouteSpec } from "./route.js";

type JsonSchema = Record<string, unknown>;

export interface Dialect {
  name: string;
  basePath: string;
  routes: readonly CompiledRoute[];
}

const SCALARS: Record<string, JsonSchema> = {
  ID: { type: "string" },
  String: { type: "string" },
  Int: { type: "integer" },
  Float: { type: "number" },
  Boolean: { type: "boolean" },
  DateTime: { type: "string", format: "date-time" },
  JSONObject: { type: "object", additionalProperties: true },
  File: { type: "string", format: "binary" },
};

/** Input scalars carry the limits every input is checked against (graphql/input-limits.ts). */
const INPUT_SCALARS: Record<string, JsonSchema> = {
  ...SCALARS,
  ID: { type: "string", minLength: 1, maxLength: INPUT_LIMITS.idLength },
  String: { type: "string", maxLength: INPUT_LIMITS.textLength },
  Int: { type: "integer", format: "int32", minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
};

/** OpenAPI 3.0's nullable (3.1 documents turn it into `type: [..., "null"]`). */
function nullable(schema: JsonSchema): JsonSchema {
  return { ...schema, nullable: true };
}

/** zod's JSON Schema of the domain schema validating an input type (graphql/input-validation.ts), once per type. */
const validationSchemas = new Map<string, JsonSchema | undefined>();
function validationSchema(typeName: string): JsonSchema | undefined {
  if (!validationSchemas.has(typeName)) {
    const zod = INPUT_VALIDATION[typeName];
    validationSchemas.set(
      typeName,
      zod && (z.toJSONSchema(zod, { io: "input", unrepresentable: "any" }) as JsonSchema),
    );
  }
  return validationSchemas.get(typeName);
}

/** The schema of a nullish zod field without its `{ type: "null" }` branch; a real union has no one set of bounds. */
function nonNull(rules: JsonSchema | undefined): JsonSchema | undefined {
  const branches = (rules?.anyOf as JsonSchema[] | undefined)?.filter((b) => b.type !== "null");
  if (!branches) return rules;
  return branches.length === 1 ? nonNull(branches[0]) : undefined;
}

/**
 * The bounds a domain (zod) schema enforces on a value, merged into the schema GraphQL's type gives it:
 * the stricter bound wins, and only the keywords that apply to that type are taken.
 */
function withRules(schema: JsonSchema, rules: JsonSchema | undefined): JsonSchema {
  if (!rules) return schema;
  const out = { ...schema };
  const lower = (key: string, value: unknown) => {
    if (typeof value === "number") out[key] = typeof out[key] === "number" ? Math.max(out[key], value) : value;
  };
  const upper = (key: string, value: unknown) => {
    if (typeof value === "number") out[key] = typeof out[key] === "number" ? Math.min(out[key], value) : value;
  };
  switch (schema.type) {
    case "string":
      lower("minLength", rules.minLength);
      upper("maxLength", rules.maxLength);
      if (typeof rules.format === "string" && !out.format) out.format = rules.format;
      // A format says it already (zod adds its own regex for uuid and email).
      else if (typeof rules.pattern === "string" && !out.format) out.pattern = rules.pattern;
      if (Array.isArray(rules.enum) && !out.enum) out.enum = rules.enum;
      break;
    case "integer":
    case "number":
      lower("minimum", rules.minimum);
      upper("maximum", rules.maximum);
      // OpenAPI 3.0 and 3.1 disagree on exclusive bounds; for an integer, the next integer is the same bound.
      if (schema.type === "integer") {
        if (typeof rules.exclusiveMinimum === "number") lower("minimum", rules.exclusiveMinimum + 1);
        if (typeof rules.exclusiveMaximum === "number") upper("maximum", rules.exclusiveMaximum - 1);
      }
      break;
    case "array":
      lower("minItems", rules.minItems);
      upper("maxItems", rules.maxItems);
      break;
  }
  return out;
}

/**
 * JSON Schema of a GraphQL input type: what a REST body must look like. Where the domain's zod schema
 * for the type is known (its own entry, or `rules` from the enclosing type's), its bounds, enums and
 * formats are merged in, so the document says what the server enforces.
 */
export function inputSchema(
  type: GraphQLInputType,
  omit: readonly string[] = [],
  rules: JsonSchema | undefined = undefined,
): JsonSchema {
  if (isNonNullType(type)) return inputSchema(type.ofType, omit, rules);
  if (isListType(type))
    return withRules({ type: "array", items: nullableInput(type.ofType, nonNull(rules?.items as JsonSchema)) }, rules);
  if (isEnumType(type)) {
    // The domain may take fewer values than the GraphQL enum has (an entity is created draft or active).
    const values = type.getValues().map((v) => v.value);
    const allowed = Array.isArray(rules?.enum) ? values.filter((v) => (rules.enum as unknown[]).includes(v)) : [];
    return { type: "string", enum: allowed.length ? allowed : values };
  }
  if (isInputObjectType(type)) {
    const own = validationSchema(type.name) ?? rules;
    const ruleOf = (field: string) => nonNull((own?.properties as Record<string, JsonSchema> | undefined)?.[field]);
    const fields = Object.values(type.getFields()).filter((f) => !omit.includes(f.name));
    const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name);
    return {
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(
        fields.map((f) => {
          // A field with its own cap (a raw webhook payload) documents that one.
          const maxLength = (f.extensions as { maxLength?: number } | undefined)?.maxLength;
          return [
            f.name,
            {
              ...nullableInput(f.type, ruleOf(f.name)),
              ...(maxLength ? { maxLength } : {}),
              ...(f.description ? { description: f.description } : {}),
            },
          ];
        }),
      ),
      ...(required.length ? { required } : {}),
    };
  }
  return withRules(INPUT_SCALARS[type.name] ?? {}, rules);
}

/** A nullable input (a field or list item without `!`) accepts an explicit null, as GraphQL does. */
function nullableInput(type: GraphQLInputType, rules?: JsonSchema): JsonSchema {
  return isNonNullType(type) ? inputSchema(type, [], rules) : nullable(inputSchema(type, [], rules));
}

/** JSON Schema of what a selection set returns: the REST payload is exactly the GraphQL selection. */
function outputSchema(
  type: GraphQLOutputType,
  selection: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
): JsonSchema {
  if (isNonNullType(type)) {
    const inner = outputSchema(type.ofType, selection, fragments);
    const { nullable: _n, ...rest } = inner;
    return rest;
  }
  if (isListType(type)) return nullable({ type: "array", items: outputSchema(type.ofType, selection, fragments) });
  if (isEnumType(type)) return nullable({ type: "string", enum: type.getValues().map((v) => v.value) });
  if (isScalarType(type)) return nullable(SCALARS[type.name] ?? {});
  const properties: Record<string, JsonSchema> = {};
  for (const field of collectFields(selection, fragments)) {
    if (field.name.value === "__typename") continue;
    const owner = [type, ...(isUnionType(type) ? type.getTypes() : [])].find(
      (t) => (isObjectType(t) || isInterfaceType(t)) && t.getFields()[field.name.value],
    );
    if (!owner || !(isObjectType(owner) || isInterfaceType(owner))) continue;
    properties[field.alias?.value ?? field.name.value] = outputSchema(
      owner.getFields()[field.name.value]!.type,
      field.selectionSet,
      fragments,
    );
  }
  return nullable({ type: "object", properties });
}

function collectFields(
  selection: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const node of selection?.selections ?? []) {
    if (node.kind === Kind.FIELD) fields.push(node);
    else if (node.kind === Kind.INLINE_FRAGMENT) fields.push(...collectFields(node.selectionSet, fragments));
    else fields.push(...collectFields(fragments.get(node.name.value)?.selectionSet, fragments));
  }
  return fields;
}

/** Follows the route's result path through the operation to the payload's type and selection. */
export function payloadSchema(schema: GraphQLSchema, document: DocumentNode, spec: RouteSpec): JsonSchema {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  let type: GraphQLOutputType = (
    operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType()
  )!;
  let selection: SelectionSetNode | undefined = operation.selectionSet;
  for (const step of spec.result) {
    const named = getNamedType(type);
    if (typeof step === "number") {
      type = isListType(isNonNullType(type) ? type.ofType : type) ? (getNamedType(type) as GraphQLOutputType) : type;
      continue;
    }
    const field: FieldNode | undefined = collectFields(selection, fragments).find(
      (f) => (f.alias?.value ?? f.name.value) === step,
    );
    const candidates = isUnionType(named) ? named.getTypes() : [named];
    const owner = candidates.find(
      (t) => (isObjectType(t) || isInterfaceType(t)) && field && t.getFields()[field.name.value],
    );
    if (!field || !owner || !(isObjectType(owner) || isInterfaceType(owner))) return {};
    type = owner.getFields()[field.name.value]!.type;
    selection = field.selectionSet;
  }
  if (spec.paginated) {
    const edges = collectFields(selection, fragments).find((f) => f.name.value === "edges");
    const node = collectFields(edges?.selectionSet, fragments).find((f) => f.name.value === "node");
    const connection = getNamedType(type);
    const nodeType = isObjectType(connection)
      ? (getNamedType(connection.getFields().edges!.type) as import("graphql").GraphQLObjectType).getFields().node!.type
      : type;
    return { type: "array", items: outputSchema(nodeType, node?.selectionSet, fragments) };
  }
  const { nullable: _n, ...rest } = outputSchema(type, selection, fragments);
  return rest;
}

const ERROR_RESPONSE = { $ref: "#/components/responses/Error" };
/** Any other status (500, 405, 415...) still answers the error envelope. */
const ERROR_RESPONSE_DEFAULT = ERROR_RESPONSE;

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
/** The domain's slug rule (validation.ts), without its anchors. */
const SLUG_PATTERN = String(z.toJSONSchema(slug).pattern).replace(/^\^|\$$/g, "");

/**
 * What a path parameter takes, by its name: an `id` or `...Id` is a UUID (anything else is a 404 or 422
 * before any lookup: `isUuid` in the resolvers, `uuid` in the domain), an `idOrSlug` a UUID or a slug,
 * anything else (a locale, an order number, a code) a non-empty string within the id length limit.
 * test/rest/openapi-formats.test.ts sends a non-UUID to every UUID parameter of every document.
 */
function pathParameterSchema(name: string, anyId: boolean): JsonSchema {
  if (!anyId && (name === "id" || /[a-z]Id$/.test(name))) return { type: "string", format: "uuid" };
  if (name === "idOrSlug") {
    return {
      type: "string",
      maxLength: INPUT_LIMITS.idLength,
      pattern: `^(?:${UUID}|${SLUG_PATTERN})$`,
    };
  }
  return { type: "string", minLength: 1, maxLength: INPUT_LIMITS.idLength };
}

/**
 * A path parameter as the server takes it (a longer one than the id length limit is a 4xx before any
 * lookup). `anyId`: the id names another record of any kind, not necessarily a UUID.
 */
export function pathParameter(name: string, documentedName = name, anyId = false) {
  return {
    name: documentedName,
    in: "path",
    required: true,
    description: name === "idOrSlug" ? "The id (a UUID) or the slug." : humanize(name),
    schema: pathParameterSchema(name, anyId),
  };
}

/** Routes whose ids are not UUIDs though named like them: an audit entry names any entity (a session, say). */
const ANY_ID_ROUTES = new Set(["/audit/:entityType/:entityId"]);

/** "idOrSlug" -> "The id or slug."; "itemId" -> "The item id." */
function humanize(name: string): string {
  return `The ${name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase()}.`;
}

/** A documented query parameter with the limits the server enforces on it. */
export function queryParameter(
  name: string,
  p: Partial<QueryParamSpec> & Pick<QueryParamSpec, "type" | "description">,
) {
  const { type, description, example, required, enum: values, ...limits } = p;
  return {
    name,
    in: "query",
    required: required ?? false,
    description,
    schema: { type, ...(values ? { enum: values } : {}), ...limits },
    ...(example !== undefined ? { example } : {}),
  };
}

type PathItem = Record<string, unknown>;
type Operation = { parameters?: { name: string; in: string }[]; [key: string]: unknown };

/**
 * Adds an operation under its OpenAPI path template. Two routes whose templates differ only in the
 * names of their parameters (`/entities/{idOrSlug}` and `/entities/{id}`) are one path to OpenAPI, so
 * the later route's parameters take the names the path already has (the description keeps what it
 * accepts): no two templates are identical but for names, whatever routes a dialect adds.
 */
export function addOperation(
  paths: Record<string, PathItem>,
  template: string,
  method: string,
  operation: Operation,
): void {
  const shape = (path: string) => path.replace(/\{[^}]+\}/g, "{}");
  const existing = Object.keys(paths).find((path) => path !== template && shape(path) === shape(template));
  if (existing) {
    const names = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const from = names(template);
    const to = names(existing);
    operation.parameters = operation.parameters?.map((p) => {
      const index = p.in === "path" ? from.indexOf(p.name) : -1;
      return index >= 0 ? { ...p, name: to[index]! } : p;
    });
    template = existing;
  }
  if (paths[template]?.[method]) throw new Error(`Two operations for ${method.toUpperCase()} ${template}`);
  paths[template] = { ...paths[template], [method]: operation };
}

/**
 * What Redocly's recommended rules ask of every operation, for the hand-written paths (health, media
 * bytes) as much as the generated ones: a security requirement (none: `[]`), a 4xx response (every
 * request is rate limited: 429), and a unique operationId.
 */
export function completeOperations(paths: Record<string, PathItem>, errorResponse: unknown = ERROR_RESPONSE): void {
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const operation = value as Operation & {
        security?: unknown;
        responses?: Record<string, unknown>;
        operationId?: string;
      };
      operation.security ??= [];
      operation.responses ??= {};
      if (!Object.keys(operation.responses).some((code) => /^4/.test(code))) operation.responses["429"] = errorResponse;
      const base = operation.operationId ?? `${method}_${path.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
      let id = base;
      for (let n = 2; seen.has(id); n++) id = `${base}_${n}`;
      operation.operationId = id;
      seen.add(id);
    }
  }
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/**
 * The OpenAPI request body of a route: the JSON schema of the GraphQL input variable its body becomes
 * (path fields left out), reshaped by the dialect's `edge` (casing, money units) where it has one.
 */
export function requestBodySchema(
  schema: GraphQLSchema,
  document: DocumentNode,
  spec: Pick<RouteSpec, "body">,
  contentType = "application/json",
  edge: (schema: JsonSchema) => unknown = (s) => s,
) {
  if (!spec.body) return undefined;
  const body = spec.body;
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const variable = operation.variableDefinitions?.find((v) => v.variable.name.value === body.variable);
  const type = variable && (typeFromAST(schema, variable.type as never) as GraphQLInputType | undefined);
  return {
    required: true,
    content: {
      [contentType]: {
        schema: type ? edge(inputSchema(type, Object.values(body.pathFields ?? {}))) : { type: "object" },
        ...(body.example !== undefined ? { example: body.example } : {}),
      },
    },
  };
}

function operationObject(schema: GraphQLSchema, route: CompiledRoute, dialect: Dialect) {
  const { spec, document } = route;
  const pathParams = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const query: Record<string, QueryParamSpec> = {
    ...(spec.paginated
      ? {
          page: { type: "integer", minimum: 1, description: "Page number (default 1).", example: 1 },
          limit: {
            type: "integer",
            minimum: 1,
            description: `Items per page (default ${spec.pageSize ?? 20}, capped at 100).`,
            example: spec.pageSize ?? 20,
          },
        }
      : {}),
    ...spec.query,
  };
  const parameters = [
    ...pathParams.map((name) => pathParameter(name, name, ANY_ID_ROUTES.has(spec.path))),
    ...Object.entries(query).map(([name, p]) => queryParameter(name, p)),
  ];
  const requestBody = requestBodySchema(
    schema,
    document,
    spec,
    spec.multipart ? "multipart/form-data" : "application/json",
  );
  const data = payloadSchema(schema, document, spec);
  const success = spec.responseSchema
    ? spec.responseSchema(data as never)
    : {
        type: "object",
        properties: {
          data,
          ...(spec.paginated ? { meta: { $ref: "#/components/schemas/PaginationMeta" } } : {}),
        },
        required: ["data"],
      };
  const status = String(spec.status ?? 200);
  // A route answering with its own redirect documents the redirect, not an envelope.
  const redirect =
    spec.reply && /^3/.test(status)
      ? { description: "Redirect", headers: { Location: { description: "Where to go", schema: { type: "string" } } } }
      : undefined;
  return {
    operationId: `${dialect.name}_${spec.method.toLowerCase()}_${spec.path.replace(/[/:]+/g, "_").replace(/^_|_$/g, "")}`,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.description || spec.permission
      ? {
          description: [spec.description, spec.permission ? `Requires the \`${spec.permission}\` permission.` : ""]
            .filter(Boolean)
            .join("\n\n"),
        }
      : {}),
    security: spec.path.startsWith("/me/")
      ? [{ Session: [] }, { Bearer: [] }]
      : spec.permission
        ? [{ ApiKey: [] }, { Bearer: [] }]
        : // Public: anyone may call it; a key picks its store and a customer's token its carts and orders.
          [{}, { ApiKey: [] }, { Bearer: [] }, { Session: [] }],
    parameters,
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [status]: redirect ?? { description: "Success", content: { "application/json": { schema: success } } },
      ...(spec.body
        ? { "400": ERROR_RESPONSE, "413": ERROR_RESPONSE, "422": ERROR_RESPONSE }
        : { "422": ERROR_RESPONSE }),
      ...(spec.permission ? { "401": ERROR_RESPONSE, "403": ERROR_RESPONSE } : {}),
      ...(spec.path.startsWith("/me/") ? { "401": ERROR_RESPONSE } : {}),
      ...(pathParams.length || spec.notFound ? { "404": ERROR_RESPONSE } : {}),
      ...(spec.method !== "GET" ? { "409": ERROR_RESPONSE } : {}),
      "429": ERROR_RESPONSE,
      default: { ...ERROR_RESPONSE_DEFAULT },
    },
  };
}

/** Better Auth's routes (`/auth/*`) answer errors in its shape: `{ code, message, errorCode, details? }`. */
function withBetterAuthErrors<T extends { responses: Record<string, unknown> }>(spec: RouteSpec, operation: T): T {
  if (!spec.path.startsWith("/auth/")) return operation;
  const response = { $ref: "#/components/responses/BetterAuthError" };
  for (const status of Object.keys(operation.responses)) {
    if (status === "default" || /^[45]/.test(status)) operation.responses[status] = response;
  }
  operation.responses["401"] = response;
  return operation;
}

/** The OpenAPI 3.0 document of every dialect's routes, generated from the route tables and the schema. */
export function buildOpenApi(
  schema: GraphQLSchema,
  dialects: readonly Dialect[],
  extraPaths: Record<string, unknown>,
  version: string,
) {
  const paths: Record<string, PathItem> = structuredClone(extraPaths as Record<string, PathItem>);
  for (const dialect of dialects) {
    for (const route of dialect.routes) {
      const path = `${dialect.basePath}${route.spec.path}`.replace(/:(\w+)/g, "{$1}");
      addOperation(
        paths,
        path,
        route.spec.method.toLowerCase(),
        withBetterAuthErrors(route.spec, operationObject(schema, route, dialect)),
      );
    }
  }
  completeOperations(paths);
  return {
    openapi: "3.0.3",
    info: {
      title: "Cartograph REST API",
      version,
      description:
        "REST compatibility layer of the Cartograph GraphQL gateway. Every route runs a GraphQL operation of the same " +
        "schema (POST /graphql). Success: `{ data, meta? }`; errors: `{ error: { code, message, details? } }`. Every " +
        "response carries X-Request-Id and X-RateLimit-Limit/Remaining/Reset; 429 adds Retry-After. Bodies over 1 MB " +
        "(file uploads: over their own limit) get 413. Browser mutations (Origin header, no API key) must come from a trusted origin.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        ApiKey: { type: "apiKey", in: "header", name: "x-api-key" },
        Bearer: { type: "http", scheme: "bearer", description: "An API key, or a customer's session token (a JWT)." },
        Session: {
          type: "apiKey",
          in: "cookie",
          name: "better-auth.session_token",
          description: "A customer's session (browsers).",
        },
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
                code: {
                  type: "string",
                  enum: [...REST_ERROR_CODES],
                },
                message: { type: "string" },
                details: {
                  description:
                    "VALIDATION_FAILED: one entry per invalid field. CONFLICT from a lifecycle guard: currentStatus and requestedStatus.",
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
        BetterAuthError: {
          type: "object",
          required: ["code", "message", "errorCode"],
          properties: {
            code: {
              type: "string",
              description: "Better Auth's code, e.g. INVALID_EMAIL_OR_PASSWORD, USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL.",
            },
            message: { type: "string" },
            errorCode: { type: "string" },
            details: { description: "Field problems (VALIDATION_ERROR, INVALID_EMAIL), or retryAfterSeconds (429)." },
          },
        },
        PaginationMeta: {
          type: "object",
          properties: {
            pagination: {
              type: "object",
              properties: {
                page: { type: "integer" },
                limit: { type: "integer" },
                total: { type: "integer" },
                totalPages: { type: "integer" },
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
        BetterAuthError: {
          description: "Better Auth's error body (on /api/auth/*); `errorCode` repeats `code` for seed 004 clients.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/BetterAuthError" } } },
        },
      },
    },
  };
}
