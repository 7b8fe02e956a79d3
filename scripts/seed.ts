// `npm run seed`: loads the demo store (scripts/seed/demo-store.ts) into the configured database —
// DATABASE_URL, or the embedded one in DATA_DIR, the same as `npm start` — through the gateway's own API,
// in-process. With the embedded database, stop the server first (one process at a time opens it).
// Sizes: SEED_PRODUCTS (default 300), SEED_CUSTOMERS, SEED_ORDERS. Running it again adds nothing.
import { randomBytes } from "node:crypto";
import { Presets, SingleBar } from "cli-progress";
import { buildApp } from "../src/app.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { openDatabase } from "../src/infra/db.js";
import { type SeedProgress, seedDemoStore, seedSizeFrom } from "./seed/demo-store.js";

let config;
let size;
try {
  config = loadConfig();
  size = seedSizeFrom(process.env);
} catch (error) {
  if (error instanceof ConfigError || error instanceof Error) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}

// The embedded database is one process's: a server running on it (its port answers) must be stopped first.
if (!config.databaseUrl) {
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const running = await fetch(`http://${host}:${config.port}/api/health`, { signal: AbortSignal.timeout(1_000) }).then(
    () => true,
    () => false,
  );
  if (running) {
    console.error(
      `A server answers on ${host}:${config.port}. Stop it first: the embedded database in ${config.dataDir} takes one process at a time.`,
    );
    process.exit(1);
  }
}

// A one-off platform key for this process only (never stored), so the seed needs no ADMIN_API_KEY.
const apiKey = `seed_${randomBytes(24).toString("hex")}`;
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const app = await buildApp(
  {
    ...config,
    adminApiKey: apiKey,
    rateLimitPerMinute: 10_000_000,
    logLevel: config.logLevel === "info" ? "warn" : config.logLevel,
  },
  { db, ownsDb: true },
);

/** cli-progress on a terminal; one line per phase otherwise (CI logs, pipes). */
function progressReporter(): SeedProgress {
  if (!process.stderr.isTTY) {
    let phase = "";
    let done = 0;
    let total = 0;
    return {
      start: (count) => void (total = count),
      tick: (name) => {
        done++;
        if (name !== phase) console.error(`${(phase = name)}… (${done}/${total})`);
      },
      stop: () => console.error(`done (${done}/${total})`),
    };
  }
  const bar = new SingleBar(
    { format: "Seeding {bar} {percentage}% | {value}/{total} | {phase}", hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  return {
    start: (total, phase) => bar.start(total, 0, { phase }),
    tick: (phase) => bar.increment(1, { phase }),
    stop: () => bar.stop(),
  };
}

const target = config.databaseUrl
  ? config.databaseUrl.replace(/\/\/[^@/]*@/, "//***@")
  : `embedded database in ${config.dataDir}`;
console.log(
  `Seeding the demo store into ${target}: ${size.products} products, ${size.customers} customers, ${size.orders} orders.`,
);
let exitCode = 0;
try {
  const report = await seedDemoStore({
    fetch: (request) => app.fetch(request),
    apiKey,
    size,
    progress: progressReporter(),
    // The API stamps orders "now"; the chart needs a history, and no route sets a past date.
    backdateOrder: async (orderId, at) => {
      await db.sql.query(`UPDATE "order" SET "createdAt" = $1 WHERE id = $2::uuid`, [at.toISOString(), orderId]);
    },
  });
  if (report.alreadySeeded) {
    console.log(
      `Already seeded: ${report.existing.products} products, ${report.existing.customers} customers and ${report.existing.orders} orders are there. Nothing added.`,
    );
  } else {
    const c = report.created;
    console.log(
      `Added ${c.products} products (${c.variants} variants), ${c.customers} customers, ${c.orders} orders` +
        `${c.categories || c.brands ? `, ${c.categories} categories, ${c.brands} brands` : ""}.`,
    );
    console.log(
      `Orders by status: ${Object.entries(report.ordersByStatus)
        .map(([s, n]) => `${s} ${n}`)
        .join(", ")}.`,
    );
  }
} catch (error) {
  console.error(`\nSeeding stopped: ${error instanceof Error ? error.message : String(error)}`);
  console.error("Run it again to continue: what exists is kept and only the rest is added.");
  exitCode = 1;
} finally {
  await app.stop(0);
}
process.exit(exitCode);
