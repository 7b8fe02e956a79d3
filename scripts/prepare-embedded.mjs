// postinstall, after `prisma generate`: bundles src/ (so the first `npm start` does not) and prepares the
// embedded database's template (PGlite initdb + every migration, once per PGlite version and migration
// set) in node_modules/.cache/cartograph/, from which a new DATA_DIR is copied. Both only save time at
// the first start: a failure is logged and the install goes on (start bundles and runs initdb itself).
// CARTOGRAPH_SKIP_TEMPLATE=1 skips the template, and so does CI (CI=true; it runs no `npm start`, and the
// template costs an install ~8 s of CPU).
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bundleIfStale, dist, root } from "./bundle.mjs";

const began = performance.now();
const seconds = () => `${((performance.now() - began) / 1000).toFixed(1)} s`;
const note = (message) => console.log(`cartograph: ${message}`);

try {
  // An image build installs before it copies src/ (Dockerfile): nothing to bundle yet.
  if (!existsSync(path.join(root, "src", "main.ts"))) {
    note("no src/: bundle and embedded database template skipped");
    process.exit(0);
  }
  await bundleIfStale();
  const skip = process.env.CARTOGRAPH_SKIP_TEMPLATE
    ? process.env.CARTOGRAPH_SKIP_TEMPLATE !== "0"
    : ["1", "true"].includes(process.env.CI ?? "");
  if (skip) {
    note(`bundled (${seconds()}); embedded database template skipped (CI or CARTOGRAPH_SKIP_TEMPLATE)`);
    process.exit(0);
  }
  const { prepareEmbeddedTemplate } = await import(pathToFileURL(path.join(dist, "prepare-embedded.js")).href);
  const outcome = await prepareEmbeddedTemplate();
  note(`bundled; embedded database template ${outcome === "created" ? "created" : "already current"} (${seconds()})`);
} catch (error) {
  note(`could not prepare the first start (${error?.message ?? error}); npm start will do it`);
}
process.exit(0);
