/**
 * `npm run bench`: throughput and latency of the catalog list through
 *   1. baseline    raw node:http + pg, one json_agg SQL statement (bench/baseline.ts)
 *   2. graphql     POST /graphql, minimal selection (id slug title, variant id sku)
 *   3. graphql-rs  POST /graphql with exactly the selection and variables the REST route runs
 *   4. rest        GET /api/catalog/entities?limit=20&include=variants
 * and prints ratios against the baseline measured in the same run. Informational: it exits 0 whenever
 * the run completes, whether or not the targets are met; non-zero only when it could not measure
 * (setup failure, or responses that are not equivalent).
 *
 * Process layout: the servers (Cartograph and the baseline) run in this process, the load generator
 * in a child process (bench/load.ts, forked through tsx). On a 2-core machine an in-process client
 * would share the event loop with the server under test, and its own request/response work would
 * be counted as server latency; in a child it competes only for CPU, like a real client on the same
 * host. Only one server is under load at a time.
 */
import "./production-env.js"; // first: sets NODE_ENV before the app's modules load
import type { ChildProcess } from "node:child_process";
import os from "node:os";
import { isDeepStrictEqual } from "node:util";
import { type App, buildApp } from "../src/app.js";
import type { Database } from "../src/infra/db.js";
import { catalogRoutes } from "../src/rest/dialects/main/catalog.js";
import { fragments } from "../src/rest/dialects/main/fragments.js";
import { withFragments } from "../src/rest/executor.js";
import { type BaselineServer, startBaseline } from "./baseline.js";
import {
  cleanups as cleanupSteps,
  DATABASE_URL,
  forkTsx,
  openBenchSchema,
  positiveNumber,
  printableDatabaseUrl,
  productionConfig,
  stopChild,
} from "./harness.js";
import type { LoadJob, LoadReply, LoadResult, LoadTarget } from "./protocol.js";
import { PRODUCT_COUNT, seedCatalog } from "./seed.js";

// ---- settings -----------------------------------------------------------------------------------

const CONCURRENCY = positiveNumber("BENCH_CONCURRENCY", 16, true);
const SECONDS = positiveNumber("BENCH_SECONDS", 5, false);
/** Rounds over all targets, alternating their order; the table shows each target's median round. */
const ROUNDS = positiveNumber("BENCH_ROUNDS", 1, true);
const WARMUP_MS = 1000;
const REQUEST_TIMEOUT_MS = 10_000;
/** The app's pg pool size (src/infra/db.ts, openPostgres); the baseline gets the same. */
const POOL_SIZE = 20;
const SCHEMA = `bench_${process.pid}`;

const TARGETS = { graphqlVsBaseline: 0.5, restVsGraphql: 0.9, cachedGraphqlVsBaseline: 2 };

// ---- the operations -----------------------------------------------------------------------------

const MINIMAL_QUERY = `{ catalogEntities(first: ${PRODUCT_COUNT}) { edges { node { id slug attributes(locale: "en") { title } variants { id sku } } } } }`;

/**
 * The REST list route's own document (EntityFields with VariantFields and OptionTypeFields, plus
 * totalCount) and the variables it derives from `include=variants`, so that graphql-rs and rest do
 * identical GraphQL work and their ratio measures the REST layer alone.
 */
function restSelection(): { query: string; variables: Record<string, unknown> } {
  const spec = catalogRoutes.find((r) => r.method === "GET" && r.path === "/catalog/entities");
  if (!spec) throw new Error("GET /catalog/entities is not among the catalog routes");
  const variables = {
    ...spec.variables?.({
      params: {},
      query: { include: "variants" },
      body: {},
      rawBody: "",
      headers: new Headers(),
      url: "http://127.0.0.1/api/catalog/entities",
    }),
    first: PRODUCT_COUNT,
  };
  return { query: withFragments(spec.operation, fragments), variables };
}

interface Target extends Omit<LoadTarget, "expectedPrefix"> {
  label: string;
  /** SQL statements per request; measured with the app's Prisma statement counter. */
  statements?: number;
}

