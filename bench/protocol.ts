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
  /** Requests answered during the whole job, warm-up included (server CPU per request divides by it). */
  answered: number;
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
  /**
   * CPU time of the load generator per answered request: it shares the machine's cores with the servers
   * (and PostgreSQL), so a server cheaper than this cannot be told apart from the client's ceiling.
   */
  clientCpuMsPerRequest: number;
}

export interface LoadFailure {
  type: "failure";
  message: string;
}

export type LoadReply = LoadResult | LoadFailure;

// ---- bench/subscribers.ts (servers) <-> bench/subscriber-clients.ts (the client sockets) -----------
//
// One request, one reply, in order. The child holds N raw `ws` clients of the broadcast baseline and N
// graphql-ws subscriptions; the parent triggers events and asks the child when each client got it.
// Times are epoch milliseconds with sub-millisecond precision (`performance.timeOrigin +
// performance.now()`), comparable between the two processes.

export type SubscriberTarget = "baseline" | "graphql";

export type SubscriberRequest =
  | {
      type: "connect";
      target: SubscriberTarget;
      /** ws://127.0.0.1:<port>/... */
      url: string;
      count: number;
      /** At most this many handshakes in flight at once, so the server is not flooded. */
      inFlight: number;
      /** Per client: open, and for graphql also connection_ack. */
      handshakeTimeoutMs: number;
      /** graphql only: sent as connection_init's payload (`{ apiKey }`). */
      connectionParams?: Record<string, unknown>;
      /** graphql only: the subscription document every client subscribes with. */
      query?: string;
    }
  /** Forget what arrived so far; the next message per client is the one to time. */
  | { type: "arm"; target: SubscriberTarget }
  /**
   * Wait until every client of the target has a message since `arm` (or `timeoutMs` has passed, or,
   * when `quietMs` is set, that long without a new message once one has come), then check each: a
   * `next` message, for graphql with the client's own subscription id, whose `payload.data.<field>.at`
   * equals `tag` (what makes one trigger's message distinct from another's).
   */
  | { type: "collect"; target: SubscriberTarget; field: string; tag: string; timeoutMs: number; quietMs?: number }
  /** Answered with the child's clock, to check both processes' stamps agree (see subscribers.ts). */
  | { type: "clock" }
  | { type: "close" };

export interface SubscriberConnected {
  type: "connected";
  target: SubscriberTarget;
  /** Clients that finished the handshake (for graphql: acknowledged and subscribe sent). */
  connected: number;
  /** From the first connection attempt to the last handshake. */
  ms: number;
  failures: number;
  failureSamples: string[];
}

export interface SubscriberDelivery {
  type: "delivery";
  target: SubscriberTarget;
  /** Per client, when its checked message arrived (epoch ms); NaN when none arrived or it was wrong. */
  receivedAt: Float64Array;
  /** Clients whose first message since `arm` failed the check (not a `next`, not theirs, errors). */
  wrong: number;
  wrongSamples: string[];
  /** Clients whose first message since `arm` is a correct `next`, but of an earlier trigger (another `at`). */
  stale: number;
  /** Messages beyond the first per client since `arm` (there should be none). */
  extra: number;
  /** Clients that have received at least one correct message in any collect so far. */
  confirmed: number;
  /** Clients whose socket is closed, and messages that arrived outside an armed window (e.g. `error`). */
  closed: number;
  strays: number;
  straySamples: string[];
  /** Smallest and largest correct message (bytes), and one of them verbatim. */
  minBytes: number;
  maxBytes: number;
  sample: string | undefined;
}

export type SubscriberReply =
  | SubscriberConnected
  | SubscriberDelivery
  | { type: "armed" }
  | { type: "clock"; at: number }
  | { type: "closed" }
  | { type: "failure"; message: string };
