import { type DocumentNode, type GraphQLError, type GraphQLSchema, Kind, parse, print, validate } from "graphql";
import { DomainError, ValidationError } from "../domain/errors.js";
import { INPUT_LIMITS, toFieldError, unsafeJsonProblem } from "../domain/validation.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../graphql/pagination.js";
import { answerVariesWith, type ResponseCache } from "../graphql/response-cache.js";
import { schema } from "../graphql/schema.js";
import type { GraphQLServer, ServerContext } from "../graphql/yoga.js";
import { RestFailure } from "../http/errors.js";
import type { Connection, DialectConventions, PageRequest } from "./dialect.js";
import { failureFromErrorResult, failureFromGraphQLErrors } from "./operation-errors.js";
import { type RestRequest, type RouteSpec, routeKey } from "./route.js";

export interface CompiledRoute {
  spec: RouteSpec;
  document: DocumentNode;
}

export type RestSuccess =
  /**
   * The body in the dialect's envelope (DialectConventions). `publicAnswer`: the same for every anonymous
   * visitor of the store (a public read), so the HTTP layer adds an ETag and may answer 304.
   */
  | { status: number; body: unknown; publicAnswer?: boolean }
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

/**
 * The input of codegen.ts for one dialect: every route's operation, named after its route ("POST
 * /checkout" -> `PostCheckout`), with the fragments they spread; and the `RouteResults` interface that
 * maps each route to its operation's generated result type (src/rest/generated/<dialect>.ts).
 */
export function routeDocuments(
  routes: readonly Pick<RouteSpec, "method" | "path" | "operation">[],
  fragments: Record<string, string>,
): { document: string; results: string } {
  const operations: string[] = [];
  const results: string[] = [];
  const named = new Map<string, string>();
  for (const spec of routes) {
    const key = routeKey(spec);
    const name = key
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase())
      .join("");
    if (named.has(name)) throw new Error(`Routes ${named.get(name)} and ${key} get one operation name, ${name}`);
    named.set(name, key);
    const document = parse(spec.operation, { noLocation: true });
    const definitions = document.definitions.map((d) =>
      d.kind === Kind.OPERATION_DEFINITION ? { ...d, name: { kind: Kind.NAME, value: name } as const } : d,
    );
    const operation = definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const suffix =
      operation?.kind === Kind.OPERATION_DEFINITION && operation.operation === "mutation" ? "Mutation" : "Query";
    operations.push(print({ ...document, definitions }));
    results.push(`  ${JSON.stringify(key)}: ${name}${suffix};`);
  }
  return {
    document: withFragments(operations.join("\n\n"), fragments),
    results: `\n/** Each route's operation result, by \`METHOD path\` (RouteSpec). */\nexport interface RouteResults {\n${results.join("\n")}\n}\n`,
  };
}

/** A route's operation, parsed and validated against the schema; a broken route throws, naming it. */
export function compileRouteDocument(
  schema: GraphQLSchema,
  spec: RouteSpec,
  fragments: Record<string, string>,
): DocumentNode {
  const document = parse(withFragments(spec.operation, fragments), { noLocation: true });
  const errors = validate(schema, document);
  if (errors.length) {
    throw new Error(`REST route ${spec.method} ${spec.path}: ${errors.map((e) => e.message).join("; ")}`);
  }
  return document;
}

/**
 * Each route's operation is parsed and validated once, on its first request: validating all ~250 at
 * boot was a tenth of an embedded start. test/rest/route-documents.test.ts validates every one in CI.
 */
export function compileRoutes(
  schema: GraphQLSchema,
  routes: readonly RouteSpec[],
  fragments: Record<string, string>,
): CompiledRoute[] {
  return routes.map((spec) => {
    let document: DocumentNode | undefined;
    return {
      spec,
      get document() {
        document ??= compileRouteDocument(schema, spec, fragments);
        return document;
      },
    };
  });
}

/**
 * page/limit as seed 002 defines them: page >= 1, limit 1..100 (larger limits are capped), default 20;
 * the page must start within INPUT_LIMITS.offset (so a page number beyond 64 bits is a 422, not a 500).
 */
export function parsePagination(
  query: Record<string, string>,
  defaultLimit = DEFAULT_PAGE_SIZE,
): { page: number; limit: number } {
  const problems = [];
  const page = query.page === undefined ? 1 : positiveInteger(query.page);
  if (page === null) problems.push({ path: "page", code: "invalid", message: "page must be an integer >= 1." });
  let limit = query.limit === undefined ? defaultLimit : positiveInteger(query.limit);
  if (limit === null) problems.push({ path: "limit", code: "invalid", message: "limit must be an integer >= 1." });
  if (problems.length) throw new ValidationError(problems);
  limit = Math.min(limit!, MAX_PAGE_SIZE);
  const lastPage = Math.floor(INPUT_LIMITS.offset / limit) + 1;
  if (page! > lastPage) {
    throw new ValidationError([
      {
        path: "page",
        code: "too_big",
        message: `page must be at most ${lastPage} with limit ${limit}.`,
        max: lastPage,
      },
    ]);
  }
  return { page: page!, limit };
}

