/**
 * `npm run bench:subscribers`: N graphql-ws subscribers (BENCH_SUBSCRIBERS, default 5000) of one order
 * receive its status change; how long until each has it, against a raw `ws` server broadcasting a
 * message of the same shape and size to N clients, measured in the same run.
 * Design target: graphql p99 <= 2x baseline p99. Informational like bench/run.ts: it exits 0
 * whenever it completes, whether or not the target is met; non-zero only when it could not measure
 * (setup failure, clients that could not connect or subscribe, or wrong messages).
 *
 * Process layout: the servers (Cartograph, and the baseline `ws` server) run in this process; the 2N
 * client sockets in a child process (bench/subscriber-clients.ts, forked through tsx), so reading
 * them does not share the servers' event loop.
 *
 * Timing: latency per client = when the child's message handler ran for that client, minus the
 * trigger, both `performance.timeOrigin + performance.now()` (epoch ms, sub-ms precision, one clock
 * on one machine; a round trip over the IPC channel checks the two processes agree).
 *   baseline  trigger = just before building the message and the `ws` broadcast loop
 *   graphql   trigger = just before `app.fetch(PATCH /api/orders/:id/status {"status":"confirmed"})`,
 *             so the GraphQL side also pays the status change's database transaction (printed too).
 *
 * Repeatable trigger: every subscriber watches one order, `orderStatusChanged(orderId: <id>)`, as in
 * the design target. The lifecycle only moves forward, so before each change the order is put back to
 * `pending` with a plain Prisma update (no event, not timed), and the change is pending -> confirmed
 * through the app: the real REST -> GraphQL -> transaction -> publish path, the same every round.
 *
 * Readiness: graphql-ws does not acknowledge a subscribe, and the server registers the subscription
 * asynchronously (onSubscribe builds a context, then the resolver subscribes to the pub/sub). So the
 * child sends N subscribes, and then warm-up changes are made until every one of the N clients has
 * received one (a client that got an event is subscribed, whatever the server's internals); those
 * warm-ups are not measured. The baseline gets one warm-up broadcast the same way.
 */
import "./production-env.js"; // first: sets NODE_ENV before the app's modules load
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import v8 from "node:v8";
import vm from "node:vm";
import { WebSocket, WebSocketServer } from "ws";
import { type App, buildApp } from "../src/app.js";
import { nextOrderNumber } from "../src/domain/orders/numbers.js";
import { transitionOrder } from "../src/domain/orders/orders.js";
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
import type { SubscriberDelivery, SubscriberReply, SubscriberRequest, SubscriberTarget } from "./protocol.js";

// ---- settings -----------------------------------------------------------------------------------

// A full collection before each memory reading, so a per-subscriber figure is what subscribers keep.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

/** The server process's (this one's) heap and resident memory, after a full collection. */
function serverMemory(): { heap: number; rss: number } {
  collectGarbage();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed, rss };
}

const SUBSCRIBERS = positiveNumber("BENCH_SUBSCRIBERS", 5000, true);
/** Measured rounds; each measures both targets once, in alternating order. */
const ROUNDS = positiveNumber("BENCH_ROUNDS", 3, true);
/** Handshakes in flight at once while connecting. */
const CONNECT_IN_FLIGHT = positiveNumber("BENCH_CONNECT_BATCH", 100, true);
/** Also select `order { status }`: the order is then re-read through Prisma per event (once per group of identical subscriptions). */
const SELECT_ORDER = process.env.BENCH_SELECT_ORDER === "1";
const SCHEMA = `bench_subs_${process.pid}`;
const TARGET_RATIO = 2;

const HANDSHAKE_TIMEOUT_MS = 15_000;
/** How long a measured round waits for every client's message. */
const DELIVERY_TIMEOUT_MS = 15_000;
/**
 * Warm-up changes until every subscription has delivered one. Each waits until all N have it, or
 * READY_QUIET_MS pass without a new delivery (a subscription not yet registered when the change was
 * published never gets that one), or DELIVERY_TIMEOUT_MS.
 */
const READY_ATTEMPTS = 5;
const READY_QUIET_MS = 2_000;
/** Pause between measurements: the previous fan-out's sockets drain, its garbage is collected. */
const SETTLE_MS = 300;
/** Unmeasured status changes, then measured ones, with nobody subscribed (the transaction's cost). */
const TX_WARMUP = 5;
const TX_SAMPLES = 20;

