/**
 * `npm run bench:startup`: how long `npm start` (`node scripts/start.mjs`) takes from spawn to its
 * `listening` log line, in these situations, BENCH_ROUNDS times each (default 3):
 *   first       the first `npm start` after `npm install`: no dist/ and no template, then what postinstall
 *               runs (scripts/prepare-embedded.mjs: bundle + embedded template; timed apart, `installMs`),
 *               then a start on a fresh DATA_DIR
 *   first-bare  no dist/, no template, a fresh DATA_DIR: a first start when postinstall did not run
 *               (`--ignore-scripts`) or failed (bundle, PGlite initdb, every migration)
 *   fresh-db    dist/ and template current, a fresh DATA_DIR (first start of another data directory)
 *   existing    dist/ current, the DATA_DIR of the previous run (every later start)
 * Templates go to a temp CARTOGRAPH_CACHE_DIR, not the project's node_modules/.cache.
 * Target (issue 14): existing < 2 s, first < 10 s. Prints wall time, the phases of the `listening` line,
 * the process's CPU time at that moment (cpuMs, Linux /proc; comparable across runs when the machine is
 * shared and busy) and the load average around each run. `first` deletes dist/ (npm start
 * rebuilds it); BENCH_STARTUP_MODES=existing,fresh-db picks modes. Data directories live under a temp
 * folder removed at the end. BENCH_STARTUP_ROOT starts another copy of the project (a snapshot of a
 * tree other people are editing). Informational: exits 0 when it measured, whatever the figures.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The project to start; another checkout (a snapshot of the tree) with BENCH_STARTUP_ROOT. */
const ROOT = path.resolve(process.env.BENCH_STARTUP_ROOT ?? fileURLToPath(new URL("..", import.meta.url)));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MODES = (process.env.BENCH_STARTUP_MODES ?? "first,first-bare,fresh-db,existing").split(",") as Mode[];
type Mode = "first" | "first-bare" | "fresh-db" | "existing";
/** A ceiling per start, not a target: a start on a busy shared machine can take minutes. */
const TIMEOUT_MS = Number(process.env.BENCH_STARTUP_TIMEOUT_MS ?? 600_000);

interface Run {
  mode: Mode;
  round: number;
  wallMs: number;
  startup: Record<string, number>;
  load: number;
}

/** Spawns `node scripts/start.mjs` on dataDir, waits for `listening`, stops it (SIGTERM) and waits for the exit. */
async function startOnce(dataDir: string): Promise<{ wallMs: number; startup: Record<string, number> }> {
  const { DATABASE_URL: _url, REDIS_URL: _redis, ...inherited } = process.env;
  const began = performance.now();
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: ROOT,
    env: {
      ...inherited,
      CARTOGRAPH_CACHE_DIR: cacheDir,
      DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
      ADMIN_API_KEY: "startup-bench-admin-key-0123456789abcdef",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const lines: string[] = [];
  const result = await new Promise<{ wallMs: number; startup: Record<string, number> }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no "listening" within ${TIMEOUT_MS} ms:\n${lines.join("\n")}`));
    }, TIMEOUT_MS);
    createInterface({ input: child.stderr! }).on("line", (line) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line);
        if (entry.message !== "listening") return;
        clearTimeout(timer);
        const wallMs = Math.round(performance.now() - began);
        resolve({ wallMs, startup: { ...entry.startup, cpuMs: cpuMs(child.pid!) } });
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${lines.join("\n")}`));
    });
  });
  child.kill("SIGTERM");
  await exited;
  return result;
}

/**
 * CPU time (user + system, every thread) the process has used so far: the figure that stays comparable
 * when other work on the machine stretches the wall time.
 */
function cpuMs(pid: number): number {
  // utime and stime, fields 14 and 15 of proc(5) (11 and 12 after the command name); in USER_HZ ticks,
  // 100 per second on Linux.
  const [utime, stime] = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").pop()!.split(" ").slice(11, 13);
  return (Number(utime) + Number(stime)) * 10;
}

const load = () => Math.round((os.loadavg()[0] ?? 0) * 100) / 100;

