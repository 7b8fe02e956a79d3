/**
 * A REST route is data: which GraphQL operation of our schema it runs, how the HTTP request becomes
 * that operation's variables, and where in the result its payload is. The executor runs it in-process
 * and the OpenAPI document is generated from the same entries.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface QueryParamSpec {
  type: "string" | "integer" | "boolean";
  description: string;
  enum?: readonly string[];
  example?: string | number;
  /** What the server enforces, so generated clients send what it accepts. */
  minimum?: number;
  maximum?: number;
  format?: "uuid" | "date-time" | "date" | "email";
  maxLength?: number;
  /** The parameter must be sent. */
  required?: boolean;
}

export interface RestRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body (an object), a multipart route's form fields, or `{}` when the route takes none. */
  body: Record<string, unknown>;
  /** The body as sent, for routes with `rawBody` (signed webhooks). */
  rawBody: string;
  headers: Headers;
  /** The request URL as received (scheme and host for cookies and absolute links). */
  url: string;
}

/** A JSON schema object of the OpenAPI document. */
export type OpenApiSchema = { type?: string; properties?: Record<string, OpenApiSchema>; [key: string]: unknown };

/** What `respond` returns: the success body of the main dialect's envelope. */
export interface Envelope {
  data: unknown;
  meta?: Record<string, unknown>;
}

/** The page a paginated route's `respond` is asked for. */
export interface PageAsked {
  page: number;
  limit: number;
}

/**
 * A route as the executor, the conventions and the OpenAPI generator see it: its payload untyped. A
 * dialect's route table is written against its operations' generated result types instead (`typedRoute`);
 * the hooks are methods so that a typed route is one of these.
 */
export interface RouteSpec {
  method: HttpMethod;
  /** Relative to the dialect's base path, with `:param` segments. */
  path: string;
  summary: string;
  tag: string;
  description?: string;
  /**
   * The GraphQL operation; `...Fragment` spreads are resolved from the dialect's fragment library. Its
   * result type is generated (`npm run schema:print`: src/rest/generated/<dialect>.ts).
   */
  operation: string;
  /** Documented query parameters (page/limit are added for paginated routes). */
  query?: Record<string, QueryParamSpec>;
  /**
   * The input-object variable the JSON body becomes (its GraphQL type documents the body).
   * `pathFields` maps path parameters onto input fields; they override the body, so a body cannot
   * redirect a request to another id.
   */
  body?: { variable: string; pathFields?: Record<string, string>; example?: unknown };
  /** Pass the body through unparsed (`RestRequest.rawBody`), e.g. to verify a signature over it. */
  rawBody?: boolean;
  /**
   * The body is multipart/form-data, e.g. a file upload. Its fields are the body
   * (files as File values), so `body.variable` works as for JSON and the docs show a form.
   */
  multipart?: boolean;
  /** page/limit pagination over a connection at `result`; the response gets `meta.pagination`. */
  paginated?: boolean;
  /** The default `limit` of a paginated route (20 unless said). */
  pageSize?: number;
  variables?: (request: RestRequest) => Record<string, unknown>;
  /** Path from `data` to the payload. Root-field error unions are detected on the first step. */
  result: readonly (string | number)[];
  /** Resource named in the 404 when the payload is null. */
  notFound?: string;
  /** A null payload is an answer (`reply(null)` or `{ data: null }`), not a 404. */
  nullable?: boolean;
  /**
   * Shapes the payload into the envelope when it is not simply `{ data: payload }`. For a paginated
   * route it gets the connection and the page asked for, and `meta.pagination` is added to its meta.
   */
  respond?(payload: unknown, page?: PageAsked): Envelope;
  /** Success status (default 200). */
  status?: number;
  /**
   * Answers with this Response instead of the JSON envelope: redirects, cookies, or a body shape a
   * dialect documents outside its envelope. Errors still take the dialect's error envelope.
   */
  reply?(payload: unknown, request: RestRequest): Response;
  /**
   * For `respond` and `reply` routes: the documented response body, from the schema derived for the
   * payload (OpenAPI). Without it the document shows `{ data: payload }`. A typed route's must describe
   * what its `respond` returns (`SchemaOf`).
   */
  responseSchema?(payload: OpenApiSchema): OpenApiSchema;
  /** Named permission for the docs; enforcement lives on the GraphQL field. */
  permission?: string;
}

