import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { getRequestListener } from "@hono/node-server";
import { type Context, Hono } from "hono";
import type { Config } from "./config.js";
import { ApiKeyAuthenticator } from "./domain/auth/api-keys.js";
import { SessionTokens } from "./domain/customers/sessions.js";
import { SignInThrottle } from "./domain/customers/throttle.js";
import { jobRunner } from "./domain/jobs/handlers.js";
import type { MailTransport } from "./domain/mail/mail.js";
import { manualPayoutProvider } from "./domain/marketplace/marketplace-deps.js";
import { OrderLookupThrottle } from "./domain/orders/email-lookup.js";
import { PaymentProviders } from "./domain/payments/providers.js";
import { ensureDefaultStore } from "./domain/stores/stores.js";
import { createResponseCache } from "./graphql/response-cache.js";
import { schema } from "./graphql/schema.js";
import { attachGraphQLWebSocket } from "./graphql/ws.js";
import { createGraphQLServer, GRAPHQL_SSE_ENDPOINT } from "./graphql/yoga.js";
import { bodyLimits, closeWhenBodyUnread } from "./http/body-limits.js";
import { identifyCaller } from "./http/caller.js";
import { crossOrigin } from "./http/cors.js";
import { mountDashboard } from "./http/dashboard/index.js";
import { HEALTH_PATHS, mountHealth } from "./http/health.js";
import { RouteMethods } from "./http/methods.js";
import { mountMetrics, requestMetrics, useOperationNames } from "./http/metrics.js";
import { Credentials, type HttpVariables, originCheck, requestId, transportError } from "./http/middleware.js";
import { type Database, openDatabase } from "./infra/db.js";
import { startJobWorker } from "./infra/job-worker.js";
import { connectRedis, memoryLimiters, redisLimiters } from "./infra/limiters.js";
import { createLogger, type Logger } from "./infra/logger.js";
import { fileTransport, smtpTransport } from "./infra/mail.js";
import { Metrics } from "./infra/metrics.js";
import { applyMigrations } from "./infra/migrations.js";
import { manualProvider } from "./infra/payments/manual.js";
import { stripeProvider } from "./infra/payments/stripe.js";
import { stripeConnectPayouts } from "./infra/payouts/stripe-connect.js";
import { createEventTransport } from "./infra/pubsub.js";
import { AppSecrets } from "./infra/secrets.js";
import { LocalDiskStorage } from "./infra/storage/local-disk.js";
import { compileDialect, dialectErrorShapes } from "./rest/dialect.js";
import { betterAuthErrors } from "./rest/dialects/main/auth-errors.js";
import { mainDialect } from "./rest/dialects/main/index.js";
import { projectsDialect } from "./rest/dialects/projects/index.js";
import { buildProjectsOpenApi } from "./rest/dialects/projects/openapi.js";
import { storefrontV1Dialect } from "./rest/dialects/storefront-v1/index.js";
import { buildStorefrontOpenApi } from "./rest/dialects/storefront-v1/openapi.js";
import { compileRoutes, RestExecutor } from "./rest/executor.js";
import { MEDIA_CONTENT_PATHS, mountMediaContent } from "./rest/media-content.js";
import { mountRoutes } from "./rest/mount.js";
import { buildOpenApi, type Dialect } from "./rest/openapi.js";
import { mountReference } from "./rest/reference.js";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Seed 003's OpenAPI document, beside its paths. */
const PROJECTS_OPENAPI_PATH = "/api/v1/public/openapi.json";

export interface App {
  /** The whole HTTP surface as a fetch handler (tests call it in-process). */
  fetch: (request: Request) => Promise<Response>;
  /** Listens on config.port (0 = any free port); resolves with the bound URL. */
  start(): Promise<{ url: string }>;
  /**
   * Graceful: stops accepting, closes WebSockets with 1001, lets requests in flight and running jobs finish
   * within `deadlineMs` (default SHUTDOWN_TIMEOUT_MS), then cuts what is left and closes the database.
   */
  stop(deadlineMs?: number): Promise<void>;
  db: Database;
  config: Config;
  defaultStoreId: string;
  authenticator: ApiKeyAuthenticator;
}

export interface BuildOptions {
  /** An already open database (tests share one per worker); otherwise opened from config. */
  db?: Database;
  /** Whether stop() closes a database passed in `db` (default: only one the app opened itself). */
  ownsDb?: boolean;
  logger?: Logger;
  /** Where account mails go instead of SMTP_URL / DATA_DIR/mail (tests). */
  mailTransport?: MailTransport;
  /** Start-up phase timings measured by the caller (main.ts), completed here and logged when listening. */
  startup?: Record<string, number>;
  /** The time background jobs judge ages by (an unpaid order's timeout); tests move it forward. Default: the system clock. */
  clock?: () => Date;
}

