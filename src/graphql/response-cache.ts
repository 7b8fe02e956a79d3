import { createHash } from "node:crypto";
import { type Cache, createInMemoryCache, useResponseCache } from "@graphql-yoga/plugin-response-cache";
import { type DocumentNode, type ExecutionResult, getOperationAST, Kind, parse, print } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Redis } from "ioredis";
import type { Actor } from "../domain/auth/actor.js";
import { type CommittedChange, onCommittedChanges, trackChanges } from "../domain/committed-changes.js";

/**
 * The public response cache: answers to anonymous and publishable-key reads of the catalog, search,
 * categories, brands, stock availability and store config, in memory or in Redis (shared by every
 * instance), keyed by operation, variables, caller kind, store and Accept-Language. A store's answers
 * are dropped as a whole when a unit of work records a change in that store that a public read can show
 * (domain/committed-changes.ts, fed by audit/record.ts: the same changes that feed webhooks), before the
 * request that made the change answers. Anything a customer, a merchant key or a mutation asks is never
 * looked up nor stored.
 */

/** Root fields whose answers are the same for every anonymous visitor of a store. */
export const PUBLIC_ROOT_FIELDS: ReadonlySet<string> = new Set([
  "__typename",
  "catalogEntities",
  "catalogEntity",
  "categories",
  "category",
  "brands",
  "brand",
  "search",
  "searchSuggestions",
  "inventoryCheck",
  "currentStore",
  "storeSettings",
]);

/**
 * Recorded events that cannot change a public answer: they only touch customers, carts, keys, webhooks
 * and payments. Every other event (catalog, pricing, promotions, stock, orders that reserve or release
 * stock, settings, and any event added later) drops the store's public answers.
 */
const PRIVATE_EVENT_PREFIXES = [
  "customers.",
  "customerAddresses.",
  "customerGroups.",
  "carts.",
  "cart.",
  "apiKeys.",
  "webhooks.",
  "payments.",
  "payment.",
];

export function dropsPublicAnswers(event: string): boolean {
  return !PRIVATE_EVENT_PREFIXES.some((prefix) => event.startsWith(prefix));
}

/** Only these callers share answers: everybody else's may depend on who they are. */
export function isPublicCaller(actor: Actor): boolean {
  return actor.kind === "anonymous" || actor.kind === "publishableKey";
}

const cacheableByDocument = new WeakMap<DocumentNode, boolean>();

/** Whether an operation is a query that selects only public root fields (fragments at the root: no). */
export function isPublicQuery(document: DocumentNode, operationName?: string | null): boolean {
  if (!operationName) {
    const known = cacheableByDocument.get(document);
    if (known !== undefined) return known;
  }
  const operation = getOperationAST(document, operationName);
  const cacheable =
    operation?.operation === "query" &&
    operation.selectionSet.selections.every(
      (selection) => selection.kind === Kind.FIELD && PUBLIC_ROOT_FIELDS.has(selection.name.value),
    );
  if (!operationName) cacheableByDocument.set(document, cacheable);
  return cacheable;
}

/** Document texts already judged (a bounded memo: a client sending ever new documents only empties it). */
const cacheableByText = new Map<string, boolean>();

function isPublicQueryText(text: string, operationName?: string | null): boolean {
  const memo = `${operationName ?? ""}\n${text}`;
  let cacheable = cacheableByText.get(memo);
  if (cacheable === undefined) {
    try {
      cacheable = isPublicQuery(parse(text, { noLocation: true }), operationName);
    } catch {
      cacheable = false;
    }
    if (cacheableByText.size >= 2_000) cacheableByText.clear();
    cacheableByText.set(memo, cacheable);
  }
  return cacheable;
}

/** The request headers a public answer depends on, as one string of the key (GraphQL and REST alike). */
export function answerVariesWith(headers: Headers): string {
  return ["accept-language", "x-currency", "x-region"].map((h) => headers.get(h) ?? "").join("|");
}

/** The part of a key that says whose answer it is: caller kind, store and the visitor's languages. */
function sessionOf(actor: Actor, storeId: string, acceptLanguage: string | null | undefined): string {
  return `${actor.kind}|${storeId}|${acceptLanguage ?? ""}`;
}

/** Keys start with the store id, so an entry can be tagged with (and dropped by) its store. */
function keyFor(storeId: string, parts: readonly string[]): string {
  return `${storeId}:${createHash("sha256").update(parts.join("\u0000")).digest("base64url")}`;
}

const STORE_TAG = "PublicAnswersOfStore";

/**
 * Wraps the library's cache (memory or Redis): every entry is tagged with its store only (not with each
 * entity in it, which the store-wide drop makes unnecessary), and an answer computed from data read before
 * its store's last drop is not stored. That last rule closes the race where a read that started before a
 * change committed would put the old answer back just after the drop.
 */
class StoreTaggedCache implements Cache {
  private readonly generations = new Map<string, number>();
  /** Key -> the store's generation when it was first missed (the oldest read in flight for it). */
  private readonly missedAt = new Map<string, number>();