const FIELD = "orderStatusChanged";
const EXTRA_SELECTION = SELECT_ORDER ? " order { status }" : "";

/** Epoch milliseconds with sub-millisecond precision, comparable with the child's. */
const now = () => performance.timeOrigin + performance.now();

// ---- the baseline: a raw `ws` broadcast ----------------------------------------------------------

interface BroadcastServer {
  url: string;
  /** Sends `data` to every open client, as in the `ws` README's broadcast example; returns how many. */
  broadcast(data: string): number;
  stop(): Promise<void>;
}

async function startBroadcastServer(): Promise<BroadcastServer> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(wss, "listening");
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    broadcast(data) {
      let sent = 0;
      for (const client of wss.clients) {
        if (client.readyState === WebSocket.OPEN) {
          client.send(data);
          sent++;
        }
      }
      return sent;
    },
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

// ---- the order ------------------------------------------------------------------------------------

/** One pending order of the default store, inserted directly (as test/helpers/orders.ts does). */
async function insertOrder(app: App) {
  const storeId = app.defaultStoreId;
  return app.db.prisma.$transaction(async (tx) => {
    const entity = await tx.catalogEntity.create({
      data: { storeId, type: "product", slug: `bench-subscribed-${process.pid}`, status: "active" },
    });
    return tx.order.create({
      data: {
        storeId,
        number: await nextOrderNumber(tx, storeId, new Date()),
        status: "pending",
        email: "bench@example.com",
        currency: "USD",
        subtotal: 4200,
        taxTotal: 376,
        shippingTotal: 500,
        grandTotal: 5076,
        lines: {
          create: [
            { entityId: entity.id, title: "Bench Tote", quantity: 1, unitPrice: 4200, subtotal: 4200, total: 4200 },
          ],
        },
      },
    });
  });
}

class SetupError extends Error {}

// ---- the client child -----------------------------------------------------------------------------

type ReplyOf<T extends SubscriberReply["type"]> = Extract<SubscriberReply, { type: T }>;

function ask<T extends SubscriberReply["type"]>(
  child: ChildProcess,
  request: SubscriberRequest,
  expected: T,
  limitMs: number,
): Promise<ReplyOf<T>> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    const onMessage = (reply: SubscriberReply) => {
      done();
      if (reply.type === expected) resolve(reply as ReplyOf<T>);
      else
        reject(
          new SetupError(
            `client process answered ${request.type} with ${reply.type === "failure" ? reply.message : reply.type}`,
          ),
        );
    };
    const onExit = (code: number | null) => {
      done();
      reject(new SetupError(`client process exited (code ${code}) during ${request.type}`));
    };
    const timer = setTimeout(() => {
      done();
      child.kill();
      reject(new SetupError(`client process gave no answer to ${request.type} within ${limitMs} ms`));
    }, limitMs);
    child.on("message", onMessage);
    child.on("exit", onExit);
    child.send(request);
  });
}

// ---- statistics -----------------------------------------------------------------------------------

/** Nearest-rank percentile of an ascending array (missing deliveries sort last as Infinity). */
function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

