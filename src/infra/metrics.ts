import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "./db.js";

/**
 * Process-wide metrics: Node's own (CPU, memory, event loop lag, GC) and what domain code counts without
 * knowing of any app (webhook delivery outcomes). Registered once per process, whatever the number of
 * apps built in it (tests build many).
 */
const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: "cartograph_" });

const webhookDeliveries = new Counter({
  name: "cartograph_webhook_deliveries_total",
  help: "Webhook delivery attempts by outcome: delivered (2xx), failed (another answer or none; the job queue retries it), gone (410, endpoint disabled), cancelled (endpoint inactive)",
  labelNames: ["outcome"] as const,
  registers: [processRegistry],
});

/** Counts one webhook delivery attempt (wired to the delivery code's outcome hook by http/metrics.ts). */
export function countWebhookDelivery(outcome: string) {
  webhookDeliveries.inc({ outcome });
}

/** Latency buckets in seconds: from a cached read to a slow checkout. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Client-chosen GraphQL operation names become labels: past this many distinct ones, the rest are "other". */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export interface MetricSources {
  db: Database;
  /** Open graphql-ws connections and the subscriptions running on them. */
  webSockets: () => { connections: number; subscriptions: number };
  /** Job runs of the in-process worker are counted by it; the job table is read at each scrape. */
}

export interface HttpObservation {
  method: string;
  /** A route pattern (`/api/catalog/entities/:id`), never a raw path. */
  route: string;
  /** The GraphQL operation name, for requests to /graphql. */
  operation?: string;
  status: number;
  seconds: number;
}

export type JobRunOutcome = "completed" | "retried" | "failed";

/** One app's metrics: its HTTP traffic, its sockets, its database and job table, plus the process-wide ones. */
export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private readonly requests: Counter<"method" | "route" | "operation" | "status">;
  private readonly latency: Histogram<"method" | "route" | "operation" | "status">;
  private readonly jobRuns: Counter<"outcome">;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    const labelNames = ["method", "route", "operation", "status"] as const;
    this.requests = new Counter({
      name: "cartograph_http_requests_total",
      help: "HTTP requests by route pattern (or GraphQL operation) and status",
      labelNames,
      registers,
    });
    this.latency = new Histogram({
      name: "cartograph_http_request_duration_seconds",
      help: "HTTP request latency by route pattern (or GraphQL operation) and status",
      labelNames,
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.jobRuns = new Counter({
      name: "cartograph_job_runs_total",
      help: "Jobs run by this process's worker, by outcome (retried: failed and scheduled again; failed: out of attempts)",
      labelNames: ["outcome"] as const,
      registers,
    });
    new Gauge({
      name: "cartograph_graphql_ws_connections",
      help: "Open graphql-ws connections",
      registers,
      collect() {
        this.set(sources.webSockets().connections);
      },
    });
    new Gauge({
      name: "cartograph_graphql_ws_subscriptions",
      help: "Subscriptions running over graphql-ws",
      registers,
      collect() {
        this.set(sources.webSockets().subscriptions);
      },
    });
    new Gauge({
      name: "cartograph_jobs",
      help: "Jobs in the job table by queue and state: due (pending, runAt passed: the queue depth), scheduled (pending, later), running, failed (out of attempts)",
      labelNames: ["queue", "state"] as const,
      registers,
      async collect() {
        this.reset();
        const rows = await sources.db.sql.query<{
          queue: string;
          due: number;
          scheduled: number;
          running: number;
          failed: number;
        }>(
          `SELECT queue,
                  count(*) FILTER (WHERE status = 'pending' AND "runAt" <= now())::int AS due,
                  count(*) FILTER (WHERE status = 'pending' AND "runAt" > now())::int AS scheduled,
                  count(*) FILTER (WHERE status = 'running')::int AS running,
                  count(*) FILTER (WHERE status = 'failed')::int AS failed
             FROM job WHERE status <> 'completed' GROUP BY queue`,
        );
        for (const row of rows) {
          for (const state of ["due", "scheduled", "running", "failed"] as const)
            this.set({ queue: row.queue, state }, Number(row[state]));
        }
      },
    });
    if (sources.db.poolStats) {
      const stats = sources.db.poolStats.bind(sources.db);
      new Gauge({
        name: "cartograph_db_pool_connections",
        help: "PostgreSQL pool: connections open (total), idle, and queries waiting for a connection (waiting)",
        labelNames: ["state"] as const,
        registers,
        collect() {
          const { total, idle, waiting } = stats();
          this.set({ state: "total" }, total);
          this.set({ state: "idle" }, idle);
          this.set({ state: "waiting" }, waiting);
        },
      });
    }
    let counted = 0;
    new Counter({
      name: "cartograph_db_statements_total",
      help: "SQL statements sent by Prisma",
      registers,
      collect() {
        const now = sources.db.statementCount();
        this.inc(Math.max(0, now - counted));
        counted = now;
      },
    });
  }

  observeRequest({ method, route, operation, status, seconds }: HttpObservation) {
    const labels = {
      method,
      route,
      operation: operation === undefined ? "" : this.operationLabel(operation),
      status: String(status),
    };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }

  countJobRuns(summary: Record<JobRunOutcome, number>) {
    for (const outcome of ["completed", "retried", "failed"] as const)
      if (summary[outcome]) this.jobRuns.inc({ outcome }, summary[outcome]);
  }

  /** Bounded cardinality: a well-formed name, among the first MAX_OPERATION_NAMES seen. */
  private operationLabel(name: string): string {
    if (!name) return "anonymous";
    if (!OPERATION_NAME.test(name)) return "other";
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return "other";
    this.operationNames.add(name);
    return name;
  }

  /** The exposition text: this app's metrics and the process's. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const merged = Registry.merge([processRegistry, this.registry]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}