  constructor(
    private readonly inner: Cache,
    /** A cache that fails (Redis down) is reported and behaves as empty: requests are answered uncached. */
    private readonly onError: (error: unknown) => void,
  ) {}

  private generation(storeId: string): number {
    return this.generations.get(storeId) ?? 0;
  }

  async get(key: string) {
    let hit;
    try {
      hit = await this.inner.get(key);
    } catch (error) {
      this.onError(error);
      return undefined;
    }
    if (!hit) {
      const storeId = storeOfKey(key);
      if (storeId && !this.missedAt.has(key)) {
        if (this.missedAt.size >= 10_000) this.missedAt.clear();
        this.missedAt.set(key, this.generation(storeId));
      }
    }
    return hit ? serialisedOnce(hit) : undefined;
  }

  async set(key: string, result: ExecutionResult, _entities: Iterable<unknown>, ttl: number) {
    const storeId = storeOfKey(key);
    const missed = this.missedAt.get(key);
    this.missedAt.delete(key);
    if (!storeId || missed === undefined || missed !== this.generation(storeId)) return;
    try {
      await this.inner.set(key, result as never, [{ typename: STORE_TAG, id: storeId }], ttl);
    } catch (error) {
      this.onError(error);
    }
  }

  async invalidate(entities: Iterable<{ typename: string; id?: string | number }>) {
    await this.inner.invalidate(entities);
  }

  async dropStores(storeIds: Iterable<string>) {
    const ids = [...new Set(storeIds)];
    if (!ids.length) return;
    for (const id of ids) this.generations.set(id, this.generation(id) + 1);
    await this.inner.invalidate(ids.map((id) => ({ typename: STORE_TAG, id })));
  }
}

const servedHits = new WeakMap<ExecutionResult, ExecutionResult>();

/**
 * A cached answer as it is served: its JSON text is made at its first hit and reused by every later one
 * (Yoga's result processor calls a result's own `stringify` when it has one). The memory cache returns the
 * same object for every hit; nothing changes a hit after it is served, so the text stays its own.
 */
function serialisedOnce(hit: ExecutionResult): ExecutionResult {
  let served = servedHits.get(hit);
  if (!served) {
    let text: string | undefined;
    served = { ...hit, stringify: (sanitised: unknown) => (text ??= JSON.stringify(sanitised)) } as ExecutionResult;
    servedHits.set(hit, served);
  }
  return served;
}

function storeOfKey(key: string): string | undefined {
  const colon = key.indexOf(":");
  return colon > 0 ? key.slice(0, colon) : undefined;
}

export interface ResponseCacheOptions {
  /** RESPONSE_CACHE: off = never looked up nor stored (changes are still tracked, for nothing). */
  enabled: boolean;
  /** How long an answer lives at most without a change (bounds time-driven changes: promotions starting, reservations expiring). */
  ttlMs: number;
  /** Shared cache in Redis (every instance sees every drop); otherwise in this process's memory. */
  redis?: Redis;
  /** Entries kept in memory (least recently used go first). */
  maxEntries?: number;
  onError?: (error: unknown) => void;
}

export interface ResponseCache {
  enabled: boolean;
  /** Yoga plugins: the cache of POST/GET /graphql, and change tracking around every mutation. */
  plugins: Plugin[];
  /** A REST route's execution result, from the cache or from `execute` (stored when it has no errors). */
  rest(
    route: { document: DocumentNode },
    variables: Record<string, unknown>,
    caller: { actor: Actor; storeId: string; acceptLanguage: string | null },
    execute: () => Promise<ExecutionResult>,
  ): Promise<{ result: ExecutionResult; publicAnswer: boolean }>;
  /** Drops the public answers of these stores (what a recorded change does). */
  dropStores(storeIds: Iterable<string>): Promise<void>;
  close(): void;
}

/** If-None-Match holds `*` or this tag, compared weakly (W/ prefixes ignored), as RFC 9110 asks for GET. */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => {
    const candidate = tag.trim();
    return candidate === "*" || candidate.replace(/^W\//, "") === opaque;
  });
}

