import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { MIGRATIONS_DIR, migrationSetChecksum } from "./migrations.js";

/**
 * The embedded database's template: a PGlite data directory initialised (initdb) and migrated once, by
 * `npm install` (postinstall: scripts/prepare-embedded.mjs), so that a new DATA_DIR starts as a copy of it
 * instead of spending most of a first start in initdb and the migrations. Its manifest records what made
 * it; a template made by another PGlite, with other initdb settings or for another migration set is
 * ignored, and so is a missing one: the start then creates the directory as before.
 */
export interface TemplateManifest {
  /** Bumped when what a template holds, or how it is laid out, changes. */
  format: number;
  pglite: string;
  /** The Postgres settings initdb wrote into postgresql.conf. */
  initdb: string[];
  /** migrationSetChecksum() of the folders applied to it. */
  migrations: string;
}

const FORMAT = 1;
const PROJECT_ROOT = path.dirname(path.dirname(MIGRATIONS_DIR));

/** Where templates live: CARTOGRAPH_CACHE_DIR, else node_modules/.cache/cartograph of the project. */
export function templateCacheDir(): string {
  return process.env.CARTOGRAPH_CACHE_DIR || path.join(PROJECT_ROOT, "node_modules", ".cache", "cartograph");
}

function templateDir(cacheDir: string): string {
  return path.join(cacheDir, "pglite-template");
}

/** The installed PGlite's version, from its package.json (which its `exports` do not expose). */
async function pgliteVersion(): Promise<string> {
  let dir = path.dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
  for (;;) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(await readFile(file, "utf8"));
      if (pkg.name === "@electric-sql/pglite") return pkg.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("@electric-sql/pglite's package.json not found");
    dir = parent;
  }
}

/** The manifest a template must have to be used by this build. */
export async function expectedManifest(initdb: string[]): Promise<TemplateManifest> {
  const [pglite, migrations] = await Promise.all([pgliteVersion(), migrationSetChecksum()]);
  return { format: FORMAT, pglite, initdb, migrations };
}

export type TemplateOutcome = { used: true } | { used: false; reason: string };

/**
 * Creates `dataDir` (a PGlite directory that does not exist yet) as a copy of the cached template when it
 * matches `expected`. Copied beside it and renamed into place, so a start that dies halfway leaves no
 * half-copied directory for the next one to open.
 */
export async function copyTemplate(
  dataDir: string,
  expected: TemplateManifest,
  cacheDir = templateCacheDir(),
): Promise<TemplateOutcome> {
  const source = templateDir(cacheDir);
  let manifest: TemplateManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(source, "manifest.json"), "utf8"));
  } catch {
    return { used: false, reason: `no template in ${cacheDir}` };
  }
  const differs = (Object.keys(expected) as (keyof TemplateManifest)[]).filter(
    (key) => JSON.stringify(manifest[key]) !== JSON.stringify(expected[key]),
  );
  if (differs.length) return { used: false, reason: `stale template (${differs.join(", ")} differ)` };
  const staging = `${dataDir}.template-${process.pid}`;
  try {
    await rm(staging, { recursive: true, force: true }); // left by a start that died copying, with our pid
    await copyTree(path.join(source, "pgdata"), staging);
    await rename(staging, dataDir);
    return { used: true };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    return { used: false, reason: `template not copied: ${(error as Error).message}` };
  }
}

/**
 * Copies a directory of directories and files (a Postgres data directory has nothing else), every file
 * of a folder at once: about half the CPU and time of `fs.cp`, which copies one file after another.
 */
async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to);
  const items = await readdir(from, { withFileTypes: true });
  await Promise.all(
    items.map((item) =>
      item.isDirectory()
        ? copyTree(path.join(from, item.name), path.join(to, item.name))
        : copyFile(path.join(from, item.name), path.join(to, item.name)),
    ),
  );
}

/**
 * Builds the template with `build` (which creates and migrates a PGlite directory at the path it is given)
 * unless the cache already holds one matching `expected`. Built beside the cached one and swapped in.
 */
export async function writeTemplate(
  expected: TemplateManifest,
  build: (pgdata: string) => Promise<void>,
  cacheDir = templateCacheDir(),
): Promise<"current" | "created"> {
  const target = templateDir(cacheDir);
  try {
    const manifest = await readFile(path.join(target, "manifest.json"), "utf8");
    if (JSON.stringify(JSON.parse(manifest)) === JSON.stringify(expected)) return "current";
  } catch {
    // none yet
  }
  const staging = `${target}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    await build(path.join(staging, "pgdata"));
    await writeFile(path.join(staging, "manifest.json"), `${JSON.stringify(expected, null, 2)}\n`);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return "created";
}