/** The value at `path` in an operation's result `T`; a step into a union takes the members that have it. */
export type PayloadAt<T, Path extends readonly unknown[]> = Path extends readonly [infer Step, ...infer Rest]
  ? PayloadAt<StepInto<NonNullable<T>, Step>, Rest>
  : T;

type StepInto<T, Step> = T extends unknown
  ? Step extends number
    ? T extends readonly (infer Item)[]
      ? Item
      : never
    : Step extends keyof T
      ? T[Step]
      : never
  : never;

/**
 * The payload a route's hooks get: the value at its `result` path in the result type generated for its
 * key, non-null unless the route is `nullable` (the executor answers 404 for null). A route whose path is
 * built at run time has no key of the generated map: its hooks declare the payload type they take.
 */
export type RoutePayload<Results, Key, Path extends readonly unknown[], Nullable> = Key extends keyof Results
  ? Nullable extends true
    ? PayloadAt<Results[Key], Path>
    : NonNullable<PayloadAt<Results[Key], Path>>
  : never;

/** One node of a connection payload (what a paginated route's presenter gets per item). */
export type NodeOf<Connection> = Connection extends { edges: readonly { node: infer Node }[] }
  ? NonNullable<Node>
  : unknown;

/** The JSON schema of a value of type `T` as OpenAPI documents it, checked against `T` where `T` is known. */
export type SchemaOf<T> = Schema<T, { $ref: string; description?: string; nullable?: boolean }>;

/** The schema derived from the operation for a payload of type `T` (openapi.ts payloadSchema). */
export type DerivedSchemaOf<T> = Schema<T, never>;

/** Annotations any schema may carry (description, nullable, required, example...). */
type Annotated = { description?: string; nullable?: boolean; [keyword: string]: unknown };

/**
 * Every field of an object must be documented, with its kind (object, array, string, number, boolean);
 * nullability, formats and documented fields the value lacks are not checked. `Ref` is what may stand
 * for a schema (a `$ref`, in a hand-written one).
 */
type Schema<T, Ref> = unknown extends T ? OpenApiSchema : KnownSchema<NonNullable<T>, Ref> | Ref;

type KnownSchema<T, Ref> = [T] extends [string]
  ? { type: "string" } & Annotated
  : [T] extends [number]
    ? { type: "integer" | "number" } & Annotated
    : [T] extends [boolean]
      ? { type: "boolean" } & Annotated
      : [T] extends [readonly (infer Item)[]]
        ? { type: "array"; items: Schema<Item, Ref> } & Annotated
        : [T] extends [object]
          ? (string extends keyof T
              ? { type: "object"; additionalProperties?: Schema<T[string & keyof T], Ref> }
              : { type: "object"; properties: { [K in KeysOfUnion<T>]-?: Schema<ValueOfUnion<T, K>, Ref> } }) &
              Annotated
          : OpenApiSchema;

type KeysOfUnion<T> = T extends unknown ? keyof T : never;
type ValueOfUnion<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;

/** What a typed route's `responseSchema` must return: any schema for a `reply` route's own body. */
type ResponseSchemaOf<Body, Paginated> = Envelope extends Body
  ? OpenApiSchema
  : SchemaOf<WithPagination<Body, Paginated>>;

/** The `meta.pagination` the main dialect's conventions add to a paginated route's own meta. */
type WithPagination<Body, Paginated> = Paginated extends true
  ? Body & { meta: { pagination: { page: number; limit: number; total: number; totalPages: number } } }
  : Body;

/** The hooks of a route written against its operation's generated result type (`typedRoute`). */
export interface TypedHooks<Payload, Body extends Envelope, Paginated, Documented> {
  respond?: (payload: Payload, page?: PageAsked) => Body;
  reply?: (payload: Payload, request: RestRequest) => Response;
  /** Gets the schema derived for the payload: a paginated route's, for its nodes (an array). */
  responseSchema?: (payload: DerivedSchemaOf<Paginated extends true ? NodeOf<Payload>[] : Payload>) => Documented;
}

