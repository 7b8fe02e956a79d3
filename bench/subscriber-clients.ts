/**
 * The client side of bench/subscribers.ts, run as its child process (forked through tsx, like
 * bench/load.ts): N raw `ws` clients of the broadcast baseline and N graphql-ws subscriptions, held
 * here so that reading 2N sockets does not share an event loop with the servers under test.
 *
 * Both kinds of client are plain `ws` sockets with the very same receive path: the message handler
 * only stamps the time and keeps the bytes; parsing and checking happen after the round, in
 * `collect`. The graphql-ws side speaks the protocol itself (connection_init -> connection_ack ->
 * subscribe, constants from the graphql-ws package) instead of using graphql-ws's `createClient`,
 * whose per-message parsing and validation would run only on the GraphQL side and count as server
 * latency there.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType } from "graphql-ws";
import WebSocket from "ws";
import type {
  SubscriberConnected,
  SubscriberDelivery,
  SubscriberReply,
  SubscriberRequest,
  SubscriberTarget,
} from "./protocol.js";

const MAX_SAMPLES = 3;
const SAMPLE_CHARS = 300;

/** Epoch milliseconds with sub-millisecond precision, comparable with the parent's. */
const now = () => performance.timeOrigin + performance.now();

interface Client {
  socket: WebSocket;
  /** graphql: the id this client subscribed with. */
  subscriptionId?: string;
  /** The first message since `arm`, and when it arrived. */
  first: Buffer | undefined;
  firstAt: number;
  /** Has received at least one correct message in some collect. */
  confirmed: boolean;
}

class Group {
  clients: Client[] = [];
  armed = false;
  /** Clients with a first message since `arm`, and when the last of them came. */
  arrived = 0;
  lastArrival = Number.NaN;
  extra = 0;
  closed = 0;
  strays = 0;
  straySamples: string[] = [];
  onAllArrived: (() => void) | undefined;

  stray(data: Buffer) {
    this.strays++;
    if (this.straySamples.length < MAX_SAMPLES) this.straySamples.push(data.toString("utf8", 0, SAMPLE_CHARS));
  }
}

const groups: Record<SubscriberTarget, Group> = { baseline: new Group(), graphql: new Group() };

/** The hot path: one call per delivered message. Nothing but a time stamp and a reference. */
function listen(group: Group, client: Client) {
  client.socket.on("message", (data: Buffer) => {
    const at = now();
    if (!group.armed) return group.stray(data);
    if (client.first !== undefined) {
      group.extra++;
      return;
    }
    client.first = data;
    client.firstAt = at;
    group.lastArrival = at;
    if (++group.arrived === group.clients.length) group.onAllArrived?.();
  });
}

function handshake(request: Extract<SubscriberRequest, { type: "connect" }>, group: Group): Promise<Client> {
  return new Promise((resolve, reject) => {
    const graphql = request.target === "graphql";
    const socket = graphql
      ? new WebSocket(request.url, GRAPHQL_TRANSPORT_WS_PROTOCOL, { perMessageDeflate: false })
      : new WebSocket(request.url, { perMessageDeflate: false });
    const client: Client = { socket, first: undefined, firstAt: Number.NaN, confirmed: false };
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.terminate();
      reject(new Error(message));
    };
    const succeed = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.on("close", () => void group.closed++);
      listen(group, client);
      resolve(client);
    };
    const timer = setTimeout(
      () => fail(`no ${graphql ? "connection_ack" : "open"} within ${request.handshakeTimeoutMs} ms`),
      request.handshakeTimeoutMs,
    );
    // Always listened to: an unhandled "error" event would end the process.
    socket.on("error", (error) => fail(error.message));
    socket.once("close", (code, reason) => fail(`closed during the handshake: ${code} ${reason.toString()}`));
    socket.once("open", () => {
      if (!graphql) return succeed();
      socket.send(JSON.stringify({ type: MessageType.ConnectionInit, payload: request.connectionParams ?? {} }));
      socket.once("message", (data: Buffer) => {
        let message: { type?: string } | undefined;
        try {
          message = JSON.parse(data.toString());
        } catch {
          // reported below
        }
        if (message?.type !== MessageType.ConnectionAck)
          return fail(`expected connection_ack, got ${data.toString("utf8", 0, SAMPLE_CHARS)}`);
        client.subscriptionId = randomUUID();
        socket.send(
          JSON.stringify({ id: client.subscriptionId, type: MessageType.Subscribe, payload: { query: request.query } }),
        );
        succeed();
      });
    });
  });
}

