/**
 * Closed-loop HTTP load generator, run as a child process of bench/run.ts (see there for why).
 *
 * Each of `concurrency` workers sends one request, waits for the whole response, and sends the next,
 * until the deadline. The first `warmupMs` are not recorded (JIT, connection set-up, caches); the
 * next `durationMs` are. Requests still in flight at the deadline are awaited (bounded by the request
 * timeout) but not counted, so the loop always ends by itself.
 *
 * `undici` is not installed as a package here, and Node's global fetch costs noticeably more CPU per
 * request than node:http, CPU this 2-core machine would take away from the servers under test; so the
 * client is node:http with a keep-alive agent holding exactly one socket per worker.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import type { LoadJob, LoadReply, LoadResult, LoadTarget } from "./protocol.js";

const MAX_ERROR_SAMPLES = 5;

interface Outcome {
  status: number;
  bytes: number;
  /** The body's first bytes, at least as many as the expected prefix has. */
  head: string;
}

function send(agent: http.Agent, target: LoadTarget, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      target.url,
      { method: target.method, headers: target.headers, agent, timeout: timeoutMs },
      (response) => {
        let bytes = 0;
        let head = "";
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (head.length < target.expectedPrefix.length)
            head += chunk.toString("latin1", 0, target.expectedPrefix.length);
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, bytes, head }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(target.body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const { target, concurrency, warmupMs, durationMs, requestTimeoutMs } = job;
  const url = new URL(target.url);
  if (url.protocol !== "http:" || url.hostname !== "127.0.0.1") {
    throw new Error(`refusing to load ${target.url}: the benchmark only targets http://127.0.0.1`);
  }

  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const windowStart = start + warmupMs;
  const deadline = windowStart + durationMs;
  const latencies: number[] = [];
  let minBytes = Number.POSITIVE_INFINITY;
  let maxBytes = 0;
  let errors = 0;
  let answered = 0;
  const errorSamples: string[] = [];
  const fail = (finishedAt: number, message: string) => {
    if (finishedAt < windowStart || finishedAt > deadline) return;
    errors++;
    if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(message);
  };

  const worker = async () => {
    while (performance.now() < deadline) {
      const sentAt = performance.now();
      try {
        const { status, bytes, head } = await send(agent, target, requestTimeoutMs);
        const finishedAt = performance.now();
        answered++;
        if (status !== 200) fail(finishedAt, `HTTP ${status}`);
        else if (!head.startsWith(target.expectedPrefix)) fail(finishedAt, `body starts with ${JSON.stringify(head)}`);
        // Completed inside the window: counts for throughput and latency.
        else if (finishedAt >= windowStart && finishedAt <= deadline) {
          latencies.push(finishedAt - sentAt);
          minBytes = Math.min(minBytes, bytes);
          maxBytes = Math.max(maxBytes, bytes);
        }
      } catch (error) {
        fail(performance.now(), error instanceof Error ? error.message : String(error));
        await sleep(10); // a refused connection fails instantly: do not spin
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }

  const cpu = process.cpuUsage(cpuBefore);
  const sorted = Float64Array.from(latencies).sort();
  const seconds = durationMs / 1000;
  return {
    type: "result",
    name: target.name,
    requests: sorted.length,
    answered,
    seconds,
    rps: sorted.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    minBytes: sorted.length ? minBytes : Number.NaN,
    maxBytes: sorted.length ? maxBytes : Number.NaN,
    errors,
    errorSamples,
    clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, answered),
  };
}

// Child-process entry point: one job per message, one reply each; exits when the parent disconnects.
if (process.send) {
  process.on("message", (message: LoadJob) => {
    if (message?.type !== "run") return;
    runLoad(message).then(
      (result) => process.send!(result satisfies LoadReply),
      (error: unknown) =>
        process.send!({
          type: "failure",
          message: error instanceof Error ? error.message : String(error),
        } satisfies LoadReply),
    );
  });
  process.on("disconnect", () => process.exit(0));
}
