import { type Database, openDatabase } from "../../src/infra/db.js";
import { applyMigrations } from "../../src/infra/migrations.js";

/**
 * The worker's database: in-memory PGlite by default, or a private schema of TEST_DATABASE_URL's
 * PostgreSQL database. Opened once per worker and emptied between test files.
 */
let shared: Promise<Database> | undefined;

export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export function workerDatabase(): Promise<Database> {
  shared ??= (async () => {
    const url = testDatabaseUrl();
    if (!url) {
      const db = await openDatabase({ url: "memory://", dataDir: "" });
      await applyMigrations(db.sql);
      return db;
    }
    const schema = `cg_test_${process.pid}`;
    const admin = await openDatabase({ url, dataDir: "" });
    await admin.sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; CREATE SCHEMA "${schema}"`);
    await admin.close();
    const db = await openDatabase({ url, dataDir: "", schema });
    await applyMigrations(db.sql);
    return db;
  })();
  return shared;
}

/** Empties every table (keeping the migration history). */
export async function resetDatabase(db: Database): Promise<void> {
  const tables = await db.sql.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
  );
  if (tables.length) {
    await db.sql.exec(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
  }
}
