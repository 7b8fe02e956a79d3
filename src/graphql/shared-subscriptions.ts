import type { ExecutionResult } from "graphql";

type Results = AsyncIterable<ExecutionResult>;
type Started = Results | ExecutionResult;

function isAsyncIterable(value: unknown): value is Results {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** Results a subscriber has not read yet; past this it is too slow to keep up and its stream ends. */
const MAX_UNREAD = 1024;
/** Bytes a directly written subscriber's socket may hold unsent; past this it is too slow and its stream ends. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Where a subscriber's results can be written without going through its consumer: a graphql-ws socket
 * and the subscription's id. Each `next` message is then the group's payload, serialised once per event,
 * in a frame of the subscriber's own, instead of graphql-ws's promise chain and `JSON.stringify` per socket.
 */
export interface DirectSink {
  /** Writes one result, given its payload's JSON (as graphql-ws would have written it). */
  send(payloadJson: string): void;
  /** Bytes written but not sent yet (the socket's buffer). */
  readonly buffered: number;
}

const payloadJsons = new WeakMap<ExecutionResult, string>();

/** A result's `next` payload, as graphql-ws serialises it (errors through `toJSON`), once per result. */
export function payloadJson(result: ExecutionResult): string {
  let json = payloadJsons.get(result);
  if (json === undefined) {
    const { errors, ...rest } = result;
    json = JSON.stringify(errors ? { ...rest, errors: errors.map((e) => e.toJSON()) } : rest);
    payloadJsons.set(result, json);
  }
  return json;
}

const FALLEN_BEHIND = "The subscriber fell too far behind.";

/**
 * One subscriber's stream of its group's results: a queue its consumer (graphql-ws) reads. Lighter than a
 * Repeater per socket, which matters when one event is handed to thousands of them in one loop.
 * With a sink, once the consumer is reading (so the subscription is registered, and unread results are
 * flushed first, in order), results are written to the sink as they come and the consumer's read only
 * waits for the end: its completion or error then follows the last result on the socket, as before.
 */
class SubscriberStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly unread: ExecutionResult[] = [];
  private reader: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  private failReader: ((error: unknown) => void) | undefined;
  private ended = false;
  private failure: unknown;
  /** Results go straight to the sink (the consumer has started reading). */
  private direct = false;

  constructor(
    private readonly leave: (stream: SubscriberStream) => void,
    private readonly sink?: DirectSink,
  ) {}

  push(result: ExecutionResult) {
    if (this.ended) return;
    if (this.direct) {
      if (this.sink!.buffered > MAX_BUFFERED_BYTES) this.end(new Error(FALLEN_BEHIND));
      else this.sink!.send(payloadJson(result));
    } else if (this.reader) {
      const read = this.reader;
      this.reader = this.failReader = undefined;
      read({ value: result, done: false });
    } else if (this.unread.length < MAX_UNREAD) {
      this.unread.push(result);
    } else {
      this.end(new Error(FALLEN_BEHIND));
    }
  }

  /** No more results: what is unread is still read, then the stream ends (with `error`, if any). */
  end(error?: unknown) {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.leave(this);
    if (this.reader) this.finishReader();
  }

  private finishReader() {
    const [read, fail, failure] = [this.reader!, this.failReader!, this.failure];
    this.reader = this.failReader = undefined;
    this.failure = undefined;
    if (failure === undefined) read({ value: undefined, done: true });
    else fail(failure);
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.sink && !this.ended && !this.direct) {
      this.direct = true;
      for (const result of this.unread.splice(0)) this.sink.send(payloadJson(result));
    }
    const result = this.unread.shift();
    if (result) return Promise.resolve({ value: result, done: false });
    return new Promise((resolve, reject) => {
      this.reader = resolve;
      this.failReader = reject;
      if (this.ended) this.finishReader();
    });
  }

  /** The consumer stops reading (the client completed the subscription or left). */
  return(): Promise<IteratorResult<ExecutionResult>> {
    this.unread.length = 0;
    this.failure = undefined;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    return this.return().then(() => Promise.reject(error));
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/**
 * One execution of a subscription event, sent to every subscriber of the same group. Dashboards open
 * the same subscription by the thousand (the same document and variables, as the same caller): each
 * event is then resolved and its order re-read once, not once per socket.
 */
class Group {
  private readonly subscribers = new Set<SubscriberStream>();
  private readonly iterator: AsyncIterator<ExecutionResult>;
  private closed = false;

  constructor(
    results: Results,
    private readonly onClose: () => void,
  ) {
    this.iterator = results[Symbol.asyncIterator]();
    void this.pump();
  }

  private async pump() {
    let failure: unknown;
    try {
      for (;;) {
        const { value, done } = await this.iterator.next();
        if (done) break;
        for (const subscriber of this.subscribers) subscriber.push(value);
      }
    } catch (error) {
      failure = error;
    }
    this.close();
    for (const subscriber of this.subscribers) subscriber.end(failure);
  }

  /** A subscriber's own stream of the group's results; ending it leaves the group. */
  join(sink?: DirectSink): Results {
    const stream = new SubscriberStream((left) => {
      this.subscribers.delete(left);
      if (this.subscribers.size === 0) this.close();
    }, sink);
    if (this.closed) stream.end();
    else this.subscribers.add(stream);
    return stream;
  }

  private close() {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    void this.iterator.return?.();
  }
}

/** Subscriptions grouped by key; a null key (or a subscription that failed to start) is not shared. */
export class SharedSubscriptions {
  private readonly groups = new Map<string, Promise<Group | ExecutionResult>>();

  /** `sink`: where this subscriber's results may be written directly (see `DirectSink`). */
  async subscribe(key: string | null, start: () => Started | Promise<Started>, sink?: DirectSink): Promise<Started> {
    if (key === null) return start();
    let group = this.groups.get(key);
    if (!group) {
      group = Promise.resolve(start()).then((started) =>
        isAsyncIterable(started) ? new Group(started, () => this.groups.delete(key)) : started,
      );
      this.groups.set(key, group);
      // A subscription refused at start (auth, limits) is answered as is and never shared.
      void group.then(
        (g) => g instanceof Group || this.groups.delete(key),
        () => this.groups.delete(key),
      );
    }
    const ready = await group;
    return ready instanceof Group ? ready.join(sink) : ready;
  }

  get size(): number {
    return this.groups.size;
  }
}
