import { ConfigError, configWarnings, loadConfig } from "./config.js";
import { openDatabase } from "./infra/db.js";
import { createLogger } from "./infra/logger.js";

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

const logger = createLogger(config.logLevel);
// Settings that are valid alone but half there together: the server starts, and says so.
for (const warning of configWarnings(config)) logger.warn(warning.message, { settings: warning.settings });

// Open the database (PGlite boots a WASM Postgres) while the GraphQL and HTTP modules load.
const since = (start: number) => Math.round(performance.now() - start);
const startup: Record<string, number> = {};
// `npm start` (scripts/start.mjs) marks when its bundle was checked, and whether it had to rebuild it.
const bundled = performance.getEntriesByName("cartograph:bundled")[0] as PerformanceMark | undefined;
if (bundled)
  Object.assign(startup, { bundleMs: Math.round(bundled.startTime), rebuilt: bundled.detail.rebuilt ? 1 : 0 });
const began = performance.now();
const [db, { buildApp }] = await Promise.all([
  openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }).finally(() => (startup.databaseMs = since(began))),
  import("./app.js").finally(() => (startup.modulesMs = since(began))),
]);
// A new embedded directory: copied from the template `npm install` prepared, or made by initdb (and why).
if (db.template) {
  startup.template = db.template.used ? 1 : 0;
  if (db.template.used) logger.info("new embedded database copied from the install's template");
  else logger.info("new embedded database: initdb and every migration", { reason: db.template.reason });
}
const app = await buildApp(config, { db, ownsDb: true, startup, logger });
await app.start();

let stopping = false;
/**
 * SIGTERM (an orchestrator) or SIGINT (Ctrl-C): stop accepting, let requests in flight and a running job
 * finish within SHUTDOWN_TIMEOUT_MS, close WebSockets with 1001, then exit 0. A second signal, or a stop
 * that hangs well past the deadline, exits at once with 1.
 */
const shutdown = async (signal: NodeJS.Signals) => {
  if (stopping) {
    logger.warn("second signal: exiting without waiting", { signal });
    process.exit(1);
  }
  stopping = true;
  logger.info("shutting down", { signal, deadlineMs: config.shutdownTimeoutMs });
  const stuck = setTimeout(() => {
    logger.error("shutdown did not finish in time: exiting");
    process.exit(1);
  }, config.shutdownTimeoutMs + 5_000);
  stuck.unref();
  try {
    await app.stop(config.shutdownTimeoutMs);
  } catch (error) {
    logger.error("shutdown failed", { error });
    process.exit(1);
  }
  logger.info("stopped");
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
