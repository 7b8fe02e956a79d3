// The bundle `npm start` runs (dist/main.js) and the template preparation beside it
// (dist/prepare-embedded.js): built by scripts/start.mjs when a source is newer, and at `npm install`
// (scripts/prepare-embedded.mjs) so that the first start does not bundle. Plain JavaScript: no loader.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
export const dist = path.join(root, "dist");

function newestMtime(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    newest = Math.max(newest, item.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Bundles src/ into dist/ unless every entry is newer than every source; resolves whether it rebuilt. */
export async function bundleIfStale({ force = false } = {}) {
  const entries = { main: "src/main.ts", "prepare-embedded": "src/infra/prepare-embedded.ts" };
  const bundled = Math.min(...Object.keys(entries).map((name) => mtime(path.join(dist, `${name}.js`))));
  const sources = Math.max(newestMtime(path.join(root, "src")), mtime(path.join(root, "package.json")));
  if (!force && sources <= bundled) return false;
  const { build } = await import("esbuild");
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([out, file]) => [out, path.join(root, file)])),
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    splitting: true,
    outdir: dist,
    sourcemap: true,
    logLevel: "warning",
  });
  return true;
}

// `npm run build` (the Docker image): the same entries and options as every start, always rebuilt.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundleIfStale({ force: true });