function graphqlTarget(
  name: string,
  label: string,
  appUrl: string,
  query: string,
  variables?: Record<string, unknown>,
): Target {
  return {
    name,
    label,
    url: `${appUrl}/graphql`,
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  };
}

// ---- verification -------------------------------------------------------------------------------

interface EntityNode {
  id: string;
  variants: { sku: string }[];
}

class VerificationError extends Error {}

/** How many leading bytes of a verified body the load generator expects every response to start with. */
const PREFIX_LENGTH = 8;

async function fetchJson(target: Target): Promise<{ json: any; prefix: string }> {
  const response = await fetch(target.url, { method: target.method, headers: target.headers, body: target.body });
  const text = await response.text();
  if (response.status !== 200) {
    throw new VerificationError(`${target.name} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
  }
  const json = JSON.parse(text);
  if (json.errors)
    throw new VerificationError(`${target.name} answered errors: ${JSON.stringify(json.errors).slice(0, 500)}`);
  return { json, prefix: text.slice(0, PREFIX_LENGTH) };
}

/** JSON path and values of the first difference between two parsed JSON documents, if any. */
function firstDifference(a: unknown, b: unknown, path = "$"): string | undefined {
  if (
    typeof a === "object" &&
    a !== null &&
    typeof b === "object" &&
    b !== null &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
      if (found) return found;
    }
    return undefined;
  }
  return isDeepStrictEqual(a, b) ? undefined : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

/** "id: SKU,SKU,SKU" per product, in order: what the brief requires to be identical. */
function outline(nodes: EntityNode[] | undefined): string[] {
  return (nodes ?? []).map((n) => `${n.id}: ${(n.variants ?? []).map((v) => v.sku).join(",")}`);
}

function sameOutline(a: { name: string; nodes: EntityNode[] }, b: { name: string; nodes: EntityNode[] }) {
  const [left, right] = [outline(a.nodes), outline(b.nodes)];
  if (isDeepStrictEqual(left, right)) return;
  const at = left.findIndex((line, i) => line !== right[i]);
  throw new VerificationError(
    `${a.name} and ${b.name} disagree on products/variants (first difference at #${at < 0 ? left.length : at}):\n` +
      `  ${a.name}: ${left.length} products\n    ${left.slice(Math.max(at, 0), Math.max(at, 0) + 3).join("\n    ")}\n` +
      `  ${b.name}: ${right.length} products\n    ${right.slice(Math.max(at, 0), Math.max(at, 0) + 3).join("\n    ")}`,
  );
}

/**
 * Checks the responses are equivalent before anything is measured, and returns how each target's
 * successful response starts (the load generator counts any other start as an error).
 */
async function verify(
  db: Database,
  targets: Record<"baseline" | "graphql" | "graphqlRest" | "rest" | "graphqlCached" | "restCached", Target>,
) {
  const measure = async (target: Target) => {
    const before = db.statementCount();
    const result = await fetchJson(target);
    if (target !== targets.baseline) target.statements = db.statementCount() - before;
    return result;
  };
  const baseline = await measure(targets.baseline);
  const graphql = await measure(targets.graphql);
  const graphqlRest = await measure(targets.graphqlRest);
  const rest = await measure(targets.rest);
  targets.baseline.statements = 1;
  // The app with the response cache: the same answers (the first request fills the cache, the second is
  // answered from it, which is what its statement count shows).
  await fetchJson(targets.graphqlCached);
  await fetchJson(targets.restCached);
  const graphqlCached = await measure(targets.graphqlCached);
  const restCached = await measure(targets.restCached);
  for (const [name, cached, uncached] of [
    ["graphql-cached", graphqlCached, graphql],
    ["rest-cached", restCached, rest],
  ] as const) {
    const difference = firstDifference(cached.json, uncached.json);
    if (difference) throw new VerificationError(`${name} differs from the uncached answer at ${difference}`);
  }

  const nodes = {
    baseline: (baseline.json.data?.catalogEntities?.edges ?? []).map(
      (e: { node: EntityNode }) => e.node,
    ) as EntityNode[],
    graphql: (graphql.json.data?.catalogEntities?.edges ?? []).map((e: { node: EntityNode }) => e.node) as EntityNode[],
    graphqlRest: (graphqlRest.json.data?.catalogEntities?.edges ?? []).map(
      (e: { node: EntityNode }) => e.node,
    ) as EntityNode[],
    rest: (rest.json.data ?? []) as EntityNode[],
  };
  if (nodes.baseline.length !== PRODUCT_COUNT || nodes.baseline.some((n) => n.variants.length !== 3)) {
    throw new VerificationError(
      `baseline returned ${nodes.baseline.length} products, expected ${PRODUCT_COUNT} with 3 variants each`,
    );
  }
  sameOutline({ name: "baseline", nodes: nodes.baseline }, { name: "graphql", nodes: nodes.graphql });
  sameOutline({ name: "baseline", nodes: nodes.baseline }, { name: "rest", nodes: nodes.rest });
  // Stricter than the outline: the baseline claims to produce the very same `data`. (GraphQL's
  // `extensions`, e.g. the measured query cost, are response metadata the baseline has no reason to fake.)
  const bodyDifference = firstDifference(baseline.json.data, graphql.json.data, "$.data");
  if (bodyDifference) {
    throw new VerificationError(`baseline and graphql bodies differ although ids and skus agree, at ${bodyDifference}`);
  }
  // Identical work: the REST payload must be the GraphQL one, reshaped into the envelope.
  const restDifference = firstDifference(nodes.rest, nodes.graphqlRest);
  if (restDifference) {
    throw new VerificationError(`rest data differs from graphql with the REST selection, at ${restDifference}`);
  }
  if (rest.json.meta?.pagination?.total !== graphqlRest.json.data.catalogEntities.totalCount) {
    throw new VerificationError(`rest total ${rest.json.meta?.pagination?.total} differs from graphql totalCount`);
  }
  return {
    baseline: baseline.prefix,
    graphql: graphql.prefix,
    graphqlRest: graphqlRest.prefix,
    rest: rest.prefix,
    graphqlCached: graphqlCached.prefix,
    restCached: restCached.prefix,
  };
}

// ---- the load generator child -------------------------------------------------------------------

function startLoadChild(): ChildProcess {
  // Structured clone, not JSON, on the IPC channel: keeps NaN (percentiles of an empty sample) as NaN.
  return forkTsx(new URL("./load.ts", import.meta.url));
}

function runInChild(child: ChildProcess, job: LoadJob): Promise<LoadResult> {
  // Generous bound: the child's own loop ends at warm-up + duration + one request timeout.
  const limitMs = job.warmupMs + job.durationMs + job.requestTimeoutMs + 15_000;
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    const onMessage = (reply: LoadReply) => {
      done();
      if (reply.type === "result") resolve(reply);
      else reject(new Error(`load generator failed on ${job.target.name}: ${reply.message}`));
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`load generator exited (code ${code}) during ${job.target.name}`));
    };
    const timer = setTimeout(() => {
      done();
      child.kill();
      reject(new Error(`load generator gave no result for ${job.target.name} within ${limitMs} ms`));
    }, limitMs);
    child.on("message", onMessage);
    child.on("exit", onExit);
    child.send(job);
  });
}

