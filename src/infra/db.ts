import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.js";
import { copyTemplate, expectedManifest, type TemplateOutcome, writeTemplate } from "./embedded-template.js";
import { applyMigrations } from "./migrations.js";
import type { SqlRunner } from "./sql.js";

export type Db = PrismaClient;

export interface Database {
  kind: "pglite" | "postgres";
  prisma: PrismaClient;
  sql: SqlRunner;
  /** Counts SQL statements Prisma sends, for the no-N+1 tests. */
  statementCount(): number;
  /** The PostgreSQL connection pool's connections (PGlite has none). */
  poolStats?(): { total: number; idle: number; waiting: number };
  ping(): Promise<void>;
  close(): Promise<void>;
  /** A new embedded directory: copied from the install's template, or why not (then initdb made it). */
  template?: TemplateOutcome;
}

export interface DatabaseOptions {
  /** undefined: embedded PGlite persisted under dataDir; "memory://": in-memory PGlite; else PostgreSQL. */
  url: string | undefined;
  dataDir: string;
  /** PostgreSQL schema to work in (tests isolate themselves this way). */
  schema?: string;
  /** A PGlite data-dir tarball to start from (tests reuse one migrated snapshot). */
  loadDataDir?: Blob;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url && !options.url.startsWith("memory://")
    ? openPostgres(options.url, options.schema)
    : openPGlite(options.url ? undefined : path.resolve(options.dataDir, "pgdata"), options.loadDataDir);
}

/**
 * Prisma's defaults (wait 2 s for a connection, 5 s per interactive transaction) turn a busy moment into a
 * 500 for a large but valid change (a fulfillment of 100 lines); row locks keep concurrent work correct, so
 * a transaction may take longer before it is given up.
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;

function withStatementCounter(prisma: PrismaClient): () => number {
  let count = 0;
  prisma.$on("query" as never, () => void count++);
  return () => count;
}

/**
 * PGlite zeroes its shared buffers in (unoptimised) WASM every time Postgres starts: 128 MB, the default,
 * cost about a second of a start on an existing directory and more on the first one (initdb starts it
 * twice more). The embedded database is small and the OS caches its files, so 16 MB is plenty; initdb
 * also writes it to postgresql.conf.
 */
const SHARED_BUFFERS = "shared_buffers=16MB";
const INITDB_SETTINGS = ["-c", SHARED_BUFFERS];

/** PGlite with the project's settings and extensions, on dataDir (undefined: in memory). */
function createPGlite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  // pg_trgm gives search its typo tolerance (the search migration installs it when it is available).
  return PGlite.create(dataDir, {
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, ...INITDB_SETTINGS],
    initDbStartParams: INITDB_SETTINGS,
    ...(loadDataDir ? { loadDataDir } : {}),
  });
}

function pgliteSql(lite: PGlite): SqlRunner {
  return {
    async query(text, params) {
      return (await lite.query(text, params)).rows as never;
    },
    async exec(text) {
      await lite.exec(text);
    },
    transaction(fn) {
      return lite.transaction((tx) =>
        fn({
          query: async (text, params) => (await tx.query(text, params)).rows as never,
          exec: async (text) => void (await tx.exec(text)),
        }),
      );
    },
  };
}

/**
 * Creates the embedded database's template (initdb + every migration) in the install's cache, unless a
 * current one is there: `npm install` runs it (scripts/prepare-embedded.mjs).
 */
export async function prepareEmbeddedTemplate(cacheDir?: string): Promise<"current" | "created"> {
  return writeTemplate(
    await expectedManifest(INITDB_SETTINGS),
    async (pgdata) => {
      const lite = await createPGlite(pgdata);
      try {
        await applyMigrations(pgliteSql(lite));
      } finally {
        await lite.close();
      }
    },
    cacheDir,
  );
}

async function openPGlite(dataDir: string | undefined, loadDataDir?: Blob): Promise<Database> {
  let template: TemplateOutcome | undefined;
  if (dataDir) {
    // PGlite creates only the last folder of its path.
    await mkdir(path.dirname(dataDir), { recursive: true });
    if (!loadDataDir && !existsSync(path.join(dataDir, "PG_VERSION")))
      template = await copyTemplate(dataDir, await expectedManifest(INITDB_SETTINGS));
  }
  const lite = await createPGlite(dataDir, loadDataDir);
  // The adapter pins an older @prisma/driver-adapter-utils whose types differ only nominally.
  const adapter = new PrismaPGlite(lite) as unknown as PrismaPg;
  const prisma = new PrismaClient({
    adapter,
    log: [{ emit: "event", level: "query" }],
    transactionOptions: TRANSACTION_OPTIONS,
  });
  return {
    kind: "pglite",
    prisma,
    sql: pgliteSql(lite),
    statementCount: withStatementCounter(prisma),
    ping: async () => void (await lite.query("SELECT 1")),
    async close() {
      await prisma.$disconnect();
      // $disconnect leaves PGlite open, which keeps the process alive.
      if (!lite.closed) await lite.close();
    },
    ...(template ? { template } : {}),
  };
}

async function openPostgres(url: string, schema?: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 20,
    ...(schema ? { options: `-c search_path="${schema}"` } : {}),
  });
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, schema ? { schema } : undefined),
    log: [{ emit: "event", level: "query" }],
    transactionOptions: TRANSACTION_OPTIONS,
  });
  const sql: SqlRunner = {
    async query(text, params) {
      return (await pool.query(text, params as unknown[])).rows;
    },
    async exec(text) {
      await pool.query(text);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({
          query: async (text, params) => (await client.query(text, params as unknown[])).rows,
          exec: async (text) => void (await client.query(text)),
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    },
  };
  return {
    kind: "postgres",
    prisma,
    sql,
    statementCount: withStatementCounter(prisma),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    ping: async () => void (await pool.query("SELECT 1")),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
