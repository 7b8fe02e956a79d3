import { ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./infra/db.js";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}

// Open the database (PGlite boots a WASM Postgres) while the GraphQL and HTTP modules load.
const since = (start: number) => Math.round(performance.now() - start);
const startup: Record<string, number> = {};
const began = performance.now();
const [db, { buildApp }] = await Promise.all([
  openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }).finally(() => (startup.databaseMs = since(began))),
  import("./app.js").finally(() => (startup.modulesMs = since(began))),
]);
const app = await buildApp(config, { db, ownsDb: true, startup });
await app.start();

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await app.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
