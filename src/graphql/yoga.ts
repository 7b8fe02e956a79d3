import { useGraphQLSSE } from "@graphql-yoga/plugin-graphql-sse";
import { PothosValidationError } from "@pothos/core";
import { GraphQLError, NoSchemaIntrospectionCustomRule } from "graphql";
import { createYoga, maskError as defaultMaskError, type Plugin } from "graphql-yoga";
import type { Actor } from "../domain/auth/actor.js";
import type { IdentityServices } from "../domain/customers/accounts.js";
import { DomainError, TooManyRequestsError, ValidationError } from "../domain/errors.js";
import type { JobRunner } from "../domain/jobs/queue.js";
import { type MarketplaceSettings, manualPayoutProvider } from "../domain/marketplace/marketplace-deps.js";
import type { MediaOptions } from "../domain/media/storage.js";
import type { OrderLookupThrottle } from "../domain/orders/email-lookup.js";
import type { PaymentFollowUpSettings } from "../domain/payments/follow-up.js";
import type { PaymentProvider } from "../domain/payments/provider.js";
import type { PaymentProviders } from "../domain/payments/providers.js";
import type { Db } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import type { EventTransport } from "../infra/pubsub.js";
import type { AppSecrets } from "../infra/secrets.js";
import { useComplexityLimits } from "./complexity.js";
import type { GraphQLContext } from "./context.js";
import { useInputLimits } from "./input-limits.js";
import { schema } from "./schema.js";

/** Where the graphql-sse client connects, in either of its modes. */
export const GRAPHQL_SSE_ENDPOINT = "/graphql/stream";

/** What the HTTP layer hands Yoga with each request (after authentication). */
export interface ServerContext {
  actor: Actor;
  storeId: string;
  requestId: string;
  /** The client's network address, when the transport knows it. */
  clientAddress?: string;
  userAgent?: string | null;
}

export interface GatewayServices {
  prisma: Db;
  events: EventTransport;
  payments: PaymentProvider;
  /** Every configured provider by name: checkout takes the one its store's settings select. */
  paymentProviders: PaymentProviders;
  /** Rate limits of order lookups by email (seed 003). */
  orderLookups: OrderLookupThrottle;
  jobs: JobRunner;
  secrets: AppSecrets;
  identity: IdentityServices;
  paymentFollowUp: PaymentFollowUpSettings;
  media: MediaOptions;
  webhookAllowPrivateTargets: boolean;
  /** Marketplace payouts (default: no hold, manual payouts). */
  marketplace?: MarketplaceSettings;
}

const DEFAULT_MARKETPLACE: MarketplaceSettings = { holdHours: 0, payouts: manualPayoutProvider() };

export function buildContext(services: GatewayServices, server: ServerContext): GraphQLContext {
  const {
    prisma,
    events,
    payments,
    paymentProviders,
    orderLookups,
    jobs,
    secrets,
    identity,
    paymentFollowUp,
    media,
    webhookAllowPrivateTargets,
  } = services;
  const { actor, storeId, requestId } = server;
  return {
    prisma,
    actor,
    storeId,
    requestId,
    pubsub: events.pubsub,
    payments,
    paymentProviders,
    orderLookups,
    jobs,
    secrets,
    identity,
    paymentFollowUp,
    client: { ipAddress: server.clientAddress ?? null, userAgent: server.userAgent ?? null },
    media,
    webhookAllowPrivateTargets,
    marketplace: services.marketplace ?? DEFAULT_MARKETPLACE,
    scope: { prisma, storeId, actor, events: events.bus, requestId },
  };
}

/** Where maskError reports the errors it sees, and how it shows the client's own mistakes. */
export interface ErrorReporting {
  /** An error of the request itself (syntax, validation, bad variables, batching, a GET mutation): expected. */
  clientError?: (error: GraphQLError) => void;
  /** Anything else: a bug or an outage, masked for the client. */
  unexpected?: (error: unknown) => void;
  /** Leave out graphql-js's "Did you mean ...?" hints, which show the schema to whoever guesses at it. */
  hideSuggestions?: boolean;
}

/**
 * Domain errors that escape a resolver (auth failures, invalid pagination) keep their code and details;
 * the request's own errors are shown as they are (without suggestions when `hideSuggestions`); anything
 * unexpected stays masked, as Yoga does by default.
 */
export function maskError(error: unknown, message: string, isDev?: boolean, reporting: ErrorReporting = {}): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError && error instanceof GraphQLError) {
    return new GraphQLError(original.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      extensions: {
        code: original.code,
        ...(original instanceof ValidationError ? { fieldErrors: original.fieldErrors } : {}),
        // A rate limit thrown by a query field (order lookups) says when to come back.
        ...(original instanceof TooManyRequestsError ? { retryAfterSeconds: original.details?.retryAfterSeconds } : {}),
      },
    });
  }
  if (original instanceof PothosValidationError && error instanceof GraphQLError) {
    return new GraphQLError(original.message, { path: error.path, extensions: { code: "BAD_REQUEST" } });
  }
  const masked = defaultMaskError(error, message, isDev);
  if (masked !== error) {
    reporting.unexpected?.(original ?? error);
    return masked;
  }
  // Yoga masks everything but GraphQL's own errors, which describe what was wrong with the request.
  const clientError = error as GraphQLError;
  reporting.clientError?.(clientError);
  return reporting.hideSuggestions ? withoutSuggestions(clientError) : clientError;
}

