import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { DocumentNode } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { parse as parseCookie } from "hono/utils/cookie";
import { WebSocketServer } from "ws";
import { type Actor, ANONYMOUS, storeOf } from "../domain/auth/actor.js";
import { type Credentials, originTrusted, SESSION_COOKIE } from "../http/middleware.js";
import type { GraphQLContext } from "./context.js";
import { SharedSubscriptions } from "./shared-subscriptions.js";
import type { GraphQLServer } from "./yoga.js";

interface SocketExtra extends Record<PropertyKey, unknown> {
  actor?: Actor;
}

/** The API key from graphql-ws connection params: `{ apiKey }`, `{ "x-api-key" }` or `{ authorization: "Bearer ..." }`. */
function keyFromParams(params: Record<string, unknown> | undefined): string | undefined {
  if (!params) return undefined;
  const direct = params.apiKey ?? params["x-api-key"];
  if (typeof direct === "string" && direct) return direct;
  const auth = params.authorization ?? params.Authorization;
  return typeof auth === "string" ? /^Bearer\s+(.+)$/i.exec(auth)?.[1] : undefined;
}

function sessionCookieOf(request: IncomingMessage): string | undefined {
  return request.headers.cookie ? parseCookie(request.headers.cookie, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
}

/** No Origin (not a browser), or the server's own or a trusted origin, as for HTTP mutations. */
function originAllowed(request: IncomingMessage, trustedOrigins: readonly string[]): boolean {
  const { origin, host } = request.headers;
  return !origin || originTrusted(origin, host ? [`http://${host}`, `https://${host}`] : [], trustedOrigins);
}

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

/**
 * Subscriptions that are certain to produce the same results: the same parsed document (Yoga caches
 * parses, so the same query text is the same object), operation and variables, in the same store, for
 * the same caller (an API key's or a customer's id: the same permissions, the same own orders).
 */
function sharingKey(args: {
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: unknown;
  contextValue?: unknown;
}): string | null {
  if (!args.contextValue) return null;
  const { actor, storeId } = args.contextValue as GraphQLContext;
  let id = documentIds.get(args.document);
  if (id === undefined) documentIds.set(args.document, (id = nextDocumentId++));
  const caller = actor.kind === "anonymous" ? "anonymous" : `${actor.kind}:${actor.id}`;
  return JSON.stringify([id, args.operationName ?? null, args.variableValues ?? null, storeId, caller]);
}

/**
 * graphql-ws on the GraphQL path of the same HTTP server. Operations run through `yoga.getEnveloped`,
 * so auth, context and plugins are the ones HTTP requests get.
 */
export function attachGraphQLWebSocket(
  server: Server,
  yoga: GraphQLServer,
  credentials: Credentials,
  defaultStoreId: string,
  trustedOrigins: readonly string[] = [],
) {
  const wsServer = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const shared = new SharedSubscriptions();
  // Every socket's graphql-ws context, for the metrics (its `subscriptions` holds the running ones).
  const open = new Set<{ subscriptions: Record<string, unknown> }>();
  const disposable = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      onClose: (ctx) => void open.delete(ctx),
      onConnect: async (ctx) => {
        open.add(ctx);
        const key = keyFromParams(ctx.connectionParams);
        if (!key) {
          // A browser's session cookie, but only from our own (or a trusted) origin: another site's page
          // must not open a socket that acts as the visitor (cross-site WebSocket hijacking).
          const cookie = sessionCookieOf(ctx.extra.request);
          const sameOrigin = originAllowed(ctx.extra.request, trustedOrigins);
          ctx.extra.actor =
            (cookie && sameOrigin && (await credentials.sessions.authenticate(cookie, "cookie"))) || ANONYMOUS;
          return true;
        }
        const actor = await credentials.authenticate(key);
        if (!actor) return false; // closes with 4403 Forbidden
        ctx.extra.actor = actor;
        return true;
      },
      execute: (args) => (args.rootValue as { execute: typeof import("graphql").execute }).execute(args),
      // Identical subscriptions of one caller share one execution per event (see shared-subscriptions.ts).
      subscribe: (args) =>
        shared.subscribe(sharingKey(args), () =>
          (args.rootValue as { subscribe: typeof import("graphql").subscribe }).subscribe(args),
        ) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const actor = ctx.extra.actor ?? ANONYMOUS;
        const storeId = storeOf(actor) ?? defaultStoreId;
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          actor,
          storeId,
          requestId: randomUUID(),
          params: payload,
        } as never);
        const document = parse(payload.query);
        const errors = validate(schema, document);
        if (errors.length) return errors;
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables ?? undefined,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wsServer,
  );
  return {
    stats() {
      let subscriptions = 0;
      for (const ctx of open) subscriptions += Object.values(ctx.subscriptions).filter(Boolean).length;
      return { connections: wsServer.clients.size, subscriptions };
    },
    /**
     * Closes every socket with 1001 Going Away (clients reconnect elsewhere), waiting up to `graceMs` for
     * their closing handshakes before cutting the rest.
     */
    async close(graceMs = 0) {
      const clients = [...wsServer.clients];
      const closed = Promise.all(
        clients.map(
          (client) =>
            new Promise<void>((resolve) =>
              client.readyState === client.CLOSED ? resolve() : client.once("close", () => resolve()),
            ),
        ),
      );
      for (const client of clients) client.close(1001, "Server shutting down");
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      for (const client of wsServer.clients) client.terminate();
      await disposable.dispose();
    },
  };
}
