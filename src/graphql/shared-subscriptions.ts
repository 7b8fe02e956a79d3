import type { ExecutionResult } from "graphql";

type Results = AsyncIterable<ExecutionResult>;
type Started = Results | ExecutionResult;

function isAsyncIterable(value: unknown): value is Results {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** Results a subscriber has not read yet; past this it is too slow to keep up and its stream ends. */
const MAX_UNREAD = 1024;

/**
 * One subscriber's stream of its group's results: a queue its consumer (graphql-ws) reads. Lighter than a
 * Repeater per socket, which matters when one event is handed to thousands of them in one loop.
 */
class SubscriberStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly unread: ExecutionResult[] = [];
  private reader: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  private failReader: ((error: unknown) => void) | undefined;
  private ended = false;
  private failure: unknown;

  constructor(private readonly leave: (stream: SubscriberStream) => void) {}

  push(result: ExecutionResult) {
    if (this.ended) return;
    if (this.reader) {
      const read = this.reader;
      this.reader = this.failReader = undefined;
      read({ value: result, done: false });
    } else if (this.unread.length < MAX_UNREAD) {
      this.unread.push(result);
    } else {
      this.end(new Error("The subscriber fell too far behind."));
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
  join(): Results {
    const stream = new SubscriberStream((left) => {
      this.subscribers.delete(left);
      if (this.subscribers.size === 0) this.close();
    });
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

  async subscribe(key: string | null, start: () => Started | Promise<Started>): Promise<Started> {
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
    return ready instanceof Group ? ready.join() : ready;
  }

  get size(): number {
    return this.groups.size;
  }
}