/** Requests to /graphql whose document is a public query (decided from the text before parsing). */
const publicGraphQLRequests = new WeakSet<Request>();

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const onError = options.onError ?? (() => {});
  const redis = options.redis && redisCache(options.redis);
  const cache = new StoreTaggedCache(
    redis?.cache ?? createInMemoryCache({ max: options.maxEntries ?? 2_000 }),
    onError,
  );
  const ttl = options.ttlMs;

  const stopListening = onCommittedChanges(async (changes: readonly CommittedChange[]) => {
    const stores = changes.filter((change) => dropsPublicAnswers(change.event)).map((change) => change.storeId);
    // Not dropped = stale answers until the TTL: reported, the change itself stands.
    await cache.dropStores(stores).catch(onError);
  });

  // Mutations are units of work: what they record is told to the cache before they answer, over HTTP,
  // REST (which runs through the same envelop) and WebSockets alike.
  const trackMutations: Plugin = {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== "mutation") return;
      setExecuteFn((executionArgs) => trackChanges(() => executeFn(executionArgs)) as never);
    },
  };

  type HttpContext = { actor: Actor; storeId: string };
  const graphqlCache = useResponseCache<HttpContext>({
    cache,
    ttl,
    // Dropped as a whole per store on changes; the library's per-entity invalidation is not used.
    invalidateViaMutation: false,
    // The caller kind, store and languages are part of the key.
    // Prices also follow X-Currency and X-Region (graphql/types/localization.ts): they vary the answer too.
    session: (request, context) => sessionOf(context.actor, context.storeId, answerVariesWith(request.headers)),
    buildResponseCacheKey: ({ documentString, operationName, variableValues, sessionId, request, context }) => {
      const { storeId, actor } = context as unknown as HttpContext;
      // Only a public query gets a real key: any other request (a mutation whose variables may be nested
      // past what JSON.stringify can walk, refused later by the input limits) is never cached.
      if (!isPublicCaller(actor) || !isPublicQueryText(documentString, operationName)) return "uncached";
      let variables: string;
      try {
        variables = JSON.stringify(variableValues ?? {});
      } catch {
        return "uncached"; // nested too deep to serialize: the input limits refuse it next
      }
      publicGraphQLRequests.add(request);
      return keyFor(storeId, ["graphql", documentString, operationName ?? "", variables, sessionId ?? ""]);
    },
    // Only POST/GET /graphql requests marked above: REST executions and WebSocket operations carry no
    // such request, so the plugin leaves them alone.
    enabled: (request, context) => publicGraphQLRequests.has(request) && isPublicCaller(context.actor),
    includeExtensionMetadata: false,
  });

  // 304 when the client already holds this very answer: compared with the answer's own ETag (the key of
  // this request), never by looking an arbitrary client-sent tag up, which could be another query's.
  const notModified: Plugin = {
    onResponse({ request, response, setResponse }) {
      if (response.status !== 200 || !publicGraphQLRequests.has(request)) return;
      const etag = response.headers.get("etag");
      if (etag && etagMatches(request.headers.get("if-none-match"), etag)) {
        setResponse(new Response(null, { status: 304, headers: { ETag: etag } }));
      }
    },
  };

  return {
    enabled: options.enabled,
    plugins: options.enabled ? [trackMutations, graphqlCache, notModified] : [trackMutations],
    async rest(route, variables, caller, execute) {
      if (!options.enabled || !isPublicCaller(caller.actor) || !isPublicQuery(route.document)) {
        return { result: await execute(), publicAnswer: false };
      }
      const key = keyFor(caller.storeId, [
        "rest",
        documentText(route.document),
        JSON.stringify(variables),
        sessionOf(caller.actor, caller.storeId, caller.acceptLanguage),
      ]);
      const cached = await cache.get(key);
      if (cached) return { result: cached, publicAnswer: true };
      const result = await execute();
      if (!result.errors?.length) await cache.set(key, result, [], ttl);
      return { result, publicAnswer: !result.errors?.length };
    },
    dropStores: (storeIds) => cache.dropStores(storeIds),
    close() {
      stopListening();
      redis?.client.disconnect();
    },
  };
}

const documentTexts = new WeakMap<DocumentNode, string>();

/** A compiled route's document as text (printed once per route). */
function documentText(document: DocumentNode): string {
  let text = documentTexts.get(document);
  if (text === undefined) {
    text = print(document);
    documentTexts.set(document, text);
  }
  return text;
}

/** The library's Redis cache, on a connection of its own whose keys all start with `cartograph:rc:`. */
function redisCache(redis: Redis): { cache: Cache; client: Redis } {
  // Commands wait for the connection (the limiters' client refuses them while it is down).
  const client = redis.duplicate({ keyPrefix: "cartograph:rc:", enableOfflineQueue: true, maxRetriesPerRequest: 1 });
  // Loaded on first use, so the embedded default never loads it.
  let loaded: Promise<Cache> | undefined;
  const load = () =>
    (loaded ??= import("@envelop/response-cache-redis").then(
      ({ createRedisCache }) => createRedisCache({ redis: client as never }) as unknown as Cache,
    ));
  return {
    client,
    cache: {
      get: async (key) => withDates(await (await load()).get(key)),
      set: async (key, result, entities, ttl) => (await load()).set(key, withDateMarks(result), entities, ttl),
      invalidate: async (entities) => (await load()).invalidate(entities),
    },
  };
}

/**
 * Redis keeps JSON: a Date in a result (DateTime fields) would come back a string, and REST presenters
 * that format dates (seed 003's epoch milliseconds) would answer differently from the cache than fresh.
 */
const DATE_MARK = "$cartographDate";

function withDateMarks(value: any): any {
  if (value instanceof Date) return { [DATE_MARK]: value.toISOString() };
  if (Array.isArray(value)) return value.map(withDateMarks);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDateMarks(v)]));
  return value;
}

function withDates(value: any): any {
  if (Array.isArray(value)) return value.map(withDates);
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === DATE_MARK) return new Date(value[DATE_MARK]);
    return Object.fromEntries(keys.map((k) => [k, withDates(value[k])]));
  }
  return value;
}
