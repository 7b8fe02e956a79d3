import type { Hono } from "hono";
import { isPublicQuery } from "../graphql/response-cache.js";
import { RestFailure } from "../http/errors.js";
import type { HttpVariables } from "../http/middleware.js";
import type { DialectConventions } from "./dialect.js";
import { mainConventions } from "./dialects/main/conventions.js";
import { type CompiledRoute, type RestExecutor, toFailure } from "./executor.js";
import { publicAnswer } from "./public-answers.js";

/** `application/json` or a `+json` type, with or without parameters. */
const JSON_CONTENT_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads a JSON object body: empty -> {}, not sent as JSON -> 415, malformed -> 400, a non-object -> 422.
 * Requiring the JSON content type is part of the CSRF defence: a page of another site can send
 * `text/plain` without a preflight, but not `application/json`.
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text.trim()) return {};
  if (!JSON_CONTENT_TYPE.test(request.headers.get("content-type") ?? "")) {
    throw RestFailure.of("UNSUPPORTED_MEDIA_TYPE", "The request body must be sent as application/json.");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw RestFailure.of("BAD_REQUEST", "The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw RestFailure.of("VALIDATION_FAILED", "The request body must be a JSON object.", [
      { path: "", code: "invalid_type", message: "Expected a JSON object." },
    ]);
  }
  return parsed as Record<string, unknown>;
}

/** Reads a multipart/form-data body; anything else is a 400. */
async function readForm(request: Request): Promise<FormData> {
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("multipart/form-data")) {
    throw RestFailure.of("BAD_REQUEST", "The request body must be multipart/form-data.");
  }
  try {
    return await request.formData();
  } catch {
    throw RestFailure.of("BAD_REQUEST", "The multipart body could not be parsed.");
  }
}

/** A form's fields as a body object (files stay File values; a repeated name becomes a list). */
export function formFields(form: FormData): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of new Set(form.keys())) {
    const values = form.getAll(name);
    fields[name] = values.length === 1 ? values[0] : values;
  }
  return fields;
}

/** Registers a dialect's compiled routes on the app under `basePath`, with the dialect's conventions (seed 002's by default). */
export function mountRoutes(
  app: Hono<{ Variables: HttpVariables }>,
  basePath: string,
  routes: readonly CompiledRoute[],
  executor: RestExecutor,
  onUnexpected: (error: unknown) => void,
  conventions: DialectConventions = mainConventions,
): void {
  for (const compiled of routes) {
    const { spec } = compiled;
    // A GET of public data (catalog, search, categories, config): ETag and Cache-Control headers.
    let publicRoute: boolean | undefined;
    app.on(spec.method, `${basePath}${spec.path}`, async (c) => {
      publicRoute ??= spec.method === "GET" && isPublicQuery(compiled.document);
      try {
        const rawBody = spec.rawBody ? await c.req.raw.text() : "";
        const body = spec.multipart
          ? formFields(await readForm(c.req.raw))
          : spec.body && !spec.rawBody
            ? conventions.readBody(await readJsonObject(c.req.raw), spec)
            : {};
        const result = await executor.run(
          compiled,
          {
            params: c.req.param() as Record<string, string>,
            query: c.req.query(),
            body,
            rawBody,
            headers: c.req.raw.headers,
            url: c.req.url,
          },
          {
            actor: c.get("actor"),
            storeId: c.get("storeId"),
            requestId: c.get("requestId"),
            clientAddress: c.get("clientAddress"),
          },
          c.req.raw,
          conventions,
        );
        if ("response" in result) return result.response;
        if (publicRoute) return publicAnswer(c, result.body, result.status, result.publicAnswer === true);
        return c.json(result.body, result.status as 200);
      } catch (error) {
        const failure = toFailure(error);
        if (failure.status >= 500) onUnexpected(error);
        const retryAfter = (failure.error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
        if (failure.status === 429 && typeof retryAfter === "number") c.header("Retry-After", String(retryAfter));
        const { status, body } = conventions.errorResponse(failure, spec);
        return c.json(body, status as 400);
      }
    });
  }
}
