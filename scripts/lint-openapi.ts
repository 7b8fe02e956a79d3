/**
 * `npm run lint:openapi`: builds the app on an in-memory database, writes every dialect's OpenAPI document
 * to a temporary folder and lints each with Redocly's recommended ruleset (redocly.yaml). Exits non-zero on
 * any error or warning, so CI keeps the documents clean for generated clients and linters.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";

export const OPENAPI_DOCUMENTS = {
  main: "/api/doc",
  "storefront-v1": "/api/storefront/v1/openapi.json",
  projects: "/api/v1/public/openapi.json",
} as const;

const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "cartograph-openapi-"));
const dataDir = path.join(dir, "data");
const app = await buildApp({
  ...loadConfig({
    DATABASE_URL: "memory://",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    NODE_ENV: "test",
    JOBS_POLL_MS: "0",
  }),
  port: 0,
});
const files: string[] = [];
try {
  for (const [name, url] of Object.entries(OPENAPI_DOCUMENTS)) {
    const response = await app.fetch(new Request(`http://localhost${url}`));
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(await response.json(), null, 2));
    files.push(file);
  }
} finally {
  await app.stop(0);
}
const cli = path.join(root, "node_modules", ".bin", "redocly");
const result = spawnSync(
  cli,
  ["lint", "--config", path.join(root, "redocly.yaml"), "--format", "stylish", "--max-problems", "200", ...files],
  {
    stdio: "inherit",
    cwd: root,
  },
);
if (result.status === 0) rmSync(dir, { recursive: true, force: true });
else console.error(`documents kept in ${dir}`);
process.exit(result.status ?? 1);