const SUGGESTION = /\s*Did you mean .*\?$/s;

function withoutSuggestions(error: GraphQLError): GraphQLError {
  if (!SUGGESTION.test(error.message)) return error;
  const { nodes, source, positions, path, originalError, extensions } = error;
  return new GraphQLError(error.message.replace(SUGGESTION, ""), {
    nodes,
    source,
    positions,
    path,
    originalError,
    extensions,
  });
}

/**
 * Validation errors do not pass through maskError (Yoga answers them directly), so they are reported
 * and stripped of suggestions here.
 */
function useValidationErrorReporting(reporting: ErrorReporting): Plugin {
  return {
    onValidate:
      () =>
      ({ result, setResult }) => {
        if (!result.length) return;
        for (const error of result) if (error instanceof GraphQLError) reporting.clientError?.(error);
        if (reporting.hideSuggestions) {
          setResult(
            result.map((error: Error) =>
              error instanceof GraphQLError ? withoutSuggestions(error) : error,
            ) as GraphQLError[],
          );
        }
      },
  };
}

/** Without GRAPHQL_INTROSPECTION (off by default in production) the schema is not introspectable: clients use the committed schema.graphql. */
const disableIntrospection: Plugin = {
  onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
};

export function createGraphQLServer(
  options: GatewayServices & {
    production: boolean;
    /** Whether introspection queries are answered (GRAPHQL_INTROSPECTION). */
    introspection: boolean;
    logger: Logger;
    /** Transport plugins (the HTTP metrics note each operation's name). */
    plugins?: Plugin[];
  },
) {
  const reporting: ErrorReporting = {
    unexpected: (error) => options.logger.error("unexpected GraphQL error", { error }),
    // A client's mistake is not the server's error: no stack, and below the default log level.
    clientError: (error) =>
      options.logger.debug("GraphQL request refused", { message: error.message, code: error.extensions.code }),
    hideSuggestions: options.production,
  };
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: "/graphql",
    // GraphiQL from the @graphql-yoga/render-graphiql bundle: no CDN, so it works offline. Loaded on
    // first use: the bundle is 9 MB and would cost a second at every start.
    graphiql: options.production ? false : { title: "Cartograph GraphQL" },
    renderGraphiQL: async (graphiql) => (await import("@graphql-yoga/render-graphiql")).renderGraphiQL(graphiql),
    landingPage: false,
    // The globals: Node's web streams, and the Node adapter's lightweight Request and Response once the
    // app's listener exists (app.ts makes it first), whose string bodies the adapter writes as they are.
    // With the @whatwg-node ponyfill, undici re-wraps SSE bodies and throws an uncaught error when a client leaves.
    fetchAPI: {
      Response: answerResponseClass(),
      Request: globalThis.Request,
      Headers,
      ReadableStream,
      TextEncoder,
      TextDecoder,
      URL,
      URLSearchParams,
      fetch,
    },
    logging: false,
    maskedErrors: { maskError: (error, message, isDev) => maskError(error, message, isDev, reporting) },
    // Body sizes are the HTTP layer's (http/body-limits.ts, 1 MB and the upload limit), checked before
    // Yoga runs: Yoga's own check would re-wrap every POST body in a web TransformStream and a new Request.
    maxRequestBodySize: false,
    // CORS is the HTTP layer's (http/cors.ts): Yoga's default would reflect any origin, with credentials.
    cors: false,
    context: ({ actor, storeId, requestId, clientAddress, request }) =>
      buildContext(options, {
        actor,
        storeId,
        requestId,
        clientAddress,
        userAgent: request?.headers.get("user-agent"),
      }),
    plugins: [
      useInputLimits(),
      useComplexityLimits(),
      useValidationErrorReporting(reporting),
      // The GraphQL over SSE protocol, both modes, for the graphql-sse client (app.ts mounts the path):
      // single connection (PUT reserves a stream, GET listens, POST runs operations with its token) and
      // distinct connections. Plain /graphql also streams a subscription asked with Accept: text/event-stream.
      useGraphQLSSE({ endpoint: GRAPHQL_SSE_ENDPOINT }),
      ...(options.introspection ? [] : [disableIntrospection]),
      ...(options.plugins ?? []),
    ],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQLServer>;

/**
 * Yoga's Response: the Node adapter's lightweight one (`globalThis.Response` once the listener exists),
 * with its headers held as one Headers object from the start. The HTTP layer sets headers on an answer
 * after Yoga made it (request id, Vary, rate limits: http/middleware.ts `setAnswerHeader`). Given a plain
 * object, the lightweight Response would keep those apart from the init it becomes a full Response from
 * when a caller reads its body in-process (`app.fetch(...).text()`), and they would be lost.
 */
function answerResponseClass(): typeof Response {
  const Lightweight = globalThis.Response;
  return class AnswerResponse extends Lightweight {
    constructor(body?: BodyInit | null, init?: ResponseInit) {
      super(
        body,
        init?.headers && !(init.headers instanceof Headers) ? { ...init, headers: new Headers(init.headers) } : init,
      );
    }
  } as typeof Response;
}
