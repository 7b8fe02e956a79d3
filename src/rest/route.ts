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

export interface RouteSpec {
  method: HttpMethod;
  /** Relative to the dialect's base path, with `:param` segments. */
  path: string;
  summary: string;
  tag: string;
  description?: string;
  /** The GraphQL operation; `...Fragment` spreads are resolved from the dialect's fragment library. */
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
  respond?: (payload: any, page?: { page: number; limit: number }) => { data: unknown; meta?: Record<string, unknown> };
  /** Success status (default 200). */
  status?: number;
  /**
   * Answers with this Response instead of the JSON envelope: redirects, cookies, or a body shape a
   * dialect documents outside its envelope. Errors still take the dialect's error envelope.
   */
  reply?: (payload: any, request: RestRequest) => Response;
  /**
   * For `respond` and `reply` routes: the documented response body, from the schema derived for the
   * payload (OpenAPI). Without it the document shows `{ data: payload }`.
   */
  responseSchema?: (payload: OpenApiSchema) => OpenApiSchema;
  /** Named permission for the docs; enforcement lives on the GraphQL field. */
  permission?: string;
}

export function route(spec: RouteSpec): RouteSpec {
  return spec;
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