/** Whether ROOT prepares a template at install (an older checkout, started for comparison, does not). */
const PREPARES = existsSync(path.join(ROOT, "scripts", "prepare-embedded.mjs"));

/** The templates of this run (set in main). */
let cacheDir = "";

/** What postinstall runs after `prisma generate` (bundle + embedded template): wall and CPU ms. */
async function prepare(): Promise<{ installMs: number; installCpuMs: number }> {
  const began = performance.now();
  const child = spawn(process.execPath, ["scripts/prepare-embedded.mjs"], {
    cwd: ROOT,
    env: { ...process.env, CARTOGRAPH_CACHE_DIR: cacheDir, CARTOGRAPH_SKIP_TEMPLATE: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (chunk) => (out += chunk));
  await new Promise((resolve) => child.once("exit", resolve));
  if (!out.includes("template created") && !out.includes("already current")) throw new Error(`prepare: ${out}`);
  // Its CPU, once exited and waited for: what this process's children used since the mode began.
  return { installMs: Math.round(performance.now() - began), installCpuMs: childrenCpuMs() };
}

/** CPU ms of this process's waited-for children so far (`times` of /proc/self/stat, fields 16 and 17). */
let childrenBefore = 0;
function childrenCpuMs(): number {
  const [cutime, cstime] = readFileSync("/proc/self/stat", "utf8").split(") ").pop()!.split(" ").slice(13, 15);
  const total = (Number(cutime) + Number(cstime)) * 10;
  const delta = total - childrenBefore;
  childrenBefore = total;
  return delta;
}

async function main() {
  const temp = await mkdtemp(path.join(os.tmpdir(), "cg-startup-"));
  cacheDir = path.join(temp, "cache");
  const cleanup = () => rm(temp, { recursive: true, force: true });
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));
  console.log(
    `start-up bench: ${ROUNDS} rounds of ${MODES.join(", ")}; ${os.cpus().length} CPUs, node ${process.version}`,
  );
  const runs: Run[] = [];
  try {
    let existing: string | undefined;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const mode of MODES) {
        let installed: Record<string, number> = {};
        if (mode === "first" || mode === "first-bare") {
          await rm(path.join(ROOT, "dist"), { recursive: true, force: true });
          await rm(cacheDir, { recursive: true, force: true });
          childrenCpuMs();
          if (mode === "first" && PREPARES) installed = await prepare();
        } else if (mode === "fresh-db" && PREPARES && !existsSync(path.join(cacheDir, "pglite-template"))) {
          await prepare();
        }
        let dataDir = path.join(temp, `${mode}-${round}`, "data");
        if (mode === "existing") {
          // Every start after the first on one directory: make it exist (not timed) the first time.
          if (!existing) {
            existing = dataDir;
            await startOnce(existing);
          }
          dataDir = existing;
        }
        const before = load();
        const { wallMs, startup: started } = await startOnce(dataDir);
        const startup = { ...started, ...installed };
        const run = { mode, round, wallMs, startup, load: Math.max(before, load()) };
        runs.push(run);
        console.log(`  ${mode.padEnd(8)} round ${round}: ${wallMs} ms  ${JSON.stringify(startup)}  load ${run.load}`);
      }
    }
  } finally {
    await cleanup();
  }

  const phases = [...new Set(runs.flatMap((r) => Object.keys(r.startup)))];
  const header = ["mode", "round", "wall ms", ...phases, "load 1m"];
  const rows = runs.map((r) => [
    r.mode,
    String(r.round),
    String(r.wallMs),
    ...phases.map((p) => String(r.startup[p] ?? "")),
    String(r.load),
  ]);
  const median = (values: number[]) => String([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
  for (const mode of MODES) {
    const of = runs.filter((r) => r.mode === mode);
    if (!of.length) continue;
    const phaseMedians = phases.map((p) => median(of.map((r) => r.startup[p] ?? 0)));
    rows.push([mode, "median", median(of.map((r) => r.wallMs)), ...phaseMedians, median(of.map((r) => r.load))]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
  console.log("\ntargets: existing < 2000 ms, first < 10000 ms (wall, spawn to `listening`; installMs apart)");
}

await main();
