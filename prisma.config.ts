// Prisma CLI configuration. The CLI runs its WASM ("js") engine through a driver adapter because the
// native engines cannot be downloaded on our machines (docs/ARCHITECTURE.md, "Prisma offline").
import path from "node:path";
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    // The adapter pins an older @prisma/driver-adapter-utils whose types differ only nominally.
    return new PrismaPGlite(new PGlite()) as never;
  },
});
