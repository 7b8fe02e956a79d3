import type { GraphQLSchema } from "graphql";
import type { MiddlewareHandler } from "hono";
import type { ServerContext } from "../graphql/yoga.js";
import { type RestError, RestFailure } from "../http/errors.js";
import type { HttpVariables } from "../http/middleware.js";
import { type CompiledRoute, compileRoutes } from "./executor.js";
import type { RestRequest, RouteSpec } from "./route.js";

/** One page of a GraphQL connection, as a list route's operation selects it. */
export interface Connection {
  totalCount?: number;
  pageInfo?: { hasNextPage: boolean; endCursor?: string | null };
  edges: { node: unknown }[];
}

/** A list request read by a dialect: the connection arguments, plus what its list body needs back. */
export interface PageRequest {
  arguments: { first: number; after?: string };
  /** Dialect-specific (seed 002: page and limit). */
  [key: string]: unknown;
}

/**
 * What makes a REST dialect look the way its contract says, applied at the edge and nowhere else: how a
 * body's field names become the operation's input, how a list's query becomes connection arguments and a
 * page becomes a body, how one payload is enveloped, how an error looks (status and body, from our
 * ErrorCode), and which store a request works on. Routes stay data running GraphQL operations in every
 * dialect.
 */
export interface DialectConventions {
  /** A JSON body in the dialect's naming -> the operation's input object. */
  readBody(body: Record<string, unknown>, spec: RouteSpec): Record<string, unknown>;
  /** A list's query parameters -> connection arguments (throws ValidationError). */
  readPage(request: RestRequest, spec: RouteSpec): PageRequest;
  /** The success body of one page of a list. */
  listBody(connection: Connection, page: PageRequest, spec: RouteSpec): unknown;
  /** The success body of one payload. */
  singleBody(payload: unknown, spec: RouteSpec): unknown;
  /** An error's status and body; `spec` is the route it happened on, when there is one. */
  errorResponse(failure: RestFailure, spec?: RouteSpec): { status: number; body: unknown };
  /** The context a request runs with when the dialect chooses the store itself (e.g. a slug in its path). */
  serverContext?(request: RestRequest, server: ServerContext, spec: RouteSpec): Promise<ServerContext>;
}

/** A dialect as the app serves it: its route table compiled, and its conventions. */
export interface CompiledDialect {
  name: string;
  basePath: string;
  routes: readonly CompiledRoute[];
  conventions: DialectConventions;
}

/** Compiles a dialect's route table against the schema (a broken route fails the boot). */
export function compileDialect(
  schema: GraphQLSchema,
  dialect: {
    name: string;
    basePath: string;
    routes: readonly RouteSpec[];
    fragments: Record<string, string>;
    conventions: DialectConventions;
  },
): CompiledDialect {
  return {
    name: dialect.name,
    basePath: dialect.basePath,
    routes: compileRoutes(schema, dialect.routes, dialect.fragments),
    conventions: dialect.conventions,
  };
}

/** The error response of a failure in a dialect's own shape. */
export function dialectError(conventions: DialectConventions, code: RestError["code"], message: string) {
  const failure = code === "INTERNAL_ERROR" ? new RestFailure(500, { code, message }) : RestFailure.of(code, message);
  return conventions.errorResponse(failure);
}

/**
 * Errors that happen before a request reaches a route (rate limit, body limit, bad credentials, an
 * unknown path) take the error shape of the dialect whose base path the request is under. Register it
 * before the transport middleware; `transportError` reads `errorShape`.
 */
export function dialectErrorShapes(
  dialects: readonly CompiledDialect[],
): MiddlewareHandler<{ Variables: HttpVariables }> {
  // Longest base path first: /api/storefront/v1 before /api.
  const byPath = [...dialects].sort((a, b) => b.basePath.length - a.basePath.length);
  return async (c, next) => {
    const dialect = byPath.find((d) => c.req.path === d.basePath || c.req.path.startsWith(`${d.basePath}/`));
    if (dialect) c.set("errorShape", (code, message) => dialectError(dialect.conventions, code, message));
    await next();
  };
}

export type ErrorShape = (code: RestError["code"], message: string) => { status: number; body: unknown };
