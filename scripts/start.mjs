// `npm start`: bundles src/ into dist/ only when a source file is newer than the last bundle, then runs
// it in this process (no second Node start-up). Plain JavaScript, so it needs no TypeScript loader.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const entry = path.join(root, "dist", "main.js");

function newestMtime(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    newest = Math.max(newest, item.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const bundled = (() => {
  try {
    return statSync(entry).mtimeMs;
  } catch {
    return 0;
  }
})();
// The bundle check (and build) as a performance mark: main.ts reports it among the start-up phases.
const sources = Math.max(newestMtime(path.join(root, "src")), statSync(path.join(root, "package.json")).mtimeMs);
const rebuilt = sources > bundled;
if (rebuilt) {
  const { build } = await import("esbuild");
  await build({
    entryPoints: [path.join(root, "src", "main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    splitting: true,
    outdir: path.join(root, "dist"),
    sourcemap: true,
    logLevel: "warning",
  });
}
performance.mark("cartograph:bundled", { detail: { rebuilt } });
process.setSourceMapsEnabled(true);
await import(pathToFileURL(entry).href);
