import { afterAll, beforeAll } from "vitest";
import { type App, type BuildOptions, buildApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { resetDatabase, workerDatabase } from "./database.js";

export const ADMIN_KEY = "test-admin-key-0123456789abcdef";

export interface Sent {
  status: number;
  headers: Headers;
  body: any;
}

export interface TestApp {
  app: App;
  /** Sends a request to the in-process fetch handler; `key` becomes x-api-key (null: no key). */
  request(
    method: string,
    path: string,
    options?: { body?: unknown; key?: string | null; headers?: Record<string, string>; raw?: string },
  ): Promise<Sent>;
  graphql(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<Sent>;
  /** Creates an API key with these permissions (in the default store unless storeId is given). */
  createKey(permissions: string[], storeId?: string): Promise<string>;
}

/**
 * Builds the app on the worker's database, emptied first, for the tests of one file. Call at the top
 * level of a test file; the returned object is filled in before the first test runs.
 */
export function useTestApp(overrides: Partial<Config> = {}, build: Pick<BuildOptions, "clock"> = {}): TestApp {
  const harness = {} as TestApp;
  let keySeq = 0;
  beforeAll(async () => {
    const db = await workerDatabase();
    await resetDatabase(db);
    const config: Config = {
      ...loadConfig({
        ADMIN_API_KEY: ADMIN_KEY,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
        NODE_ENV: "test",
        RATE_LIMIT_PER_MINUTE: "100000",
        JOBS_POLL_MS: "0",
      }),
      port: 0,
      ...overrides,
    };
    const app = await buildApp(config, { db, ...build });
    harness.app = app;
    harness.request = async (method, path, options = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      const key = options.key === undefined ? ADMIN_KEY : options.key;
      if (key) headers["x-api-key"] = key;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers["content-type"] ??= "application/json";
      }
      const response = await app.fetch(new Request(`http://localhost${path}`, { method, headers, body }));
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (HTML, assets)
      }
      return { status: response.status, headers: response.headers, body: parsed };
    };
    harness.graphql = (query, variables, key) =>
      harness.request("POST", "/graphql", { body: { query, variables }, key });
    harness.createKey = async (permissions, storeId) => {
      const created = await harness.request("POST", "/api/api-keys", {
        body: { name: `test ${++keySeq}`, permissions, ...(storeId ? { storeId } : {}) },
      });
      if (created.status !== 201) {
        throw new Error(`could not create a test key: ${created.status} ${JSON.stringify(created.body)}`);
      }
      return created.body.data.secret as string;
    };
    // A store takes payments with the provider its settings name: suites that configure Stripe use it.
    if (config.stripeSecretKey) {
      const set = await harness.request("PATCH", "/api/store/settings", { body: { paymentProvider: "stripe" } });
      if (set.status !== 200) throw new Error(`could not select Stripe for the default store: ${set.status}`);
    }
  });
  afterAll(async () => {
    await harness.app?.stop();
  });
  return harness;
}
