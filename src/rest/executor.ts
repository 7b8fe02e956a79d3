import { offsetToCursor } from "@pothos/plugin-relay";
import { type DocumentNode, type GraphQLError, type GraphQLSchema, parse, validate } from "graphql";
import { DomainError, ValidationError } from "../domain/errors.js";
import type { GraphQLServer, ServerContext } from "../graphql/yoga.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../graphql/pagination.js";
import { RestFailure } from "./http-errors.js";
import { failureFromErrorResult, failureFromGraphQLErrors } from "./operation-errors.js";
import type { RestRequest, RouteSpec } from "./route.js";

export interface CompiledRoute {
  spec: RouteSpec;
  document: DocumentNode;
}

export type RestSuccess =
  | { status: number; body: { data: unknown; meta?: Record<string, unknown> } }
  /** A route's own Response (`RouteSpec.reply`). */
  | { response: Response };

/** Appends the fragments an operation spreads (transitively) from the dialect's library. */
export function withFragments(operation: string, fragments: Record<string, string>): string {
  const included = new Set<string>();
  const pending = [operation];
  let text = operation;
  while (pending.length) {
    for (const [, name] of pending.pop()!.matchAll(/\.\.\.\s*([A-Z]\w*)/g)) {
      if (!name || included.has(name) || !fragments[name]) continue;
      included.add(name);
      text += `\n${fragments[name]}`;
      pending.push(fragments[name]);
    }
  }
  return text;
}

/** Parses and validates every route's operation once, at start-up: a broken route fails the boot. */
export function compileRoutes(schema: GraphQLSchema, routes: readonly RouteSpec[], fragments: Record<string, string>): CompiledRoute[] {
  return routes.map((spec) => {
    const document = parse(withFragments(spec.operation, fragments), { noLocation: true });
    const errors = validate(schema, document);
    if (errors.length) {
      throw new Error(`REST route ${spec.method} ${spec.path}: ${errors.map((e) => e.message).join("; ")}`);
    }
    return { spec, document };
  });
}

/** page/limit as seed 002 defines them: page >= 1, limit 1..100 (larger limits are capped), default 20. */
export function parsePagination(query: Record<string, string>, defaultLimit = DEFAULT_PAGE_SIZE): { page: number; limit: number } {
  const problems = [];
  const page = query.page === undefined ? 1 : Number(query.page);
  if (!Number.isInteger(page) || page < 1) problems.push({ path: "page", code: "invalid", message: "page must be an integer >= 1." });
  let limit = query.limit === undefined ? defaultLimit : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1) problems.push({ path: "limit", code: "invalid", message: "limit must be an integer >= 1." });
  limit = Math.min(limit, MAX_PAGE_SIZE);
  if (problems.length) throw new ValidationError(problems);
  return { page, limit };
}

interface Connection {
  totalCount: number;
  edges: { node: unknown }[];
}

/**
 * Runs a route's operation through Yoga's envelop (the same plugins, context and resolvers as
 * /graphql) and shapes the result into seed 002's envelope, or throws a RestFailure.
 */
export class RestExecutor {
  constructor(private readonly yoga: GraphQLServer) {}

  async run(route: CompiledRoute, input: RestRequest, server: ServerContext, request: Request): Promise<RestSuccess> {
    const { spec } = route;
    let variables: Record<string, unknown>;
    let pagination: { page: number; limit: number } | undefined;
    try {
      variables = { ...spec.variables?.(input) };
      if (spec.body) {
        const fromPath = Object.entries(spec.body.pathFields ?? {}).map(([param, field]) => [field, input.params[param]]);
        variables[spec.body.variable] = { ...input.body, ...Object.fromEntries(fromPath) };
      }
      if (spec.paginated) {
        pagination = parsePagination(input.query, spec.pageSize);
        variables.first = pagination.limit;
        const offset = (pagination.page - 1) * pagination.limit;
        if (offset > 0) variables.after = offsetToCursor(offset - 1);
      }
    } catch (error) {
      throw toFailure(error);
    }

    const enveloped = this.yoga.getEnveloped({ ...server, request, params: {} } as never);
    const contextValue = await enveloped.contextFactory();
    const result = (await enveloped.execute({
      schema: enveloped.schema,
      document: route.document,
      variableValues: variables,
      contextValue,
    })) as { data?: Record<string, unknown> | null; errors?: readonly GraphQLError[] };

    const rootValue = result.data?.[spec.result[0] as string];
    if (result.errors?.length && (rootValue === null || rootValue === undefined)) {
      throw failureFromGraphQLErrors(result.errors);
    }
    const typedError = failureFromErrorResult(rootValue);
    if (typedError) throw typedError;

    let payload: unknown = result.data;
    for (const step of spec.result) {
      payload = payload == null ? payload : (payload as Record<string | number, unknown>)[step];
    }
    if ((payload === null || payload === undefined) && !spec.nullable) {
      throw RestFailure.of("NOT_FOUND", `${spec.notFound ?? "Resource"} not found.`);
    }

    if (pagination) {
      const connection = payload as Connection;
      const meta = {
        pagination: {
          page: pagination.page,
          limit: pagination.limit,
          total: connection.totalCount,
          totalPages: Math.ceil(connection.totalCount / pagination.limit),
        },
      };
      // A paginated route's own `respond` shapes data and adds meta; meta.pagination is always ours.
      const shaped = spec.respond?.(payload, pagination);
      return {
        status: spec.status ?? 200,
        body: shaped
          ? { data: shaped.data, meta: { ...shaped.meta, ...meta } }
          : { data: connection.edges.map((edge) => edge.node), meta },
      };
    }
    if (spec.reply) return { response: spec.reply(payload, input) };
    return { status: spec.status ?? 200, body: spec.respond ? spec.respond(payload) : { data: payload } };
  }
}

export function toFailure(error: unknown): RestFailure {
  if (error instanceof RestFailure) return error;
  if (error instanceof ValidationError) return RestFailure.of(error.code, error.message, error.fieldErrors);
  if (error instanceof DomainError) return RestFailure.of(error.code, error.message, error.details);
  return new RestFailure(500, { code: "INTERNAL_ERROR", message: "Unexpected error." });
}
