import { getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Hono, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { can } from "../domain/auth/actor.js";
import { onDeliveryOutcome } from "../domain/webhooks/deliver.js";
import { countWebhookDelivery, type Metrics } from "../infra/metrics.js";
import { type HttpVariables, transportError } from "./middleware.js";

onDeliveryOutcome(countWebhookDelivery);

export const METRICS_PATH = "/metrics";
export const METRICS_PERMISSION = "metrics:read";

/** The GraphQL operation each /graphql request ran, noted by the Yoga plugin for the HTTP metrics. */
const operations = new WeakMap<Request, string>();

/** Notes the executed operation's name (from the document when the client sent no operationName). */
export const useOperationNames: Plugin = {
  onExecute: ({ args }) => noteOperation(args),
  onSubscribe: ({ args }) => noteOperation(args),
};

function noteOperation(args: {
  document: Parameters<typeof getOperationAST>[0];
  operationName?: string | null;
  contextValue: unknown;
}) {
  const request = (args.contextValue as { request?: Request }).request;
  if (!request || operations.has(request)) return;
  operations.set(request, getOperationAST(args.document, args.operationName)?.name?.value ?? "");
}

/**
 * The route a request matched, as its pattern (`/api/orders/:id`), so ids never become labels; requests
 * that matched no route (404, 405, OPTIONS answered by CORS) are "unmatched".
 */
function routeOf(c: Parameters<MiddlewareHandler>[0]): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const { path } = routes[i]!;
    if (path !== "*" && path !== "/*") return path;
  }
  return "unmatched";
}

/** Times every request and counts it by method, route pattern (or GraphQL operation) and status. */
export function requestMetrics(metrics: Metrics, graphqlEndpoint: string): MiddlewareHandler {
  return async (c, next) => {
    const began = performance.now();
    try {
      await next();
    } finally {
      const route = routeOf(c);
      metrics.observeRequest({
        method: c.req.method,
        route,
        operation: route === graphqlEndpoint ? operations.get(c.req.raw) : undefined,
        // A thrown error becomes a 500 in onError, after this middleware.
        status: c.error ? 500 : c.res.status,
        seconds: (performance.now() - began) / 1000,
      });
    }
  };
}

/**
 * `GET /metrics` in Prometheus's text format, for callers holding `metrics:read` (or `*:*`), or for
 * anyone when METRICS_PUBLIC=true (a scraper on a private network without a key).
 */
export function mountMetrics(app: Hono<{ Variables: HttpVariables }>, metrics: Metrics, options: { public: boolean }) {
  app.get(METRICS_PATH, async (c) => {
    if (!options.public) {
      const actor = c.get("actor");
      if (actor.kind === "anonymous")
        return transportError(c, "UNAUTHORIZED", `${METRICS_PATH} needs an API key with ${METRICS_PERMISSION}.`);
      if (!can(actor, METRICS_PERMISSION))
        return transportError(c, "FORBIDDEN", `${METRICS_PATH} needs ${METRICS_PERMISSION}.`);
    }
    const { contentType, body } = await metrics.scrape();
    return c.body(body, 200, { "Content-Type": contentType, "Cache-Control": "no-store" });
  });
}
