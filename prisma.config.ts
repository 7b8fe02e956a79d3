// Prisma CLI configuration. The CLI runs its WASM ("js") engine through a driver adapter because the
// native engines cannot be downloaded on our machines (docs/ARCHITECTURE.md, "Prisma offline"). The
// adapter points at the database the app uses: DATABASE_URL's PostgreSQL, else the embedded database
// in DATA_DIR, so `prisma migrate status` inspects the real one. The schema needs some DATABASE_URL to
// validate: `npm run db:status` passes postgresql://embedded/cartograph to mean the embedded database,
// and `npm run db:diff` postgresql://memory/cartograph for a throwaway one (diffing needs no data).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const url = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined;
    if (url && url.hostname !== "embedded" && url.hostname !== "memory") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: url.toString() });
    }
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    let dataDir: string | undefined;
    if (url?.hostname === "embedded") {
      dataDir = path.resolve(process.env.DATA_DIR ?? ".cartograph", "pgdata");
      mkdirSync(path.dirname(dataDir), { recursive: true });
    }
    // The adapter pins an older @prisma/driver-adapter-utils whose types differ only nominally.
    return new PrismaPGlite(new PGlite(dataDir)) as never;
  },
});
