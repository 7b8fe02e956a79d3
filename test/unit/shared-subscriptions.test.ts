import { type ExecutionResult, GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import {
  type DirectSink,
  MAX_BUFFERED_BYTES,
  payloadJson,
  SharedSubscriptions,
} from "../../src/graphql/shared-subscriptions.js";

/** A subscription source the test pushes events into, counting how often it was started and ended. */
function source() {
  const pending: ((result: IteratorResult<ExecutionResult>) => void)[] = [];
  const queued: IteratorResult<ExecutionResult>[] = [];
  let failWith: ((error: unknown) => void) | undefined;
  const state = { started: 0, returned: 0 };
  const iterable: AsyncIterable<ExecutionResult> = {
    [Symbol.asyncIterator]: () => ({
      next: () =>
        new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => {
          const ready = queued.shift();
          if (ready) return resolve(ready);
          pending.push(resolve);
          failWith = reject;
        }),
      return: async () => {
        state.returned++;
        return { value: undefined, done: true };
      },
    }),
  };
  return {
    state,
    start: () => {
      state.started++;
      return iterable;
    },
    emit(n: number) {
      const result = { value: { data: { n } }, done: false };
      const waiting = pending.shift();
      if (waiting) waiting(result);
      else queued.push(result);
    },
    fail(error: Error) {
      failWith?.(error);
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function read(results: AsyncIterable<ExecutionResult>, count: number): Promise<unknown[]> {
  const seen: unknown[] = [];
  const iterator = results[Symbol.asyncIterator]();
  while (seen.length < count) seen.push((await iterator.next()).value?.data);
  return seen;
}

describe("shared subscriptions", () => {
  it("runs one execution for every subscriber of a key and hands each the same results", async () => {
    const shared = new SharedSubscriptions();
    const events = source();
    const a = (await shared.subscribe("k", events.start)) as AsyncIterable<ExecutionResult>;
    const b = (await shared.subscribe("k", events.start)) as AsyncIterable<ExecutionResult>;
    const other = source();
    await shared.subscribe("other", other.start);
    await shared.subscribe(null, other.start);
    expect(events.state.started).toBe(1);
    expect(other.state.started).toBe(2); // another key, and a null key, are never shared
    const reads = Promise.all([read(a, 2), read(b, 2)]);
    events.emit(1);
    events.emit(2);
    expect(await reads).toEqual([
      [{ n: 1 }, { n: 2 }],
      [{ n: 1 }, { n: 2 }],
    ]);
  });

  it("keeps the group for those who stay, and ends the execution when the last one leaves", async () => {
    const shared = new SharedSubscriptions();
    const events = source();
    const a = (await shared.subscribe("k", events.start)) as AsyncIterableIterator<ExecutionResult>;
    const b = (await shared.subscribe("k", events.start)) as AsyncIterableIterator<ExecutionResult>;
    await a.return?.();
    const next = read(b, 1);
    events.emit(7);
    expect(await next).toEqual([{ n: 7 }]);
    expect(events.state.returned).toBe(0);
    expect(shared.size).toBe(1);
    await b.return?.();
    await tick();
    expect(events.state.returned).toBe(1);
    expect(shared.size).toBe(0);
    // A new subscriber starts a new execution.
    await shared.subscribe("k", events.start);
    expect(events.state.started).toBe(2);
  });

  it("ends every subscriber with the execution's error, after what they had not read yet", async () => {
    const shared = new SharedSubscriptions();
    const events = source();
    const a = (await shared.subscribe("k", events.start)) as AsyncIterable<ExecutionResult>;
    const iterator = a[Symbol.asyncIterator]();
    events.emit(1);
    await tick();
    events.fail(new Error("pub/sub lost"));
    await tick();
    expect((await iterator.next()).value?.data).toEqual({ n: 1 });
    await expect(iterator.next()).rejects.toThrow("pub/sub lost");
    expect((await iterator.next()).done).toBe(true);
  });

  it("ends a subscriber that stops reading once it is 1024 results behind; the others go on", async () => {
    const shared = new SharedSubscriptions();
    const events = source();
    const slow = (await shared.subscribe("k", events.start)) as AsyncIterable<ExecutionResult>;
    const fast = (await shared.subscribe("k", events.start)) as AsyncIterable<ExecutionResult>;
    const fastReads = read(fast, 1100);
    for (let n = 0; n < 1100; n++) {
      events.emit(n);
      await tick();
    }
    expect((await fastReads).at(-1)).toEqual({ n: 1099 });
    const iterator = slow[Symbol.asyncIterator]();
    let unread = 0;
    await expect(
      (async () => {
        for (;;) {
          const { done } = await iterator.next();
          if (done) return;
          unread++;
        }
      })(),
    ).rejects.toThrow("fell too far behind");
    expect(unread).toBe(1024);
  });

  it("writes a subscriber's results to its sink once it reads: what came before first, in order", async () => {
    const shared = new SharedSubscriptions();
    const events = source();
    const written: string[] = [];
    const sink: DirectSink = { send: (json) => void written.push(json), buffered: 0 };
    const a = (await shared.subscribe("k", events.start, sink)) as AsyncIterable<ExecutionResult>;
    const plain = (await shared.subscribe("k", events.start)) as AsyncIterable<ExecutionResult>;
    events.emit(1);
    await tick();
    expect(written).toEqual([]); // not reading yet: the subscription may not be registered
    const iterator = a[Symbol.asyncIterator]();
    const end = iterator.next(); // the consumer starts reading, and waits for the end
    expect(written).toEqual(['{"data":{"n":1}}']);
    events.emit(2);
    await tick();
    expect(written).toEqual(['{"data":{"n":1}}', '{"data":{"n":2}}']);
    expect(await read(plain, 2)).toEqual([{ n: 1 }, { n: 2 }]); // a subscriber without a sink reads as before
    events.fail(new Error("pub/sub lost"));
    await expect(end).rejects.toThrow("pub/sub lost");
  });

  it("serialises a payload once per result, as graphql-ws does (errors through toJSON, after the data)", () => {
    const result: ExecutionResult = { errors: [new GraphQLError("no", { path: ["x"] })], data: { x: null } };
    expect(payloadJson(result)).toBe('{"data":{"x":null},"errors":[{"message":"no","path":["x"]}]}');
    expect(payloadJson(result)).toBe(payloadJson(result));
  });

  it("ends a directly written subscriber whose socket holds too many unsent bytes; the others go on", async () => {
    const shared = new SharedSubscriptions();
    const events = source();
    const slowSink = { sent: 0, buffered: 0, send: () => void slowSink.sent++ };
    const fastSink = { sent: 0, buffered: 0, send: () => void fastSink.sent++ };
    const slow = (await shared.subscribe("k", events.start, slowSink)) as AsyncIterable<ExecutionResult>;
    const fast = (await shared.subscribe("k", events.start, fastSink)) as AsyncIterable<ExecutionResult>;
    const slowEnd = expect(slow[Symbol.asyncIterator]().next()).rejects.toThrow("fell too far behind");
    void fast[Symbol.asyncIterator]().next();
    events.emit(1);
    await tick();
    slowSink.buffered = MAX_BUFFERED_BYTES + 1;
    events.emit(2);
    await tick();
    await slowEnd;
    events.emit(3);
    await tick();
    expect([slowSink.sent, fastSink.sent]).toEqual([1, 3]);
    expect(shared.size).toBe(1);
  });

  it("a subscriber that completes while directly written ends cleanly, and the group ends with the last", async () => {
    const shared = new SharedSubscriptions();
    const events = source();
    const sink: DirectSink = { send: () => {}, buffered: 0 };
    const a = (await shared.subscribe("k", events.start, sink)) as AsyncIterableIterator<ExecutionResult>;
    const end = a.next();
    await a.return?.();
    expect(await end).toEqual({ value: undefined, done: true });
    await tick();
    expect(events.state.returned).toBe(1);
    expect(shared.size).toBe(0);
  });
});
