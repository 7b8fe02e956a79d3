import fc from "fast-check";
import {
  buildClientSchema,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, useTestApp } from "../helpers/app.js";
import { signUp } from "../helpers/customers.js";
import {
  FUZZ_SEED,
  fuzzRuns,
  hostileNumber,
  hostileParam,
  hostileString,
  hostileValue,
  mostly,
} from "./arbitraries.js";

/**
 * Property-based fuzzing of every query and mutation of the schema (read by introspection, as a client
 * would): arguments generated from their input types, mixed with hostile values, sent as variables or
 * written into the document, anonymously, as a customer and with the admin key. No answer may be a
 * 5xx or carry an unexpected (masked) error; every error is GraphQL's `{ message, extensions: { code } }`.
 */

const RUNS_PER_FIELD = fuzzRuns(6);

const t = useTestApp();
let schema: GraphQLSchema;
const knownIds: string[] = [];
let customerToken = "";

beforeAll(async () => {
  const introspection = await t.graphql(getIntrospectionQuery(), {}, ADMIN_KEY);
  expect(introspection.status).toBe(200);
  schema = buildClientSchema(introspection.body.data);
  const entity = await t.request("POST", "/api/catalog/entities", {
    body: { type: "product", slug: "fuzz-gadget", metadata: {} },
  });
  const cart = await t.request("POST", "/api/carts", { key: null, body: { currency: "USD" } });
  const brand = await t.request("POST", "/api/catalog/brands", { body: { name: "Fuzz", slug: "fuzz" } });
  for (const created of [entity, cart, brand]) {
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
    knownIds.push(created.body.data.id);
  }
  const customer = await signUp(t);
  knownIds.push(customer.id);
  customerToken = customer.token;
});

const idValue = fc.oneof(
  { arbitrary: fc.nat({ max: 3 }).map((i) => knownIds[i] ?? "missing"), weight: 3 },
  { arbitrary: fc.uuid(), weight: 1 },
  { arbitrary: hostileParam, weight: 2 },
);

/** A value for an input type: well-typed most of the time, hostile otherwise. */
function inputValue(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return inputValue(type.ofType, depth);
  if (isListType(type)) return mostly(fc.array(inputValue(type.ofType, depth + 1), { maxLength: 3 }));
  if (isInputObjectType(type)) {
    if (depth > 4) return hostileValue;
    const fields = Object.values(type.getFields());
    const model = Object.fromEntries(fields.map((f) => [f.name, inputValue(f.type, depth + 1)]));
    const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name);
    return mostly(fc.record(model, { requiredKeys: required }));
  }
  if (isEnumType(type)) return mostly(fc.constantFrom(...type.getValues().map((v) => v.name)));
  switch (type.name) {
    case "ID":
      return mostly(idValue);
    case "String":
      return mostly(
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("USD", "product", "en", "a@example.com")),
        hostileString,
      );
    case "Int":
      return mostly(fc.integer({ min: -2, max: 200 }), hostileNumber);
    case "Float":
      return mostly(fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 1000 }), hostileNumber);
    case "Boolean":
      return mostly(fc.boolean());
    case "DateTime":
      return mostly(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        hostileString,
      );
    case "JSONObject":
      return mostly(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }));
    default:
      return fc.constant(null); // File: multipart only
  }
}

/** A value written into the document as a GraphQL literal (strings escaped as JSON escapes them). */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return "null";
  const named = getNamedType(type);
  if (typeof value === "string")
    return isEnumType(named) && /^[_A-Za-z]\w*$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const item = isNonNullType(type) ? type.ofType : type;
  if (Array.isArray(value))
    return `[${value.map((v) => literal(v, isListType(item) ? item.ofType : item)).join(", ")}]`;
  const fields = isInputObjectType(item) ? item.getFields() : {};
  const entries = Object.entries(value as Record<string, unknown>).filter(([key]) => /^[_A-Za-z]\w*$/.test(key));
  return `{${entries.map(([key, v]) => `${key}: ${literal(v, fields[key]?.type ?? item)}`).join(", ")}}`;
}