/**
 * NUL, nesting and overlong parameters in what the client sent (path and query parameters, the body),
 * named as the client named them; the GraphQL layer checks the operation's variables again
 * (graphql/input-limits.ts), with the length caps of their input types.
 */
function assertSafeInput(input: RestRequest): void {
  const problems = [unsafeJsonProblem(input.params), unsafeJsonProblem(input.query), unsafeJsonProblem(input.body)];
  const fieldErrors = problems.filter((p) => p !== null).map((p) => toFieldError(p));
  for (const [name, value] of [...Object.entries(input.params), ...Object.entries(input.query)]) {
    if (value.length > INPUT_LIMITS.textLength) {
      fieldErrors.push(
        toFieldError({
          path: [name],
          code: "too_big",
          message: `Must be at most ${INPUT_LIMITS.textLength} characters.`,
          max: INPUT_LIMITS.textLength,
        }),
      );
    }
  }
  if (fieldErrors.length) throw new ValidationError(fieldErrors);
}

/** A decimal integer >= 1 (digits only: no exponents, signs or hex), or null. */
function positiveInteger(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 ? n : null;
}

/**
 * Runs a route's operation through Yoga's envelop (the same plugins, context and resolvers as
 * /graphql) and shapes the result into the dialect's envelope, or throws a RestFailure.
 */
export class RestExecutor {
  constructor(
    private readonly yoga: GraphQLServer,
    /** Public reads (anonymous catalog GETs) are answered from it when cached. */
    private readonly responseCache?: ResponseCache,
  ) {}

  async run(
    route: CompiledRoute,
    input: RestRequest,
    server: ServerContext,
    request: Request,
    conventions: DialectConventions,
  ): Promise<RestSuccess> {
    const { spec } = route;
    let variables: Record<string, unknown>;
    let page: PageRequest | undefined;
    try {
      assertSafeInput(input);
      variables = { ...spec.variables?.(input) };
      if (spec.body) {
        const fromPath = Object.entries(spec.body.pathFields ?? {}).map(([param, field]) => [
          field,
          input.params[param],
        ]);
        variables[spec.body.variable] = { ...input.body, ...Object.fromEntries(fromPath) };
      }
      if (spec.paginated) {
        page = conventions.readPage(input, spec);
        Object.assign(variables, page.arguments);
      }
    } catch (error) {
      throw toFailure(error);
    }
    // A dialect may name the store itself (a slug in its path) instead of taking the caller's.
    if (conventions.serverContext) server = await conventions.serverContext(input, server, spec);

    // The document is parsed and validated once (compileRoutes): only execution is left.
    const execute = async () => {
      const enveloped = this.yoga.getEnveloped({ ...server, request, params: {} } as never);
      const contextValue = await enveloped.contextFactory();
      return (await enveloped.execute({
        schema: enveloped.schema,
        document: route.document,
        variableValues: variables,
        contextValue,
      })) as { data?: Record<string, unknown> | null; errors?: readonly GraphQLError[] };
    };
    let result: { data?: Record<string, unknown> | null; errors?: readonly GraphQLError[] };
    let publicAnswer = false;
    if (this.responseCache && spec.method === "GET") {
      // Prices also follow X-Currency and X-Region (graphql/types/localization.ts): part of the key like the languages.
      const caller = {
        actor: server.actor,
        storeId: server.storeId,
        acceptLanguage: answerVariesWith(request.headers),
      };
      ({ result, publicAnswer } = (await this.responseCache.rest(route, variables, caller, execute)) as {
        result: typeof result;
        publicAnswer: boolean;
      });
    } else {
      result = await execute();
    }

    const rootValue = result.data?.[spec.result[0] as string];
    if (result.errors?.length && (rootValue === null || rootValue === undefined)) {
      throw failureFromGraphQLErrors(
        result.errors,
        { schema, document: route.document, variables },
        spec.body?.variable,
      );
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

    if (page)
      return {
        status: spec.status ?? 200,
        body: conventions.listBody(payload as Connection, page, spec),
        publicAnswer,
      };
    if (spec.reply) return { response: spec.reply(payload, input) };
    return { status: spec.status ?? 200, body: conventions.singleBody(payload, spec), publicAnswer };
  }
}

export function toFailure(error: unknown): RestFailure {
  if (error instanceof RestFailure) return error;
  if (error instanceof ValidationError) return RestFailure.of(error.code, error.message, error.fieldErrors);
  if (error instanceof DomainError) return RestFailure.of(error.code, error.message, error.details);
  return new RestFailure(500, { code: "INTERNAL_ERROR", message: "Unexpected error." });
}
