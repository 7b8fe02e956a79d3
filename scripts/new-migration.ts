// Generates prisma/migrations/<timestamp>_<name>/migration.sql offline: the diff between the schema as
// last committed (git HEAD) and the working prisma/schema.prisma. `prisma migrate dev` needs a native
// engine we cannot download, so this is how migrations are authored. Prisma 7's CLI cannot diff offline at
// all, so the diff runs on Prisma 6.19's (scripts/prisma6.ts). Usage: npm run db:diff -- <name>
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { prisma6, schemaFileFor6 } from "./prisma6.js";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <snake_case_name>");
  process.exit(2);
}
let previous = "";
try {
  previous = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
} catch {
  // no committed schema yet: diff from empty
}
// Both sides as the 6.19 CLI accepts them (with a datasource url).
const to = schemaFileFor6(readFileSync(path.join("prisma", "schema.prisma"), "utf8"), "schema.prisma");
const args = previous
  ? [
      "migrate",
      "diff",
      "--from-schema-datamodel",
      schemaFileFor6(previous, "previous.prisma"),
      "--to-schema-datamodel",
      to,
      "--script",
    ]
  : ["migrate", "diff", "--from-empty", "--to-schema-datamodel", to, "--script"];
const script = prisma6(args, { databaseUrl: "postgresql://memory/cartograph", capture: true })
  // Migrations run inside whatever schema the connection's search_path names (tests isolate by schema).
  .replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/m, "");
if (!/\b(CREATE|ALTER|DROP)\b/.test(script)) {
  console.log("No schema changes.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), script);
console.log(`Wrote ${dir}/migration.sql — review it, add constraints Prisma cannot express, commit.`);