/**
 * Nothing when the documented schema describes the body `respond` returns; else a `responseSchema` of
 * the expected type, so that the compiler reports where they differ. (The documented schema is inferred
 * on its own, `const`, then compared: checked in place, the literals of a deep schema would widen.)
 */
type DescribesBody<Documented, Payload, Body, Paginated> = [Documented] extends [ResponseSchemaOf<Body, Paginated>]
  ? unknown
  : {
      responseSchema: (
        payload: DerivedSchemaOf<Paginated extends true ? NodeOf<Payload>[] : Payload>,
      ) => ResponseSchemaOf<Body, Paginated>;
    };

/**
 * The `route` of a dialect whose generated `RouteResults` map each route (`METHOD path`) to its
 * operation's result type: `respond` and `reply` get the payload at `result`, typed, and `responseSchema`
 * must describe what `respond` returns. A route whose hooks want another type than its operation
 * selects fails to compile, as does one whose operation no longer selects what its hooks use.
 */
export function typedRoute<Results>() {
  return <
    const Method extends HttpMethod,
    const Path extends string,
    const Result extends readonly (string | number)[],
    Body extends Envelope = Envelope,
    Nullable extends boolean = false,
    Paginated extends boolean = false,
    const Documented extends OpenApiSchema = OpenApiSchema,
  >(
    spec: Omit<RouteSpec, keyof TypedHooks<unknown, Envelope, boolean, unknown>> &
      TypedHooks<RoutePayload<Results, `${Method} ${Path}`, Result, Nullable>, Body, Paginated, Documented> & {
        method: Method;
        path: Path;
        result: Result;
        nullable?: Nullable;
        paginated?: Paginated;
      } & DescribesBody<Documented, RoutePayload<Results, `${Method} ${Path}`, Result, Nullable>, Body, Paginated>,
  ): RouteSpec => spec as RouteSpec;
}

/**
 * What a dialect's presenter gets: the payload at `result` in the operation's generated result type, or
 * for a paginated list each node of it.
 */
export type PresentedPayload<
  Results,
  Key,
  Result extends readonly unknown[],
  Nullable,
  Paginated,
> = Paginated extends true
  ? NodeOf<RoutePayload<Results, Key, Result, Nullable>>
  : RoutePayload<Results, Key, Result, Nullable>;

/** A route's key among its dialect's routes, e.g. "GET /catalog/entities/:id" (generated RouteResults). */
export function routeKey(spec: Pick<RouteSpec, "method" | "path">): string {
  return `${spec.method} ${spec.path}`;
}

/**
 * The operation of a route that runs one mutation of our result-union shape: its typed errors, or its
 * payload (`<Field>Payload`, as `mutationResult` names it) with `dataField` selected. `variables` are
 * extra declarations (e.g. `$withVariants: Boolean! = false`).
 */
export function mutationOperation(spec: {
  field: string;
  inputType: string;
  dataField: string;
  selection: string;
  variables?: string;
}): string {
  const payload = `${spec.field[0]!.toUpperCase()}${spec.field.slice(1)}Payload`;
  const declarations = [spec.variables, `$input: ${spec.inputType}!`].filter(Boolean).join(", ");
  return `mutation (${declarations}) {
    ${spec.field}(input: $input) { ...ErrorFields ... on ${payload} { ${spec.dataField} { ${spec.selection} } } }
  }`;
}

/**
 * A dialect's hand-written schema constant, checked against the type of the value it documents (a
 * presenter's return type), as `SchemaOf` checks the main dialect's `responseSchema`:
 * `describes<ReturnType<typeof presentProduct>>()({ type: "object", properties: {...} })`. The schema
 * keeps its literal type (so a schema built from checked parts is checked too); where it lacks a field
 * or documents another kind, the compiler reports the expected `SchemaOf` type.
 */
export function describes<T>() {
  return <const Documented extends OpenApiSchema>(
    schema: Documented & ([Documented] extends [SchemaOf<T>] ? unknown : SchemaOf<T>),
  ): Documented => schema;
}
