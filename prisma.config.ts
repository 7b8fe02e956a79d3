// Prisma 7 CLI configuration, used for `prisma generate` only (npm run db:generate, run by postinstall).
// The app connects through driver adapters (src/infra/db.ts), so no datasource is configured here.
// Prisma 7's CLI cannot diff or report migration status offline (its schema engine is a native
// download), so `npm run db:diff` and `npm run db:status` run Prisma 6.19's CLI, installed as `prisma6`,
// with its own configuration (prisma6.config.ts, through scripts/prisma6.ts).
import path from "node:path";
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
});
