/** Messages between bench/run.ts (servers) and bench/load.ts (the load generator child process). */

export interface LoadTarget {
  name: string;
  /** Always an http://127.0.0.1:<port>/... URL; load.ts refuses anything else. */
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /**
   * The first bytes of the verified response (e.g. `{"data":`). An error answer starts otherwise even
   * with status 200: GraphQL puts `errors` before `data`, REST answers `{"error": ...}`. Body sizes
   * are reported, not checked, so response metadata such as GraphQL `extensions` may vary.
   */
  expectedPrefix: string;
}

export interface LoadJob {
  type: "run";
  target: LoadTarget;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Per-request timeout; also bounds how long in-flight requests are awaited after the window. */
  requestTimeoutMs: number;
}

export interface LoadResult {
  type: "result";
  name: string;
  /** Requests completed inside the measurement window (after warm-up). */
  requests: number;
  /** Length of the measurement window. */
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Smallest and largest response body inside the window (bytes). */
  minBytes: number;
  maxBytes: number;
  /** Transport errors, non-200 statuses and bodies not starting with expectedPrefix, inside the window. */
  errors: number;
  errorSamples: string[];
}

export interface LoadFailure {
  type: "failure";
  message: string;
}

export type LoadReply = LoadResult | LoadFailure;
