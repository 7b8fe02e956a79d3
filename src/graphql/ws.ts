import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import { type DocumentNode, type ExecutionResult, getOperationAST } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { parse as parseCookie } from "hono/utils/cookie";
import { type WebSocket, WebSocketServer } from "ws";
import { type Actor, ANONYMOUS, storeOf } from "../domain/auth/actor.js";
import { type Credentials, originTrusted, SESSION_COOKIE } from "../http/middleware.js";
import { type DirectSink, SharedSubscriptions } from "./shared-subscriptions.js";
import type { GraphQLServer } from "./yoga.js";

interface SocketExtra extends Record<PropertyKey, unknown> {
  actor?: Actor;
}

/** What `onSubscribe` hands to graphql-ws's `execute` as the root value of a query or mutation. */
interface ExecutionRoot {
  execute: typeof import("graphql").execute;
}

/**
 * ... and to its `subscribe`, for a subscription: its sharing key, how to start its execution (only the
 * first of a group does; the context is built then), and where its results are written.
 */
interface SubscriptionRoot {
  key: string;
  start: (() => Promise<ExecutionResult | AsyncIterable<ExecutionResult>>) | undefined;
  sink: DirectSink;
}

/**
 * Writes a shared subscription's results straight to its socket: graphql-ws's `next` message
 * (`{id, type, payload}`, in that order) around the payload serialised once per event, sent without a
 * write callback. The socket's buffered bytes tell a subscriber that cannot keep up.
 */
function socketSink(socket: WebSocket, id: string): DirectSink {
  const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return {
    send(payloadJson) {
      if (socket.readyState === socket.OPEN) socket.send(`${head}${payloadJson}}`);
    },
    get buffered() {
      return socket.bufferedAmount;
    },
  };
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
function sharingKey(
  document: DocumentNode,
  operationName: string | null | undefined,
  variableValues: unknown,
  storeId: string,
  actor: Actor,
): string {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = nextDocumentId++));
  const caller = actor.kind === "anonymous" ? "anonymous" : `${actor.kind}:${actor.id}`;
  return JSON.stringify([id, operationName ?? null, variableValues ?? null, storeId, caller]);
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
        const { request } = ctx.extra;
        // Nothing reads the upgrade request after this: graphql-ws would keep it as long as the socket.
        (ctx.extra as { request?: IncomingMessage }).request = undefined;
        const key = keyFromParams(ctx.connectionParams);
        if (!key) {
          // A browser's session cookie, but only from our own (or a trusted) origin: another site's page
          // must not open a socket that acts as the visitor (cross-site WebSocket hijacking).
          const cookie = sessionCookieOf(request);
          const sameOrigin = originAllowed(request, trustedOrigins);
          ctx.extra.actor =
            (cookie && sameOrigin && (await credentials.sessions.authenticate(cookie, "cookie"))) || ANONYMOUS;
          return true;
        }
        const actor = await credentials.authenticate(key);
        if (!actor) return false; // closes with 4403 Forbidden
        ctx.extra.actor = actor;
        return true;
      },
      execute: (args) => (args.rootValue as ExecutionRoot).execute(args),
      // Identical subscriptions of one caller share one execution per event (see shared-subscriptions.ts),
      // whose results are written to each socket directly.
      subscribe: (args) => {
        const root = args.rootValue as SubscriptionRoot;
        const start = root.start!;
        // graphql-ws keeps these arguments as long as the subscription runs: let go of the envelop and
        // its context, which only a group's first subscriber uses.
        root.start = undefined;
        return shared.subscribe(root.key, start, root.sink) as never;
      },
      onSubscribe: async (ctx, id, payload) => {
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
        const args = {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables ?? undefined,
        };
        if (getOperationAST(document, payload.operationName)?.operation !== "subscription")
          return { ...args, contextValue: await contextFactory(), rootValue: { execute } satisfies ExecutionRoot };
        return {
          ...args,
          // Built by `start`, if this subscription starts its group; graphql-ws must not build one.
          contextValue: undefined,
          rootValue: {
            key: sharingKey(document, payload.operationName, args.variableValues, storeId, actor),
            start: async () => subscribe({ ...args, contextValue: await contextFactory() }),
            sink: socketSink(ctx.extra.socket, id),
          } satisfies SubscriptionRoot,
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
