// `npm start`: bundles src/ into dist/ only when a source file is newer than the last bundle (`npm install`
// bundled it already: scripts/prepare-embedded.mjs), then runs it in this process (no second Node
// start-up). Plain JavaScript, so it needs no TypeScript loader.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bundleIfStale, dist } from "./bundle.mjs";

const rebuilt = await bundleIfStale();
// The bundle check (and build) as a performance mark: main.ts reports it among the start-up phases.
performance.mark("cartograph:bundled", { detail: { rebuilt } });
process.setSourceMapsEnabled(true);
await import(pathToFileURL(path.join(dist, "main.js")).href);