/** `__typename` and the leaf fields (and, one level down, object fields) a client could select without arguments. */
function selection(type: GraphQLNamedType, depth = 0): string {
  if (isLeafType(type)) return "";
  const parts = ["__typename"];
  if (isUnionType(type)) {
    for (const member of type.getTypes()) parts.push(`... on ${member.name} { ${selection(member, depth + 1)} }`);
    return parts.join(" ");
  }
  if (!isObjectType(type) && !isInterfaceType(type)) return parts.join(" ");
  for (const field of Object.values(type.getFields()).slice(0, 12)) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (depth < 2) parts.push(`${field.name} { ${selection(named, depth + 1)} }`);
  }
  return parts.join(" ");
}

interface FuzzOperation {
  who: "admin" | "anonymous" | "customer";
  query: string;
  variables: Record<string, unknown>;
}

function operationFor(kind: "query" | "mutation", field: GraphQLField<unknown, unknown>): fc.Arbitrary<FuzzOperation> {
  const args = field.args.map((arg) =>
    fc.record({
      value: isNonNullType(arg.type)
        ? inputValue(arg.type)
        : fc.option(inputValue(arg.type), { freq: 3, nil: undefined }),
      inline: fc.boolean(),
    }),
  );
  return fc
    .record({
      who: fc.constantFrom("admin" as const, "anonymous" as const, "customer" as const),
      args: fc.tuple(...args),
    })
    .map(({ who, args: values }) => {
      const declarations: string[] = [];
      const passed: string[] = [];
      const variables: Record<string, unknown> = {};
      field.args.forEach((arg, i) => {
        const { value, inline } = values[i]!;
        if (value === undefined) return;
        if (inline) {
          passed.push(`${arg.name}: ${literal(value, arg.type)}`);
        } else {
          declarations.push(`$${arg.name}: ${String(arg.type)}`);
          passed.push(`${arg.name}: $${arg.name}`);
          variables[arg.name] = value;
        }
      });
      const inner = selection(getNamedType(field.type));
      const query = `${kind}${declarations.length ? ` (${declarations.join(", ")})` : ""} { ${field.name}${passed.length ? `(${passed.join(", ")})` : ""}${inner ? ` { ${inner} }` : ""} }`;
      return { who, query, variables };
    });
}

async function send(operation: FuzzOperation) {
  const headers: Record<string, string> = {};
  if (operation.who === "customer") headers.authorization = `Bearer ${customerToken}`;
  return t.request("POST", "/graphql", {
    key: operation.who === "admin" ? ADMIN_KEY : null,
    headers,
    body: { query: operation.query, variables: operation.variables },
  });
}

describe("GraphQL fuzz (fixed seed, bounded runs)", () => {
  it("answers every query and mutation without a 5xx or an unexpected error", async () => {
    const roots = [
      ["query", schema.getQueryType()],
      ["mutation", schema.getMutationType()],
    ] as const;
    let fields = 0;
    for (const [kind, root] of roots) {
      for (const field of Object.values((root as GraphQLObjectType).getFields())) {
        fields++;
        await fc.assert(
          fc.asyncProperty(operationFor(kind, field), async (operation) => {
            const answer = await send(operation);
            const described = `${operation.who}: ${operation.query.slice(0, 600)}\nvariables ${JSON.stringify(operation.variables)?.slice(0, 600)}\n-> ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 600)}`;
            expect(answer.status, described).toBeLessThan(500);
            expect(typeof answer.body, described).toBe("object");
            for (const error of answer.body.errors ?? []) {
              expect(typeof error.message, described).toBe("string");
              expect(error.message, described).not.toBe("Unexpected error.");
              const code = error.extensions?.code;
              expect(code === undefined || typeof code === "string", described).toBe(true);
              expect(["INTERNAL_SERVER_ERROR", "INTERNAL_ERROR"], described).not.toContain(code);
            }
          }),
          { seed: FUZZ_SEED, numRuns: RUNS_PER_FIELD, endOnFailure: true },
        );
      }
    }
    expect(fields).toBeGreaterThan(50);
  }, 120_000);
});
