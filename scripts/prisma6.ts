// Runs Prisma 6.19's CLI, installed under the npm alias `prisma6`, for the two offline CLI calls the
// project needs: `migrate diff` (npm run db:diff) and `migrate status` (npm run db:status). The app and
// `prisma generate` use Prisma 7, whose CLI cannot do either offline (its schema engine is a native
// download). 6.19 requires a datasource `url` that 7 rejects, so the CLI is given copies of the schemas
// with one added, and its own config (prisma6.config.ts: WASM schema engine through a driver adapter).
// Usage: tsx scripts/prisma6.ts migrate status
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = createRequire(import.meta.url).resolve("prisma6/build/index.js");

/** The schema text with `url = env("DATABASE_URL")` in its datasource block when it has no url. */
export function withDatasourceUrl(schema: string): string {
  return schema.replace(/(datasource\s+\w+\s*\{)([^}]*)\}/, (block, open: string, body: string) =>
    /^\s*url\s*=/m.test(body) ? block : `${open}${body.replace(/\s*$/, "\n")}  url = env("DATABASE_URL")\n}`,
  );
}

let scratch: string | undefined;
/** Writes `schema` (given a url) to a scratch file for the 6.19 CLI and returns its path. */
export function schemaFileFor6(schema: string, name: string): string {
  scratch ??= mkdtempSync(path.join(tmpdir(), "cartograph-prisma6-"));
  const file = path.join(scratch, name);
  writeFileSync(file, withDatasourceUrl(schema));
  return file;
}

/** The working prisma/schema.prisma, as a file the 6.19 CLI accepts. */
export function workingSchemaFor6(): string {
  return schemaFileFor6(readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8"), "schema.prisma");
}

/**
 * Runs `prisma <args>` with the 6.19 CLI and prisma6.config.ts. `databaseUrl` picks the database the
 * config's adapter opens (postgresql://memory/... and postgresql://embedded/... mean PGlite). With
 * `capture`, returns stdout; otherwise output goes to the terminal and a failure exits with its code.
 */
export function prisma6(args: string[], options: { databaseUrl: string; capture?: boolean }): string {
  const env = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    PRISMA_QUERY_ENGINE_LIBRARY: "/dev/null",
    PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  };
  const argv = [cli, ...args, "--config", path.join(root, "prisma6.config.ts")];
  if (options.capture) return execFileSync(process.execPath, argv, { cwd: root, env, encoding: "utf8" });
  try {
    execFileSync(process.execPath, argv, { cwd: root, env, stdio: "inherit" });
  } catch (error) {
    process.exit((error as { status?: number }).status ?? 1);
  }
  return "";
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  // Commands that read a schema get the copy with a url unless the caller names one.
  const schema = args.includes("--schema") || args[0] !== "migrate" ? [] : ["--schema", workingSchemaFor6()];
  prisma6([...args, ...schema], { databaseUrl: process.env.DATABASE_URL || "postgresql://embedded/cartograph" });
}
