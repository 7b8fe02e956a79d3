import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|memory:\/\/)/, "must be a postgresql:// URL or memory://")
    .optional(),
  DATA_DIR: z.string().min(1).default("./.cartograph"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .optional(),
  ADMIN_API_KEY: z.string().min(16, "must be at least 16 characters").optional(),
  APP_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_API_BASE: z.url().optional(),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.default(false),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  JOBS_POLL_MS: z.coerce.number().int().min(0).default(2_000),
  MEDIA_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  MEDIA_SIGNED_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(900),
  PAYMENT_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 60)
    .default(60),
  PAYMENT_FOLLOW_UP_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Marketplace: hours a delivered sale is held before a payout may take it. */
  MARKETPLACE_PAYOUT_HOLD_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(365 * 24)
    .default(0),
  /** Marketplace payouts through Stripe Connect transfers (needs STRIPE_SECRET_KEY); manual otherwise. */
  MARKETPLACE_STRIPE_CONNECT: bool.default(false),
  CORS_ORIGINS: z.string().default(""),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Cartograph <no-reply@localhost>"),
  PUBLIC_URL: z.url().optional(),
  GRAPHQL_INTROSPECTION: bool.optional(),
  METRICS_PUBLIC: bool.default(false),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10 * 60_000)
    .default(10_000),
  RESPONSE_CACHE: z.enum(["on", "off"]).default("on"),
  RESPONSE_CACHE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(60),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export interface Config {
  port: number;
  host: string;
  /** `undefined` = embedded PGlite in `dataDir`; `memory://` = in-memory PGlite; else PostgreSQL. */
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  adminApiKey: string | undefined;
  /** Master secret for session tokens and signed URLs; unset = generated once and kept in the database. */
  appSecret: string | undefined;
  stripeSecretKey: string | undefined;
  stripeWebhookSecret: string | undefined;
  /** Another Stripe API host: a local fake in tests, or stripe-mock. */
  stripeApiBase: string | undefined;
  webhookAllowPrivateTargets: boolean;
  rateLimitPerMinute: number;
  /** How often the in-process worker runs due jobs; 0 = no worker (use GET /api/jobs/run). */
  jobsPollMs: number;
  /** Largest media upload in bytes; the upload routes get this (plus room for the form) as their body limit. */
  mediaMaxBytes: number;
  /** Default lifetime of a signed media URL. */
  mediaSignedUrlTtlSeconds: number;
  /** An unpaid order is checked every `intervalMs` and cancelled (stock released) after `timeoutMs`. */
  paymentFollowUp: { timeoutMs: number; intervalMs: number };
  /** Marketplace payouts: hold period of delivered sales, and whether payouts go through Stripe Connect. */
  marketplace: { holdHours: number; stripeConnect: boolean };
  /** Account mails go out over SMTP when set; otherwise they are written to DATA_DIR/mail (development). */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The absolute base of links in mails (never taken from a request's Host header). */
  publicUrl: string;
  /** Origins allowed to send cookie-authenticated (browser) mutations besides the server's own. */
  trustedOrigins: string[];
  /** Whether the schema answers introspection queries (default: off in production, on otherwise). */
  graphqlIntrospection: boolean;
  /** Whether `/metrics` answers anyone, not only callers with `metrics:read`. */
  metricsPublic: boolean;
  /** On SIGTERM, how long in-flight requests and a running job get to finish before connections are cut. */
  shutdownTimeoutMs: number;
  /** Public answers (anonymous and publishable-key catalog reads) cached and dropped on changes; RESPONSE_CACHE=off disables it. */
  responseCache: { enabled: boolean; ttlSeconds: number };
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  production: boolean;
  version: string;
}

export class ConfigError extends Error {}

/** Parses the environment into one typed object, failing fast with every invalid variable named. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    adminApiKey: e.ADMIN_API_KEY,
    appSecret: e.APP_SECRET,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    stripeApiBase: e.STRIPE_API_BASE,
    webhookAllowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    jobsPollMs: e.JOBS_POLL_MS,
    mediaMaxBytes: e.MEDIA_MAX_BYTES,
    mediaSignedUrlTtlSeconds: e.MEDIA_SIGNED_URL_TTL_SECONDS,
    paymentFollowUp: {
      timeoutMs: e.PAYMENT_TIMEOUT_MINUTES * 60_000,
      intervalMs: e.PAYMENT_FOLLOW_UP_MINUTES * 60_000,
    },
    marketplace: { holdHours: e.MARKETPLACE_PAYOUT_HOLD_HOURS, stripeConnect: e.MARKETPLACE_STRIPE_CONNECT },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST === "0.0.0.0" ? "localhost" : e.HOST}:${e.PORT}`).replace(/\/+$/, ""),
    trustedOrigins: e.CORS_ORIGINS.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    graphqlIntrospection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== "production",
    metricsPublic: e.METRICS_PUBLIC,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    responseCache: { enabled: e.RESPONSE_CACHE === "on", ttlSeconds: e.RESPONSE_CACHE_TTL_SECONDS },
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === "production",
    version: process.env.npm_package_version ?? "0.1.0",
  };
}

export interface ConfigWarning {
  /** The variables involved, so an operator sees which ones go together. */
  settings: string[];
  message: string;
}