/** Builds the gateway: one HTTP server for GraphQL (HTTP + graphql-ws) and every REST dialect. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  // Node's request listener comes first: making it installs the adapter's lightweight Request and
  // Response globals, which Yoga then takes as its fetch API (graphql/yoga.ts), so a GraphQL answer
  // is written to the socket as the string it was built from, not re-read from a web stream.
  const listener = getRequestListener((request, env) => app.fetch(request, env));
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
  const buildBegan = performance.now();
  const applied = await applyMigrations(db.sql);
  const migrationsMs = Math.round(performance.now() - buildBegan);
  if (applied.length) logger.info("migrations applied", { applied });
  const defaultStoreId = await ensureDefaultStore(db.prisma);
  const authenticator = new ApiKeyAuthenticator(db.prisma, config.adminApiKey);
  const secrets = await AppSecrets.load(db.prisma, config.appSecret);
  const sessions = new SessionTokens(db.prisma, secrets.key("session"));
  const credentials = new Credentials(authenticator, sessions);
  // With Redis, rate limits and sign-in throttling count across every instance.
  // Redis trouble is reported at most every 30 s (ioredis retries the connection many times a second).
  let redisReportedAt = 0;
  const onRedisError = (error: Error) => {
    if (Date.now() - redisReportedAt < 30_000) return;
    redisReportedAt = Date.now();
    logger.warn("redis unavailable; retrying", { error: error.message });
  };
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, onRedisError) : undefined;
  const counters = redis ? redisLimiters(redis, secrets.deploymentId()) : memoryLimiters;
  // Mailed links (password reset, verification) are signed with their own key, addressed from PUBLIC_URL.
  const links = { key: secrets.key("auth-link"), publicUrl: config.publicUrl, allowedOrigins: config.trustedOrigins };
  const identity = { sessions, throttle: new SignInThrottle(counters), links };
  const mailTransport =
    options.mailTransport ??
    (config.smtpUrl
      ? smtpTransport(config.smtpUrl, config.mailFrom)
      : fileTransport(path.join(config.dataDir, "mail"), config.mailFrom, logger));
  const events = await createEventTransport(config.redisUrl, onRedisError);
  // Every store's checkout takes the provider its settings name (manual when that one is not configured);
  // webhooks, refunds and follow-ups talk to Stripe when it is configured.
  const stripe = config.stripeSecretKey
    ? await stripeProvider({
        secretKey: config.stripeSecretKey,
        webhookSecret: config.stripeWebhookSecret,
        apiBase: config.stripeApiBase,
      })
    : undefined;
  const paymentProviders = new PaymentProviders(manualProvider(), stripe ? [stripe] : []);
  // Marketplace payouts: Stripe Connect transfers when asked for and Stripe is configured, manual otherwise.
  const marketplace = {
    holdHours: config.marketplace.holdHours,
    payouts:
      config.marketplace.stripeConnect && config.stripeSecretKey
        ? await stripeConnectPayouts({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase })
        : manualPayoutProvider(),
  };
  const payments = stripe ?? paymentProviders.manual;
  const jobs = jobRunner({
    webhookAllowPrivateTargets: config.webhookAllowPrivateTargets,
    payments,
    paymentFollowUp: config.paymentFollowUp,
    clock: options.clock,
    mail: { links, transport: mailTransport },
  });
  const media = {
    storage: new LocalDiskStorage(path.join(config.dataDir, "media")),
    maxBytes: config.mediaMaxBytes,
    signedUrlTtlSeconds: config.mediaSignedUrlTtlSeconds,
  };
  // Public answers (anonymous catalog reads), in Redis when configured; a signed media URL in a cached
  // answer must stay valid for a while after it is served, hence at most half its lifetime.
  const responseCache = createResponseCache({
    enabled: config.responseCache.enabled,
    ttlMs: Math.min(config.responseCache.ttlSeconds, config.mediaSignedUrlTtlSeconds / 2) * 1000,
    redis,
    onError: (error) => onRedisError(error instanceof Error ? error : new Error(String(error))),
  });
  const yoga = createGraphQLServer({
    prisma: db.prisma,
    events,
    payments,
    paymentProviders,
    orderLookups: new OrderLookupThrottle(counters),
    jobs,
    secrets,
    identity,
    paymentFollowUp: config.paymentFollowUp,
    media,
    marketplace,
    webhookAllowPrivateTargets: config.webhookAllowPrivateTargets,
    production: config.production,
    introspection: config.graphqlIntrospection,
    logger,
    plugins: [useOperationNames, ...responseCache.plugins],
  });
  const executor = new RestExecutor(yoga, responseCache);

  const dialects: Dialect[] = [mainDialect].map((d) => ({
    name: d.name,
    basePath: d.basePath,
    routes: compileRoutes(schema, d.routes, d.fragments),
  }));

  // Seeds 000 + 001 at /api/storefront/v1: its own conventions and its own OpenAPI document.
  const storefront = compileDialect(
    schema,
    storefrontV1Dialect({ prisma: db.prisma, cursorKey: secrets.key("cursor") }),
  );
  // Seed 003 at /api/v1/public/projects/{slug}/ecommerce: browsers with a project's key, open CORS.
  const projects = compileDialect(
    schema,
    projectsDialect({ prisma: db.prisma, verifyToken: (token) => credentials.authenticate(token) }),
  );
  const isProjectsPath = (path: string) => path.startsWith(`${projects.basePath}/`);

  const app = new Hono<{ Variables: HttpVariables }>();
  const metrics = new Metrics({ db, webSockets: () => ws?.stats() ?? { connections: 0, subscriptions: 0 } });
  // Outermost, so every answer is counted and timed, transport errors included.
  app.use("*", requestMetrics(metrics, yoga.graphqlEndpoint));
  // First, so even transport errors (401, 413, 429, unknown paths) under its base path take its error shape.
  app.use("*", dialectErrorShapes([storefront, projects, betterAuthErrors]));
  const methods = new RouteMethods(() => app.routes);
  app.use("*", closeWhenBodyUnread);
  app.use("*", requestId);
  app.use("*", crossOrigin(config.trustedOrigins, methods, isProjectsPath));
  app.use(
    "*",
    identifyCaller({
      credentials,
      defaultStoreId,
      perMinute: config.rateLimitPerMinute,
      counters,
      trustedOrigins: config.trustedOrigins,
      // Better Auth answers a revoked session token with get-session `null` and its own 401s.
      lenientPaths: (path) => path.startsWith("/api/auth/"),
    }),
  );
  // Multipart uploads (to a multipart route, or to /graphql) may carry files of up to MEDIA_MAX_BYTES;
  // everything else in a body stays within 1 MB.
  const uploadPaths = dialects.flatMap((d) =>
    d.routes
      .filter((r) => r.spec.multipart)
      .map((r) => new RegExp(`^${d.basePath}${r.spec.path.replace(/:\w+/g, "[^/]+")}$`)),
  );
  app.use(
    "*",
    bodyLimits({
      maxBytes: MAX_BODY_BYTES,
      maxFileBytes: config.mediaMaxBytes,
      takesUploads: (path) => path === yoga.graphqlEndpoint || uploadPaths.some((pattern) => pattern.test(path)),
    }),
  );
  app.use("*", originCheck(config.trustedOrigins, isProjectsPath));

  mountHealth(app, { db, redis, version: config.version, draining: () => draining });
  mountMetrics(app, metrics, { public: config.metricsPublic });
  let openapi: unknown;
  app.get("/api/doc", (c) =>
    c.json((openapi ??= buildOpenApi(schema, dialects, { ...HEALTH_PATHS, ...MEDIA_CONTENT_PATHS }, config.version))),
  );
  let storefrontDoc: unknown;
  app.get(`${storefront.basePath}/openapi.json`, (c) =>
    c.json((storefrontDoc ??= buildStorefrontOpenApi(schema, storefront, config.version))),
  );
  let projectsDoc: unknown;
  app.get(PROJECTS_OPENAPI_PATH, (c) =>
    c.json((projectsDoc ??= buildProjectsOpenApi(schema, projects, config.version))),
  );
  // The live orders page (static files; it talks to /graphql like any client).
  mountDashboard(app);
  mountReference(app as never, "/api/reference", [
    { url: "/api/doc", name: "Cartograph (seed 002)" },
    { url: `${storefront.basePath}/openapi.json`, name: "Storefront v1 (seeds 000 + 001)" },
    { url: PROJECTS_OPENAPI_PATH, name: "Public storefront projects (seed 003)" },
  ]);

  const toYoga = (c: Context<{ Variables: HttpVariables }>) =>
    yoga.fetch(c.req.raw, {
      actor: c.get("actor"),
      storeId: c.get("storeId"),
      requestId: c.get("requestId"),
      clientAddress: c.get("clientAddress"),
    });
  app.on(["GET", "POST"], yoga.graphqlEndpoint, toYoga);
  // graphql-sse's single connection mode reserves (PUT), listens (GET), runs (POST) and stops (DELETE).
  app.on(["GET", "POST", "PUT", "DELETE"], GRAPHQL_SSE_ENDPOINT, toYoga);

  const onUnexpected = (error: unknown) => logger.error("unexpected error", { error });
  for (const dialect of dialects) mountRoutes(app, dialect.basePath, dialect.routes, executor, onUnexpected);
  mountRoutes(app, storefront.basePath, storefront.routes, executor, onUnexpected, storefront.conventions);
  mountRoutes(app, projects.basePath, projects.routes, executor, onUnexpected, projects.conventions);
  mountMediaContent(app, { prisma: db.prisma, media, secrets, onUnexpected });

  app.notFound((c) => {
    const allowed = methods.allowed(c.req.path);
    return allowed
      ? transportError(c, "METHOD_NOT_ALLOWED", `${c.req.path} does not take ${c.req.method}.`, {
          Allow: allowed.join(", "),
        })
      : transportError(c, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`);
  });
  app.onError((error, c) => {
    onUnexpected(error);
    const shape = c.get("errorShape");
    if (shape) return c.json(shape("INTERNAL_ERROR", "Unexpected error.").body, 500);
    const body = c.req.path.startsWith("/graphql")
      ? { errors: [{ message: "Unexpected error.", extensions: { code: "INTERNAL_ERROR" } }] }
      : { error: { code: "INTERNAL_ERROR", message: "Unexpected error." } };
    return c.json(body, 500);
  });

  const builtMs = Math.round(performance.now() - buildBegan);
  let server: Server | undefined;
  let worker: { stop(): Promise<void> } | undefined;
  let ws: ReturnType<typeof attachGraphQLWebSocket> | undefined;
  let draining = false;
  let closed = false;

  return {
    fetch: async (request) => app.fetch(request),
    db,
    config,
    defaultStoreId,
    authenticator,
    async start() {
      server = await new Promise<Server>((resolve) => {
        const s = createServer(listener).listen(config.port, config.host, () => resolve(s));
      });
      ws = attachGraphQLWebSocket(server, yoga, credentials, defaultStoreId, config.trustedOrigins);
      // Serving and working start together: an app that is only built (tests) runs no background jobs.
      worker = startJobWorker({ prisma: db.prisma, events: events.bus, jobs }, config.jobsPollMs, logger, (summary) =>
        metrics.countJobRuns(summary),
      );
      const { port } = server.address() as AddressInfo;
      const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
      const startup = options.startup && {
        ...options.startup,
        migrationsMs,
        buildMs: builtMs,
        readyMs: Math.round(performance.now()),
      };
      logger.info("listening", {
        url,
        graphql: `${url}/graphql`,
        rest: `${url}/api`,
        database: db.kind,
        ...(startup ? { startup } : {}),
      });
      return { url };
    },
    async stop(deadlineMs = config.shutdownTimeoutMs) {
      // Idempotent: tests and signal handlers may both stop the app.
      const [socketServer, httpServer, jobWorker] = [ws, server, worker];
      ws = server = worker = undefined;
      draining = true;
      // Stop accepting; requests in flight and the jobs the worker holds get until the deadline. Sockets
      // are told 1001 Going Away at once: a subscription never finishes by itself.
      const began = performance.now();
      await Promise.all([
        socketServer?.close(Math.min(deadlineMs, 2_000)),
        httpServer && closeGracefully(httpServer, deadlineMs),
        jobWorker &&
          finishWithin(jobWorker.stop(), deadlineMs - (performance.now() - began)).then((finished) => {
            if (!finished)
              logger.warn("a job was still running at the shutdown deadline; it is due again once its lease runs out");
          }),
      ]);
      await events.close();
      await mailTransport.close?.();
      responseCache.close();
      redis?.disconnect();
      if ((options.ownsDb ?? !options.db) && !closed) {
        closed = true;
        await db.close();
      }
    },
  };
}

/**
 * Closes the listener (no new connections) and every idle keep-alive connection, then waits for the
 * requests in flight; connections still busy at the deadline are cut.
 */
function closeGracefully(server: Server, deadlineMs: number): Promise<void> {
  return new Promise((resolve) => {
    // A keep-alive connection whose response just finished is idle: close it before it brings a new request.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), deadlineMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Whether `work` finished within `ms`. */
async function finishWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
