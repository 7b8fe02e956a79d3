import { describe, expect, it } from "vitest";
import { ConfigError, configWarnings, loadConfig } from "../../src/config.js";

const warned = (env: Record<string, string>) => configWarnings(loadConfig(env)).map((w) => w.settings);

describe("configWarnings", () => {
  it("is empty for the defaults and for complete pairs", () => {
    expect(warned({})).toEqual([]);
    expect(warned({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x" })).toEqual([]);
    expect(warned({ CORS_ORIGINS: "https://shop.example.com, http://localhost:5173" })).toEqual([]);
    expect(warned({ REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: "postgresql://db/app" })).toEqual([]);
  });

  it("names a Stripe webhook secret without a Stripe key, and a key without a webhook secret", () => {
    expect(warned({ STRIPE_WEBHOOK_SECRET: "whsec_x" })).toEqual([["STRIPE_WEBHOOK_SECRET", "STRIPE_SECRET_KEY"]]);
    expect(warned({ MARKETPLACE_STRIPE_CONNECT: "true" })).toEqual([
      ["MARKETPLACE_STRIPE_CONNECT", "STRIPE_SECRET_KEY"],
    ]);
    expect(warned({ STRIPE_SECRET_KEY: "sk_test_x" })).toEqual([["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]]);
    expect(warned({ STRIPE_API_BASE: "http://127.0.0.1:12111" })).toEqual([["STRIPE_API_BASE", "STRIPE_SECRET_KEY"]]);
  });

  it("names CORS_ORIGINS entries that are not origins, quoting them", () => {
    const warnings = configWarnings(
      loadConfig({
        CORS_ORIGINS: "https://ok.example.com,https://shop.example.com/,shop.example.com,https://x.example.com/app",
      }),
    );
    expect(warnings.map((w) => w.settings)).toEqual([["CORS_ORIGINS"]]);
    for (const bad of ["https://shop.example.com/", "shop.example.com", "https://x.example.com/app"])
      expect(warnings[0]!.message).toContain(bad);
    expect(warnings[0]!.message).not.toContain("ok.example.com");
  });

  it("names Redis beside the embedded database, follow-ups slower than the timeout, and public metrics in production", () => {
    expect(warned({ REDIS_URL: "redis://127.0.0.1:6379" })).toEqual([["REDIS_URL", "DATABASE_URL"]]);
    expect(warned({ PAYMENT_FOLLOW_UP_MINUTES: "90", PAYMENT_TIMEOUT_MINUTES: "60" })).toEqual([
      ["PAYMENT_FOLLOW_UP_MINUTES", "PAYMENT_TIMEOUT_MINUTES"],
    ]);
    expect(warned({ METRICS_PUBLIC: "true", NODE_ENV: "production", SMTP_URL: "smtp://mail.example.com" })).toEqual([
      ["METRICS_PUBLIC"],
    ]);
    expect(warned({ NODE_ENV: "production" })).toEqual([["SMTP_URL"]]);
    expect(warned({ METRICS_PUBLIC: "true" })).toEqual([]);
  });

  it("reads the operations settings, refusing bad values", () => {
    const config = loadConfig({ SHUTDOWN_TIMEOUT_MS: "2500", METRICS_PUBLIC: "true" });
    expect(config.shutdownTimeoutMs).toBe(2500);
    expect(config.metricsPublic).toBe(true);
    expect(loadConfig({}).shutdownTimeoutMs).toBe(10_000);
    expect(loadConfig({}).metricsPublic).toBe(false);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: "-1" })).toThrow(ConfigError);
    expect(() => loadConfig({ GRAPHQL_INTROSPECTION: "yes" })).toThrow(ConfigError);
  });
});