async function connect(request: Extract<SubscriberRequest, { type: "connect" }>): Promise<SubscriberConnected> {
  const url = new URL(request.url);
  if (url.protocol !== "ws:" || url.hostname !== "127.0.0.1") {
    throw new Error(`refusing to connect to ${request.url}: the benchmark only targets ws://127.0.0.1`);
  }
  if (request.target === "graphql" && !request.query) throw new Error("a graphql connect needs a query");
  const group = groups[request.target];
  if (group.clients.length) throw new Error(`${request.target} clients are already connected`);
  const started = now();
  let next = 0;
  let failures = 0;
  const failureSamples: string[] = [];
  const clients: Client[] = [];
  // A sliding window rather than fixed batches: at most `inFlight` handshakes at any moment.
  const worker = async () => {
    while (next < request.count) {
      next++;
      try {
        clients.push(await handshake(request, group));
      } catch (error) {
        failures++;
        if (failureSamples.length < MAX_SAMPLES)
          failureSamples.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(request.inFlight, request.count) }, worker));
  group.clients = clients;
  return {
    type: "connected",
    target: request.target,
    connected: clients.length,
    ms: now() - started,
    failures,
    failureSamples,
  };
}

function arm(target: SubscriberTarget) {
  const group = groups[target];
  for (const client of group.clients) {
    client.first = undefined;
    client.firstAt = Number.NaN;
  }
  group.arrived = 0;
  group.lastArrival = Number.NaN;
  group.extra = 0;
  group.armed = true;
}

async function collect(request: Extract<SubscriberRequest, { type: "collect" }>): Promise<SubscriberDelivery> {
  const group = groups[request.target];
  if (!group.armed) throw new Error(`collect without arm (${request.target})`);
  if (group.arrived < group.clients.length) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, request.timeoutMs);
      const quiet = request.quietMs
        ? setInterval(
            () => {
              if (now() - group.lastArrival >= request.quietMs!) done();
            },
            Math.min(100, request.quietMs),
          )
        : undefined;
      function done() {
        clearTimeout(timer);
        clearInterval(quiet);
        group.onAllArrived = undefined;
        resolve();
      }
      group.onAllArrived = done;
    });
  }
  group.armed = false;

  const receivedAt = new Float64Array(group.clients.length).fill(Number.NaN);
  let wrong = 0;
  let stale = 0;
  const wrongSamples: string[] = [];
  let minBytes = Number.POSITIVE_INFINITY;
  let maxBytes = 0;
  let sample: string | undefined;
  group.clients.forEach((client, i) => {
    if (client.first === undefined) return;
    const text = client.first.toString();
    let message: any;
    try {
      message = JSON.parse(text);
    } catch {
      // counted as wrong below
    }
    const valid =
      message?.type === MessageType.Next &&
      (request.target === "baseline" || message.id === client.subscriptionId) &&
      message.payload?.errors === undefined &&
      typeof message.payload?.data?.[request.field]?.at === "string";
    if (valid && message.payload.data[request.field].at !== request.tag) {
      stale++;
      return;
    }
    if (!valid) {
      wrong++;
      if (wrongSamples.length < MAX_SAMPLES) wrongSamples.push(text.slice(0, SAMPLE_CHARS));
      return;
    }
    receivedAt[i] = client.firstAt;
    client.confirmed = true;
    minBytes = Math.min(minBytes, client.first.length);
    maxBytes = Math.max(maxBytes, client.first.length);
    sample ??= text;
  });
  const reply: SubscriberDelivery = {
    type: "delivery",
    target: request.target,
    receivedAt,
    wrong,
    wrongSamples,
    stale,
    extra: group.extra,
    confirmed: group.clients.filter((c) => c.confirmed).length,
    closed: group.closed,
    strays: group.strays,
    straySamples: [...group.straySamples],
    minBytes: sample === undefined ? Number.NaN : minBytes,
    maxBytes: sample === undefined ? Number.NaN : maxBytes,
    sample,
  };
  // Release the bytes: 2N buffers per round otherwise live until the next arm.
  for (const client of group.clients) client.first = undefined;
  return reply;
}

function closeAll() {
  for (const group of Object.values(groups)) {
    group.armed = false;
    for (const client of group.clients) client.socket.terminate();
    group.clients = [];
  }
}

async function handle(request: SubscriberRequest): Promise<SubscriberReply> {
  switch (request.type) {
    case "connect":
      return connect(request);
    case "arm":
      arm(request.target);
      return { type: "armed" };
    case "collect":
      return collect(request);
    case "clock":
      return { type: "clock", at: now() };
    case "close":
      closeAll();
      return { type: "closed" };
  }
}

// Child-process entry point: one request per message, one reply each, in order; exits when the
// parent disconnects (its sockets then close with the process).
if (process.send) {
  let queue = Promise.resolve();
  process.on("message", (request: SubscriberRequest) => {
    queue = queue.then(() =>
      handle(request).then(
        (reply) => void process.send!(reply),
        (error: unknown) =>
          void process.send!({
            type: "failure",
            message: error instanceof Error ? error.message : String(error),
          } satisfies SubscriberReply),
      ),
    );
  });
  process.on("disconnect", () => {
    closeAll();
    process.exit(0);
  });
}
