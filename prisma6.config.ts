// Prisma 6.19 CLI configuration, for `migrate diff` and `migrate status` only (scripts/prisma6.ts runs
// that CLI, installed as the `prisma6` alias, with this file). 6.19 can run its WASM ("js") schema
// engine through a driver adapter, which Prisma 7's CLI no longer can, and the native engines cannot be
// downloaded on our machines (docs/ARCHITECTURE.md, "Prisma offline"). The adapter points at the
// database the app uses: DATABASE_URL's PostgreSQL, else the embedded database in DATA_DIR, so
// `migrate status` inspects the real one. scripts/prisma6.ts passes postgresql://embedded/cartograph to
// mean the embedded database, and postgresql://memory/cartograph for a throwaway one (diffing needs
// no data). The adapters are the app's (Prisma 7 line); 6.19's CLI accepts them.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma6/config";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const url = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined;
    if (url && url.hostname !== "embedded" && url.hostname !== "memory") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: url.toString() }) as never;
    }
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    let dataDir: string | undefined;
    if (url?.hostname === "embedded") {
      dataDir = path.resolve(process.env.DATA_DIR ?? ".cartograph", "pgdata");
      mkdirSync(path.dirname(dataDir), { recursive: true });
    }
    // The adapters implement Prisma 7's @prisma/driver-adapter-utils; 6.19's types differ only nominally.
    return new PrismaPGlite(new PGlite(dataDir)) as never;
  },
});
