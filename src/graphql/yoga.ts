import { PothosValidationError } from "@pothos/core";
import { GraphQLError, NoSchemaIntrospectionCustomRule } from "graphql";
import { createYoga, maskError as defaultMaskError, type Plugin } from "graphql-yoga";
import type { Actor } from "../domain/auth/actor.js";
import { DomainError, ValidationError } from "../domain/errors.js";
import type { JobHandler } from "../domain/jobs/queue.js";
import type { PaymentProvider } from "../domain/payments/provider.js";
import type { Prisma } from "../infra/db.js";
import type { Logger } from "../infra/logger.js";
import type { EventTransport } from "../infra/pubsub.js";
import type { AppSecrets } from "../infra/secrets.js";
import type { IdentityServices } from "../domain/customers/accounts.js";
import type { PaymentFollowUpSettings } from "../domain/payments/follow-up.js";
import type { MediaOptions } from "../domain/media/storage.js";
import { useComplexityLimits } from "./complexity.js";
import type { GraphQLContext } from "./context.js";
import { schema } from "./schema.js";

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
  prisma: Prisma;
  events: EventTransport;
  payments: PaymentProvider;
  jobHandlers: ReadonlyMap<string, JobHandler>;
  secrets: AppSecrets;
  identity: IdentityServices;
  paymentFollowUp: PaymentFollowUpSettings;
  media: MediaOptions;
  webhookAllowPrivateTargets: boolean;
}

export function buildContext(services: GatewayServices, server: ServerContext): GraphQLContext {
  const { prisma, events, payments, jobHandlers, secrets, identity, paymentFollowUp, media, webhookAllowPrivateTargets } = services;
  const { actor, storeId, requestId } = server;
  return {
    prisma,
    actor,
    storeId,
    requestId,
    pubsub: events.pubsub,
    payments,
    jobHandlers,
    secrets,
    identity,
    paymentFollowUp,
    client: { ipAddress: server.clientAddress ?? null, userAgent: server.userAgent ?? null },
    media,
    webhookAllowPrivateTargets,
    scope: { prisma, storeId, actor, events: events.bus, requestId },
  };
}

/**
 * Domain errors that escape a resolver (auth failures, invalid pagination) keep their code and details;
 * anything unexpected stays masked, as Yoga does by default.
 */
export function maskError(error: unknown, message: string, isDev?: boolean, log?: (error: unknown) => void): Error {
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
      },
    });
  }
  if (original instanceof PothosValidationError && error instanceof GraphQLError) {
    return new GraphQLError(original.message, { path: error.path, extensions: { code: "BAD_REQUEST" } });
  }
  log?.(original ?? error);
  return defaultMaskError(error, message, isDev);
}

/** In production the schema is not introspectable (clients use the committed schema.graphql). */
const disableIntrospection: Plugin = {
  onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
};

export function createGraphQLServer(options: GatewayServices & { production: boolean; logger: Logger }) {
  const logUnexpected = (error: unknown) => options.logger.error("unexpected GraphQL error", { error });
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: "/graphql",
    // GraphiQL from the @graphql-yoga/render-graphiql bundle: no CDN, so it works offline. Loaded on
    // first use: the bundle is 9 MB and would cost a second at every start.
    graphiql: options.production ? false : { title: "Cartograph GraphQL" },
    renderGraphiQL: async (graphiql) => (await import("@graphql-yoga/render-graphiql")).renderGraphiQL(graphiql),
    landingPage: false,
    // Node's own web streams and Response: hono's node adapter hands them to the socket as they are.
    // With the ponyfill, undici re-wraps SSE bodies and throws an uncaught error when a client leaves.
    fetchAPI: { Response, Request, Headers, ReadableStream, TextEncoder, TextDecoder, URL, URLSearchParams, fetch },
    logging: false,
    maskedErrors: { maskError: (error, message, isDev) => maskError(error, message, isDev, logUnexpected) },
    context: ({ actor, storeId, requestId, clientAddress, request }) =>
      buildContext(options, { actor, storeId, requestId, clientAddress, userAgent: request?.headers.get("user-agent") }),
    plugins: [useComplexityLimits(), ...(options.production ? [disableIntrospection] : [])],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQLServer>;
