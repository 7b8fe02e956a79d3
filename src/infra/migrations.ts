import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlRunner } from "./sql.js";

/** prisma/migrations of the project, found upwards from this module (works from src/ and from dist/). */
function findMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "prisma", "migrations");
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`prisma/migrations not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export const MIGRATIONS_DIR = findMigrationsDir();

/**
 * Applies Prisma-format migration folders in order, each in its own transaction, recording them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does, so `prisma migrate status` agrees.
 * Our own runner because `migrate deploy` cannot run against PostgreSQL offline (6.19 through adapter-pg 6.x fails; 7.10 needs a native engine).
 */
/** The advisory lock key instances take while applying a migration (any constant of ours). */
const MIGRATION_LOCK = 7_402_118_331;

/** The migration folders of `dir` in order, with their scripts and SHA-256 checksums. */
async function readMigrations(dir: string): Promise<{ name: string; script: string; checksum: string }[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const script = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, script, checksum: createHash("sha256").update(script).digest("hex") };
    }),
  );
}

/** One checksum of the whole migration set (names and scripts): what an embedded template was migrated to. */
export async function migrationSetChecksum(dir = MIGRATIONS_DIR): Promise<string> {
  const list = (await readMigrations(dir)).map(({ name, checksum }) => `${name}:${checksum}`).join(",");
  return createHash("sha256").update(list).digest("hex");
}

export async function applyMigrations(db: SqlRunner, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  // Every start but the first after an upgrade: one query finds every folder applied, unchanged and nothing
  // else recorded; anything else (a new database, pending folders, a mismatch) takes the full path below.
  if (await allApplied(db, migrations)) return [];
  // Under the lock too: two concurrent CREATE TABLE IF NOT EXISTS can both try to create it.
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
  });
  const applied = new Map(
    (
      await db.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations"
         WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )
    ).map((r) => [r.migration_name, r.checksum]),
  );
  const newlyApplied: string[] = [];
  for (const { name, script, checksum } of migrations) {
    const known = applied.get(name);
    if (known !== undefined) {
      if (known !== checksum) {
        throw new Error(`Migration ${name} was changed after it was applied (checksum mismatch).`);
      }
      continue;
    }
    const ran = await db.transaction(async (tx) => {
      // Several instances may start at once on one database: each migration is applied by one of them,
      // the others wait for its transaction and then see it recorded.
      await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const done = await tx.query(
        `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [name],
      );
      if (done.length) return false;
      await tx.exec(script);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
         VALUES ($1, $2, now(), $3, 1)`,
        [randomUUID(), checksum, name],
      );
      return true;
    });
    if (ran) newlyApplied.push(name);
  }
  return newlyApplied;
}

/** Whether `_prisma_migrations` records exactly these migrations with these checksums (false if it is missing). */
async function allApplied(db: SqlRunner, migrations: { name: string; checksum: string }[]): Promise<boolean> {
  const expected = migrations.map(({ name, checksum }) => `${name}:${checksum}`).join(",");
  try {
    const [row] = await db.query<{ applied: string | null }>(
      `SELECT string_agg(migration_name || ':' || checksum, ',' ORDER BY migration_name COLLATE "C") AS applied
       FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    return row?.applied === expected;
  } catch {
    return false; // no table yet: a new database
  }
}

/** Migration folders of `dir` not (successfully) recorded in `_prisma_migrations`: what readiness reports. */
export async function pendingMigrations(db: SqlRunner, dir = MIGRATIONS_DIR): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  const applied = new Set(
    (
      await db.query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )
    ).map((r) => r.migration_name),
  );
  return names.filter((name) => !applied.has(name)).sort();
}
