// Generates prisma/migrations/<timestamp>_<name>/migration.sql offline: the diff between the schema as
// last committed (git HEAD) and the working prisma/schema.prisma. `prisma migrate dev` needs a native
// engine we cannot download, so this is how migrations are authored. Usage: npm run db:diff -- <name>
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <snake_case_name>");
  process.exit(2);
}
let previous = "";
try {
  previous = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
} catch {
  // no committed schema yet: diff from empty
}
const from = path.join(mkdtempSync(path.join(tmpdir(), "cartograph-")), "previous.prisma");
writeFileSync(from, previous);
const env = {
  ...process.env,
  DATABASE_URL: "postgresql://memory/cartograph",
  PRISMA_QUERY_ENGINE_LIBRARY: "/dev/null",
  PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
};
const args = previous
  ? ["migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"]
  : ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"];
const script = execFileSync("npx", ["prisma", ...args], { encoding: "utf8", env })
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