interface Stats {
  received: number;
  expected: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function stats(latencies: Float64Array, expected: number): Stats {
  const sorted = Float64Array.from(latencies).sort();
  const received = sorted.filter(Number.isFinite).length;
  return {
    received,
    expected,
    min: percentile(sorted, 0),
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: received ? sorted[received - 1]! : Number.NaN,
  };
}

const ms = (value: number) =>
  Number.isFinite(value) ? value.toFixed(1) : value === Number.POSITIVE_INFINITY ? "lost" : "-";

function printTable(rows: { label: string; stats: Stats; bytes: string }[]) {
  const header = ["target", "received", "min ms", "p50 ms", "p90 ms", "p99 ms", "max ms", "bytes/msg"];
  const lines = rows.map(({ label, stats: s, bytes }) => [
    label,
    `${s.received}/${s.expected}`,
    ms(s.min),
    ms(s.p50),
    ms(s.p90),
    ms(s.p99),
    ms(s.max),
    bytes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(format(line));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : Number.NaN;
}

// ---- main -------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const cleanup = cleanupSteps();
  try {
    console.log(
      `Cartograph subscriber bench: node ${process.version}, ${os.cpus().length} CPUs, ${SUBSCRIBERS} subscribers per target, ` +
        `${ROUNDS} round(s), ${CONNECT_IN_FLIGHT} handshakes in flight`,
    );
    console.log(`database ${printableDatabaseUrl(DATABASE_URL)}, schema ${SCHEMA}\n`);

    const db = await openBenchSchema(cleanup, DATABASE_URL, SCHEMA);
    // The bootstrap admin key: authenticating N connections checks a hash, not N database rows.
    const apiKey = `bench-${randomBytes(16).toString("hex")}`;
    const app = await buildApp(productionConfig(DATABASE_URL, { ADMIN_API_KEY: apiKey }), { db });
    cleanup.defer(() => app.stop());
    const { url: appUrl } = await app.start();
    const broadcastServer = await startBroadcastServer();
    cleanup.defer(() => broadcastServer.stop());
    const order = await insertOrder(app);
    console.log(`app ${appUrl}, baseline ${broadcastServer.url}, order ${order.number} (${order.id})`);

    const resetOrder = () => app.db.prisma.order.update({ where: { id: order.id }, data: { status: "pending" } });
    /** The measured GraphQL trigger: the status change through the app. Returns the event's `at`. */
    const changeStatus = async (): Promise<{ at: string; ms: number }> => {
      const began = now();
      const response = await app.fetch(
        new Request(`http://127.0.0.1/api/orders/${order.id}/status`, {
          method: "PATCH",
          headers: { "content-type": "application/json", "x-api-key": apiKey },
          body: JSON.stringify({ status: "confirmed" }),
        }),
      );
      const text = await response.text();
      const finished = now();
      const at =
        response.status === 200 ? (JSON.parse(text) as { data?: { updatedAt?: unknown } }).data?.updatedAt : undefined;
      if (typeof at !== "string")
        throw new SetupError(`PATCH status answered ${response.status}: ${text.slice(0, 300)}`);
      return { at, ms: finished - began };
    };

    // The GraphQL side's fixed cost, with nobody subscribed: the whole PATCH, and its transaction alone.
    const patchMs: number[] = [];
    const transactionMs: number[] = [];
    for (let i = 0; i < TX_WARMUP + TX_SAMPLES; i++) {
      await resetOrder();
      const { ms: took } = await changeStatus();
      if (i >= TX_WARMUP) patchMs.push(took);
    }
    for (let i = 0; i < TX_WARMUP + TX_SAMPLES; i++) {
      await resetOrder();
      const began = now();
      await app.db.prisma.$transaction((tx) =>
        transitionOrder(tx, {
          orderId: order.id,
          storeId: app.defaultStoreId,
          target: "confirmed",
          actor: { kind: "system", id: "bench" },
        }),
      );
      if (i >= TX_WARMUP) transactionMs.push(now() - began);
    }
    console.log(
      `status change with no subscribers (median of ${TX_SAMPLES}): PATCH through the app ${median(patchMs).toFixed(1)} ms, ` +
        `its transaction alone ${median(transactionMs).toFixed(1)} ms`,
    );

    const child = forkTsx(new URL("./subscriber-clients.ts", import.meta.url));
    cleanup.defer(async () => {
      if (child.connected) await ask(child, { type: "close" }, "closed", 10_000).catch(() => {});
      await stopChild(child);
    });

    // One clock? The child's stamp of an IPC round trip must fall inside it (best of a few tries).
    {
      const skews: number[] = [];
      let roundTrip = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 5; i++) {
        const sent = now();
        const { at } = await ask(child, { type: "clock" }, "clock", 30_000);
        const back = now();
        if (back - sent < roundTrip) roundTrip = back - sent;
        // How far outside [sent, back] the child's stamp is (0 when inside).
        skews.push(Math.max(0, sent - at, at - back));
      }
      const skew = Math.min(...skews);
      console.log(
        `clocks: child stamps within the parent's IPC round trip (${roundTrip.toFixed(2)} ms)${skew > 0 ? ` give or take ${skew.toFixed(2)} ms` : ""}`,
      );
      if (skew > 1)
        throw new SetupError(
          `the child's clock is ${skew.toFixed(2)} ms off the parent's: latencies across the processes would be wrong`,
        );
    }

    // ---- connect ----
    const connectMs: Record<SubscriberTarget, number> = { baseline: 0, graphql: 0 };
    const connectLimit = HANDSHAKE_TIMEOUT_MS + SUBSCRIBERS * 20;
    const connectTarget = async (request: Extract<SubscriberRequest, { type: "connect" }>) => {
      const reply = await ask(child, request, "connected", connectLimit);
      if (reply.connected !== SUBSCRIBERS) {
        throw new SetupError(
          `${request.target}: only ${reply.connected}/${SUBSCRIBERS} clients connected (${reply.failures} failed), e.g.\n  ` +
            reply.failureSamples.join("\n  "),
        );
      }
      connectMs[request.target] = reply.ms;
      return reply;
    };
    const query = `subscription { ${FIELD}(orderId: "${order.id}") { type orderId fromStatus toStatus at${EXTRA_SELECTION} } }`;
    const memoryBefore = serverMemory();
    await connectTarget({
      type: "connect",
      target: "baseline",
      url: broadcastServer.url,
      count: SUBSCRIBERS,
      inFlight: CONNECT_IN_FLIGHT,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
    });
    console.log(`baseline: ${SUBSCRIBERS} raw ws clients connected in ${(connectMs.baseline / 1000).toFixed(2)} s`);
    const memoryWithBaseline = serverMemory();
    await connectTarget({
      type: "connect",
      target: "graphql",
      url: `${appUrl.replace(/^http/, "ws")}/graphql`,
      count: SUBSCRIBERS,
      inFlight: CONNECT_IN_FLIGHT,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      connectionParams: { apiKey },
      query,
    });
    const subscribedAt = now();
    const memoryWithGraphql = serverMemory();
    /** Server memory each client adds, in KiB: heap (JS objects) and resident (all of it, sockets included). */
    const perClient = (after: { heap: number; rss: number }, before: { heap: number; rss: number }) =>
      `heap ${((after.heap - before.heap) / SUBSCRIBERS / 1024).toFixed(1)} KiB, ` +
      `resident ${((after.rss - before.rss) / SUBSCRIBERS / 1024).toFixed(1)} KiB`;
    console.log(
      `graphql:  ${SUBSCRIBERS} graphql-ws connections acknowledged and subscribed in ${(connectMs.graphql / 1000).toFixed(2)} s`,
    );

    // ---- one measurement ----
    /** The server process's CPU time per measurement (trigger to last receipt): less moved by other load than latency. */
    const serverCpuMs: Record<SubscriberTarget, number[]> = { baseline: [], graphql: [] };
    const measure = async (
      target: SubscriberTarget,
      trigger: () => Promise<{ at: string; triggeredAt: number }>,
      quietMs?: number,
    ) => {
      await ask(child, { type: "arm", target }, "armed", 10_000);
      const cpuBefore = process.cpuUsage();
      const { at, triggeredAt } = await trigger();
      const timeoutMs = DELIVERY_TIMEOUT_MS;
      const delivery = await ask(
        child,
        { type: "collect", target, field: FIELD, tag: at, timeoutMs, quietMs },
        "delivery",
        timeoutMs + 30_000,
      );
      const { user, system } = process.cpuUsage(cpuBefore);
      serverCpuMs[target].push((user + system) / 1000);
      const latencies = delivery.receivedAt.map((t) => (Number.isNaN(t) ? Number.POSITIVE_INFINITY : t - triggeredAt));
      return { delivery, latencies };
    };
    const check = (delivery: SubscriberDelivery) => {
      if (delivery.wrong) {
        throw new SetupError(
          `${delivery.target}: ${delivery.wrong} wrong message(s), e.g.\n  ${delivery.wrongSamples.join("\n  ")}`,
        );
      }
    };
    let patchUnderFanOut: number[] = [];
    const graphqlTrigger = async () => {
      await resetOrder();
      const triggeredAt = now();
      const { at, ms: took } = await changeStatus();
      patchUnderFanOut.push(took);
      return { at, triggeredAt };
    };
    let template: { id: string; type: string; payload: { data: Record<string, Record<string, unknown>> } } | undefined;
    let broadcastLoopMs: number[] = [];
    const baselineTrigger = async () => {
      const triggeredAt = now();
      // What a hand-written broadcast does: build the message once, send the same bytes to every client.
      const at = new Date().toISOString();
      const data = JSON.stringify({
        ...template!,
        payload: { data: { [FIELD]: { ...template!.payload.data[FIELD], at } } },
      });
      broadcastServer.broadcast(data);
      broadcastLoopMs.push(now() - triggeredAt);
      return { at, triggeredAt };
    };

    // ---- readiness: warm-up changes until every subscription has delivered one ----
    let warmups = 0;
    let cold: ReturnType<typeof stats> | undefined;
    for (;;) {
      warmups++;
      const { delivery, latencies } = await measure("graphql", graphqlTrigger, READY_QUIET_MS);
      check(delivery);
      cold ??= stats(latencies, SUBSCRIBERS);
      template ??= delivery.sample === undefined ? undefined : JSON.parse(delivery.sample);
      if (delivery.confirmed === SUBSCRIBERS) break;
      if (warmups >= READY_ATTEMPTS) {
        throw new SetupError(
          `graphql: only ${delivery.confirmed}/${SUBSCRIBERS} subscriptions delivered an event after ${warmups} changes ` +
            `(${delivery.closed} sockets closed, ${delivery.strays} unexpected messages${delivery.straySamples.length ? `, e.g.\n  ${delivery.straySamples.join("\n  ")}` : ""})`,
        );
      }
      await sleep(SETTLE_MS);
    }
    console.log(
      `graphql:  all ${SUBSCRIBERS} subscriptions confirmed active by warm-up change #${warmups}, ` +
        `${((now() - subscribedAt) / 1000).toFixed(2)} s after the last subscribe; connect to confirmed ${((connectMs.graphql + now() - subscribedAt) / 1000).toFixed(2)} s ` +
        `(first delivery, cold: p50 ${ms(cold!.p50)} ms, p99 ${ms(cold!.p99)} ms)`,
    );
    {
      await sleep(SETTLE_MS);
      const { delivery } = await measure("baseline", baselineTrigger, READY_QUIET_MS);
      check(delivery);
      if (delivery.confirmed !== SUBSCRIBERS)
        throw new SetupError(`baseline: only ${delivery.confirmed}/${SUBSCRIBERS} clients got the warm-up broadcast`);
      console.log(
        `baseline: all ${SUBSCRIBERS} clients received the warm-up broadcast (${delivery.maxBytes} bytes, as the GraphQL message)\n`,
      );
    }
    patchUnderFanOut = [];
    broadcastLoopMs = [];
    serverCpuMs.baseline = [];
    serverCpuMs.graphql = [];

    // ---- measured rounds ----
    const latencies: Record<SubscriberTarget, Float64Array[]> = { baseline: [], graphql: [] };
    const bytes: Record<SubscriberTarget, Set<number>> = { baseline: new Set(), graphql: new Set() };
    const extras: Record<SubscriberTarget, number> = { baseline: 0, graphql: 0 };
    const stale: Record<SubscriberTarget, number> = { baseline: 0, graphql: 0 };
    const roundRatios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order: SubscriberTarget[] = round % 2 ? ["graphql", "baseline"] : ["baseline", "graphql"];
      const p99: Partial<Record<SubscriberTarget, number>> = {};
      process.stdout.write(ROUNDS > 1 ? `round ${round + 1}/${ROUNDS}:` : "measuring:");
      for (const target of order) {
        await sleep(SETTLE_MS);
        const result = await measure(target, target === "graphql" ? graphqlTrigger : baselineTrigger);
        check(result.delivery);
        stale[target] += result.delivery.stale;
        latencies[target].push(result.latencies);
        for (const size of [result.delivery.minBytes, result.delivery.maxBytes])
          if (Number.isFinite(size)) bytes[target].add(size);
        extras[target] += result.delivery.extra;
        const s = stats(result.latencies, SUBSCRIBERS);
        p99[target] = s.p99;
        process.stdout.write(` ${target} p99 ${ms(s.p99)} ms (${s.received}/${s.expected});`);
      }
      roundRatios.push(p99.graphql! / p99.baseline!);
      console.log();
    }

    // ---- report ----
    const pooled = (target: SubscriberTarget) => {
      const all = new Float64Array(latencies[target].reduce((n, a) => n + a.length, 0));
      let offset = 0;
      for (const round of latencies[target]) {
        all.set(round, offset);
        offset += round.length;
      }
      return stats(all, all.length);
    };
    const baselineStats = pooled("baseline");
    const graphqlStats = pooled("graphql");
    const sizes = (target: SubscriberTarget) => [...bytes[target]].sort((a, b) => a - b).join("-") || "-";
    console.log(
      `\nall ${ROUNDS} round(s) pooled (${ROUNDS} x ${SUBSCRIBERS} deliveries per target; latency = receipt - trigger):`,
    );
    printTable([
      { label: "baseline (raw ws broadcast)", stats: baselineStats, bytes: sizes("baseline") },
      { label: `graphql (graphql-ws, ${FIELD})`, stats: graphqlStats, bytes: sizes("graphql") },
    ]);
    const ratio = graphqlStats.p99 / baselineStats.p99;
    console.log();
    console.log(
      `${"graphql p99 / baseline p99".padEnd(30)} ${Number.isFinite(ratio) ? ratio.toFixed(2) : "n/a"}x   ` +
        `(target <= ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? "MET" : "NOT MET"})` +
        (ROUNDS > 1 ? `; per round ${roundRatios.map((r) => `${r.toFixed(2)}x`).join(", ")}` : ""),
    );
    console.log(
      `${"connect N clients".padEnd(30)} baseline ${(connectMs.baseline / 1000).toFixed(2)} s, ` +
        `graphql ${(connectMs.graphql / 1000).toFixed(2)} s (connection_init/ack + subscribe, ${CONNECT_IN_FLIGHT} in flight)`,
    );
    console.log(
      `${"server memory per client".padEnd(30)} baseline ${perClient(memoryWithBaseline, memoryBefore)}; ` +
        `graphql ${perClient(memoryWithGraphql, memoryWithBaseline)} (connection + subscription)`,
    );
    console.log(
      `${"baseline send loop".padEnd(30)} ${median(broadcastLoopMs).toFixed(1)} ms (median) for ${SUBSCRIBERS} ws.send calls in the server; ` +
        `receipt later than that is the client process reading ${SUBSCRIBERS} sockets`,
    );
    console.log(
      `${"server CPU per fan-out".padEnd(30)} baseline ${median(serverCpuMs.baseline).toFixed(1)} ms, ` +
        `graphql ${median(serverCpuMs.graphql).toFixed(1)} ms (medians; user + system time of the server process, trigger to last receipt, the PATCH included)`,
    );
    console.log(
      `${"status change (context)".padEnd(30)} transaction alone ${median(transactionMs).toFixed(1)} ms, ` +
        `PATCH with no subscribers ${median(patchMs).toFixed(1)} ms, PATCH during the fan-out ${median(patchUnderFanOut).toFixed(1)} ms (medians)`,
    );
    console.log(
      "\nNotes: the GraphQL latency includes the status change itself (REST -> GraphQL mutation -> database\n" +
        "transaction -> publish), which the baseline does not have; the transaction's cost is printed above for\n" +
        "context, not subtracted. Both kinds of client run in one child process, so the last client of a fan-out\n" +
        "also waits for the child to read the earlier ones, on both sides alike.",
    );
    const lost = baselineStats.received < baselineStats.expected || graphqlStats.received < graphqlStats.expected;
    if (lost)
      console.log(
        `WARNING: some clients got no message within ${DELIVERY_TIMEOUT_MS / 1000} s (counted as "lost", i.e. infinitely late).`,
      );
    if (stale.baseline || stale.graphql) {
      console.log(
        `WARNING: messages of an earlier round arrived during a later one (baseline ${stale.baseline}, graphql ${stale.graphql}); counted as lost.`,
      );
    }
    if (extras.baseline || extras.graphql)
      console.log(
        `WARNING: more than one message per client in a round (baseline ${extras.baseline}, graphql ${extras.graphql}).`,
      );
    return 0;
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(`\nERROR: could not measure.\n${error.message}`);
    return 1;
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