/** A load result with the server process's CPU time per answered request. */
interface MeasuredResult extends LoadResult {
  cpuMsPerRequest?: number;
}

// ---- output -------------------------------------------------------------------------------------

function printTable(rows: { target: Target; result: MeasuredResult }[]) {
  const header = [
    "target",
    "req/s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "errors",
    "bytes/resp",
    "SQL/req",
    "CPU ms/req",
    "client CPU",
  ];
  const lines = rows.map(({ target, result }) => [
    target.label,
    result.rps.toFixed(0),
    result.p50Ms.toFixed(2),
    result.p99Ms.toFixed(2),
    result.maxMs.toFixed(2),
    String(result.errors),
    result.minBytes === result.maxBytes ? String(result.minBytes) : `${result.minBytes}-${result.maxBytes}`,
    target.statements === undefined ? "?" : String(target.statements),
    result.cpuMsPerRequest === undefined ? "?" : result.cpuMsPerRequest.toFixed(2),
    result.clientCpuMsPerRequest.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(format(line));
  for (const { target, result } of rows) {
    if (result.errors) console.log(`  ${target.name}: ${result.errors} errors, e.g. ${result.errorSamples.join("; ")}`);
  }
}

/** The round with the median req/s (its own latencies), with the errors of every round. */
function median(results: MeasuredResult[]): MeasuredResult {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return {
    ...middle,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    errorSamples: results.flatMap((r) => r.errorSamples).slice(0, 5),
  };
}

function ratioLine(label: string, value: number, target: number): string {
  const met = value >= target ? "MET" : "NOT MET";
  return `${label.padEnd(40)} ${value.toFixed(2)}x   (target >= ${target}x: ${met})`;
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<number> {
  // Idempotent, reverse order, every step attempted, also on Ctrl-C: no schema is left behind.
  const cleanup = cleanupSteps();

  try {
    console.log(
      `Cartograph bench: node ${process.version}, ${os.cpus().length} CPUs, concurrency ${CONCURRENCY}, ` +
        `${SECONDS}s per target after ${WARMUP_MS / 1000}s warm-up`,
    );
    console.log(`database ${printableDatabaseUrl(DATABASE_URL)}, schema ${SCHEMA}\n`);

    const db = await openBenchSchema(cleanup, DATABASE_URL, SCHEMA);
    // Two instances of the app on the same database: the response cache off (what the targets measure
    // unless named -cached) and on (its default).
    const app: App = await buildApp(productionConfig(DATABASE_URL, { RESPONSE_CACHE: "off" }), { db });
    cleanup.defer(() => app.stop());
    const cachedApp: App = await buildApp(productionConfig(DATABASE_URL), { db });
    cleanup.defer(() => cachedApp.stop());
    const seeded = await seedCatalog(db.prisma, app.defaultStoreId);
    const { url: appUrl } = await app.start();
    const { url: cachedUrl } = await cachedApp.start();

    const baseline: BaselineServer = await startBaseline({
      databaseUrl: DATABASE_URL,
      schema: SCHEMA,
      storeId: app.defaultStoreId,
      poolSize: POOL_SIZE,
    });
    cleanup.defer(() => baseline.stop());
    console.log(
      `seeded ${seeded.products} products, ${seeded.variants} variants; app ${appUrl}, baseline ${baseline.url}`,
    );

    const rs = restSelection();
    const targets = {
      baseline: {
        name: "baseline",
        label: "baseline (node:http + pg, 1 SQL)",
        url: baseline.url,
        method: "GET",
        headers: {},
      },
      graphql: graphqlTarget("graphql", "graphql (minimal selection)", appUrl, MINIMAL_QUERY),
      graphqlRest: graphqlTarget("graphql-rs", "graphql (REST route's selection)", appUrl, rs.query, rs.variables),
      rest: {
        name: "rest",
        label: "rest GET /api/catalog/entities",
        url: `${appUrl}/api/catalog/entities?limit=${PRODUCT_COUNT}&include=variants`,
        method: "GET",
        headers: { accept: "application/json" },
      },
      graphqlCached: graphqlTarget("graphql-cached", "graphql (minimal), response cache on", cachedUrl, MINIMAL_QUERY),
      restCached: {
        name: "rest-cached",
        label: "rest, response cache on",
        url: `${cachedUrl}/api/catalog/entities?limit=${PRODUCT_COUNT}&include=variants`,
        method: "GET",
        headers: { accept: "application/json" },
      },
    } satisfies Record<string, Target>;

    let prefixes: Awaited<ReturnType<typeof verify>>;
    try {
      prefixes = await verify(db, targets);
    } catch (error) {
      if (!(error instanceof VerificationError)) throw error;
      console.error(`\nERROR: response verification failed, nothing measured.\n${error.message}`);
      return 1;
    }
    console.log("verified: baseline data == graphql data, rest data == graphql data with the REST selection\n");

    const child = startLoadChild();
    cleanup.defer(() => stopChild(child));

    const allTargets = ["baseline", "graphql", "graphqlRest", "rest", "graphqlCached", "restCached"] as const;
    // BENCH_ONLY=graphql,baseline measures just those (by key or target name), e.g. under a profiler.
    const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim());
    const order = allTargets.filter((key) => !only || only.includes(key) || only.includes(targets[key].name));
    const rounds = Object.fromEntries(allTargets.map((key) => [key, [] as MeasuredResult[]])) as Record<
      (typeof allTargets)[number],
      MeasuredResult[]
    >;
    for (let round = 0; round < ROUNDS; round++) {
      // Every other round runs in reverse order, so a steady drift in the machine's speed (other
      // load, thermal) does not always favour the same targets.
      const keys = round % 2 ? [...order].reverse() : order;
      process.stdout.write(ROUNDS > 1 ? `round ${round + 1}/${ROUNDS}:` : "measuring:");
      for (const key of keys) {
        const target: Target = targets[key];
        const { label: _label, statements: _statements, ...load } = target;
        const cpuBefore = process.cpuUsage();
        const result: MeasuredResult = await runInChild(child, {
          type: "run",
          target: { ...load, expectedPrefix: prefixes[key] },
          concurrency: CONCURRENCY,
          warmupMs: WARMUP_MS,
          durationMs: SECONDS * 1000,
          requestTimeoutMs: REQUEST_TIMEOUT_MS,
        });
        // This process runs the servers only (the load is in the child): its CPU time per answered request
        // is the server's cost, which a busy machine inflates far less than it deflates req/s.
        const cpu = process.cpuUsage(cpuBefore);
        result.cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / Math.max(1, result.answered);
        rounds[key].push(result);
        process.stdout.write(` ${result.name} ${result.rps.toFixed(0)} req/s;`);
      }
      console.log();
    }
    const rows = order.map((key) => ({ target: targets[key] satisfies Target, result: median(rounds[key]) }));

    console.log(ROUNDS > 1 ? `\nmedian of ${ROUNDS} rounds per target:` : "");
    printTable(rows);
    const rps = Object.fromEntries(rows.map((r) => [r.target.name, r.result.rps]));
    console.log();
    if (only) return 0; // ratios need every target
    console.log(ratioLine("graphql / baseline", rps.graphql! / rps.baseline!, TARGETS.graphqlVsBaseline));
    console.log(ratioLine("rest / graphql (same selection)", rps.rest! / rps["graphql-rs"]!, TARGETS.restVsGraphql));
    console.log(`${"rest / graphql (minimal, informational)".padEnd(40)} ${(rps.rest! / rps.graphql!).toFixed(2)}x`);
    console.log(
      ratioLine("graphql cached / baseline", rps["graphql-cached"]! / rps.baseline!, TARGETS.cachedGraphqlVsBaseline),
    );
    console.log(
      `${"rest cached / baseline (informational)".padEnd(40)} ${(rps["rest-cached"]! / rps.baseline!).toFixed(2)}x`,
    );
    console.log(
      "\nNotes: the REST route returns more than the minimal query (type, status, metadata, timestamps, variant\n" +
        "option values, option types, totalCount), so it is compared with GraphQL running the very same\n" +
        "selection (graphql-rs). On a small or shared machine the figures move between runs; BENCH_ROUNDS=3\n" +
        "reports each target's median round.",
    );
    if (rows.some((r) => r.result.errors)) console.log("WARNING: some requests failed; see the errors column.");
    return 0;
  } finally {
    await cleanup.run();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error("bench failed:", error);
    process.exitCode = 1;
  },
);
