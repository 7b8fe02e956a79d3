import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { testDatabaseUrl } from "./database.js";

/** Starting `src/main.ts` as a real process, on a database of its own (ops and crash tests). */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const ADMIN_KEY = "ops-test-admin-key-0123456789abcdef";

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Every JSON log line the process has written so far. */
  log: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh database for server processes: a temporary PGlite directory, or a new PostgreSQL database. */
export async function freshDatabase(label: string): Promise<TestDatabase> {
  const url = testDatabaseUrl();
  if (!url) {
    const dir = await mkdtemp(path.join(tmpdir(), `cg-${label}-`));
    return { env: { DATA_DIR: path.join(dir, "data") }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `cg_${label}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: own.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Starts `src/main.ts` in its own process and waits for its "listening" log line. */
export async function startServer(
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const { DATABASE_URL: _url, DATA_DIR: _dir, REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: {
      ...inherited,
      PORT: "0",
      HOST: "127.0.0.1",
      ADMIN_API_KEY: ADMIN_KEY,
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      JOBS_POLL_MS: "0",
      RATE_LIMIT_PER_MINUTE: "1000000",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const log: Record<string, unknown>[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const raw: string[] = [];
    // A ceiling, not a speed check: a loaded CI machine compiling src/ with tsx can take a minute or more.
    // A server that does not come up is killed, so it cannot hold its data directory past the test.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start:\n${raw.join("\n")}`));
    }, options.timeoutMs ?? 180_000);
    createInterface({ input: child.stderr! }).on("line", (line) => {
      raw.push(line);
      try {
        const entry = JSON.parse(line);
        log.push(entry);
        if (entry.message === "listening") {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a log line
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${raw.join("\n")}`));
    });
  });
  return { url, child, log, exited };
}

/** SIGTERM, then the exit. */
export async function stopServer(server: ServerProcess) {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGTERM");
  return server.exited;
}