/** A browser origin as browsers send it: scheme, host and port only (no path, not even a trailing slash). */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * Settings that are valid one by one but only half there together: the server starts, and main.ts logs
 * each of these as a warning, because the feature they belong to would fail later, request by request.
 */
export function configWarnings(config: Config): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  if (config.marketplace.stripeConnect && !config.stripeSecretKey) {
    warnings.push({
      settings: ["MARKETPLACE_STRIPE_CONNECT", "STRIPE_SECRET_KEY"],
      message:
        "MARKETPLACE_STRIPE_CONNECT=true without STRIPE_SECRET_KEY: payouts are recorded for paying by hand instead.",
    });
  }
  if (config.stripeWebhookSecret && !config.stripeSecretKey) {
    warnings.push({
      settings: ["STRIPE_WEBHOOK_SECRET", "STRIPE_SECRET_KEY"],
      message:
        "STRIPE_WEBHOOK_SECRET is set without STRIPE_SECRET_KEY: Stripe is off, so every Stripe webhook is refused with 400.",
    });
  }
  if (config.stripeSecretKey && !config.stripeWebhookSecret) {
    warnings.push({
      settings: ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"],
      message:
        "STRIPE_SECRET_KEY is set without STRIPE_WEBHOOK_SECRET: Stripe webhooks cannot be verified and are refused with 400; payments settle only through the follow-up job.",
    });
  }
  if (config.stripeApiBase && !config.stripeSecretKey) {
    warnings.push({
      settings: ["STRIPE_API_BASE", "STRIPE_SECRET_KEY"],
      message: "STRIPE_API_BASE is set without STRIPE_SECRET_KEY: it is ignored.",
    });
  }
  const notOrigins = config.trustedOrigins.filter((entry) => !isOrigin(entry));
  if (notOrigins.length) {
    warnings.push({
      settings: ["CORS_ORIGINS"],
      message: `CORS_ORIGINS entries that are not origins (scheme://host[:port], no path or trailing slash) never match a browser's Origin: ${notOrigins.join(", ")}`,
    });
  }
  if (config.redisUrl && !config.databaseUrl?.match(/^postgres(ql)?:\/\//)) {
    warnings.push({
      settings: ["REDIS_URL", "DATABASE_URL"],
      message:
        "REDIS_URL is set but the database is embedded (PGlite): several instances cannot share it; use a PostgreSQL DATABASE_URL with REDIS_URL.",
    });
  }
  if (config.paymentFollowUp.intervalMs > config.paymentFollowUp.timeoutMs) {
    warnings.push({
      settings: ["PAYMENT_FOLLOW_UP_MINUTES", "PAYMENT_TIMEOUT_MINUTES"],
      message:
        "PAYMENT_FOLLOW_UP_MINUTES is longer than PAYMENT_TIMEOUT_MINUTES: an unpaid order is only cancelled at the first check after its timeout.",
    });
  }
  if (config.production && !config.smtpUrl) {
    warnings.push({
      settings: ["SMTP_URL"],
      message:
        "No SMTP_URL in production: account mails (password reset, verification) are only written to DATA_DIR/mail.",
    });
  }
  if (config.metricsPublic && config.production) {
    warnings.push({
      settings: ["METRICS_PUBLIC"],
      message: "METRICS_PUBLIC=true in production: /metrics answers anyone who can reach the server.",
    });
  }
  return warnings;
}
