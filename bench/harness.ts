/**
 * What every benchmark's parent process does the same way (bench/run.ts, bench/subscribers.ts): read
 * its settings, open a private PostgreSQL schema that is dropped at the end (including on Ctrl-C),
 * build the app's production configuration, and fork a child process through tsx.
 *
 * Import bench/production-env.ts before this module (and before anything of the app).
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type Config, loadConfig } from "../src/config.js";
import { type Database, openDatabase } from "../src/infra/db.js";
import { applyMigrations } from "../src/infra/migrations.js";

export const DATABASE_URL = process.env.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";

/** The database URL without its credentials, for printing. */
export const printableDatabaseUrl = (url: string) => url.replace(/\/\/[^@/]*@/, "//***@");

export function positiveNumber(name: string, fallback: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? "integer" : "number"}, not "${raw}"`);
  }
  return value;
}

export interface Cleanups {
  /** Registers a step; steps run in reverse order of registration. */
  defer(step: () => Promise<unknown>): void;
  /** Runs every step (once, however often it is called) and removes the signal handlers. */
  run(): Promise<void>;
}

/**
 * Idempotent, reverse order, every step attempted even when one fails: the process must end with no
 * schema left behind. SIGINT/SIGTERM run the steps and exit 130.
 */
export function cleanups(): Cleanups {
  const steps: (() => Promise<unknown>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const step of steps.reverse()) {
        try {
          await step();
        } catch (error) {
          console.error("cleanup step failed:", error);
        }
      }
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    defer: (step) => void steps.push(step),
    async run() {
      await cleanup();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/**
 * Creates `schema` afresh (dropping a leftover of the same name), opens the app's database in it and
 * applies the migrations. The drop, and closing both connections, are deferred to `cleanup`.
 */
export async function openBenchSchema(cleanup: Cleanups, databaseUrl: string, schema: string): Promise<Database> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  cleanup.defer(() => admin.end());
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; CREATE SCHEMA "${schema}"`);
  cleanup.defer(() => admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));

  const db = await openDatabase({ url: databaseUrl, dataDir: "", schema });
  cleanup.defer(() => db.close());
  await applyMigrations(db.sql);
  return db;
}

/**
 * The app's production configuration (silent logs, rate limit out of the way) on 127.0.0.1, any free
 * port. `env` adds or overrides variables.
 */
export function productionConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return {
    ...loadConfig({
      LOG_LEVEL: "silent",
      NODE_ENV: "production",
      RATE_LIMIT_PER_MINUTE: "100000000",
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      ...env,
    }),
    port: 0,
  };
}

/**
 * Forks a TypeScript module of bench/ through tsx, with an IPC channel that uses structured clone
 * (not JSON: keeps NaN, e.g. percentiles of an empty sample, and typed arrays as they are).
 */
export function forkTsx(module: URL): ChildProcess {
  return fork(fileURLToPath(module), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
  });
}

/** Disconnects a forked child (it exits on disconnect) and waits for it to exit; kills it after 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.connected) child.disconnect();
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise((resolve) => {
      const timer = setTimeout(() => child.kill(), 5000);
      child.once("exit", () => resolve(clearTimeout(timer)));
    });
  }
}
