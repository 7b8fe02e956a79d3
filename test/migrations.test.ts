import { cp, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR } from "../src/infra/migrations.js";
import { workerDatabase } from "./helpers/database.js";

describe("the migration runner", () => {
  it("records every migration like prisma migrate deploy and applies nothing twice", async () => {
    const db = await workerDatabase();
    expect(await applyMigrations(db.sql)).toEqual([]);
    const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const folders = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.finished_at)).toBe(true);
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    const db = await workerDatabase();
    const copy = await mkdtemp(path.join(tmpdir(), "migrations-"));
    await cp(MIGRATIONS_DIR, copy, { recursive: true });
    const [first] = (await readdir(copy, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    await writeFile(path.join(copy, first!, "migration.sql"), "-- edited\n", { flag: "a" });
    await expect(applyMigrations(db.sql, copy)).rejects.toThrow(/checksum mismatch/);
  });
});
