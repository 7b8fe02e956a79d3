import type { ExecutionResult } from "graphql";
import { Repeater } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { SharedSubscriptions } from "../../src/graphql/shared-subscriptions.js";

/** A controllable source: `emit` pushes a result, `end` completes it; `started`/`returned` count lifecycle. */
function source() {
  const state = { started: 0, returned: 0, push: (_: ExecutionResult) => {}, end: () => {} };
  const start = () => {
    state.started++;
    return new Repeater<ExecutionResult>(async (push, stop) => {
      state.push = (r) => void push(r);
      state.end = () => stop();
      await stop;
      state.returned++;
    });
  };
  return { state, start };
}

async function take(iterable: AsyncIterable<ExecutionResult>, n: number) {
  const out: unknown[] = [];
  const iterator = iterable[Symbol.asyncIterator]();
  for (let i = 0; i < n; i++) out.push((await iterator.next()).value);
  return { out, iterator };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("SharedSubscriptions", () => {
  it("runs one source for subscribers of the same key and fans each result out", async () => {
    const shared = new SharedSubscriptions();
    const { state, start } = source();
    const a = (await shared.subscribe("k", start)) as AsyncIterable<ExecutionResult>;
    const b = (await shared.subscribe("k", start)) as AsyncIterable<ExecutionResult>;
    expect(state.started).toBe(1);
    const pendingA = take(a, 2);
    const pendingB = take(b, 2);
    await tick();
    state.push({ data: { n: 1 } });
    state.push({ data: { n: 2 } });
    expect((await pendingA).out).toEqual([{ data: { n: 1 } }, { data: { n: 2 } }]);
    expect((await pendingB).out).toEqual([{ data: { n: 1 } }, { data: { n: 2 } }]);
  });

  it("keeps separate keys apart and stops a source when its last subscriber leaves", async () => {
    const shared = new SharedSubscriptions();
    const one = source();
    const two = source();
    const a = (await shared.subscribe("one", one.start)) as AsyncIterable<ExecutionResult>;
    const b = (await shared.subscribe("two", two.start)) as AsyncIterable<ExecutionResult>;
    expect([one.state.started, two.state.started, shared.size]).toEqual([1, 1, 2]);
    const iteratorA = a[Symbol.asyncIterator]();
    const pending = iteratorA.next();
    await tick();
    two.state.push({ data: { to: "two" } });
    one.state.push({ data: { to: "one" } });
    expect((await pending).value).toEqual({ data: { to: "one" } });
    await iteratorA.return?.();
    await tick();
    expect(one.state.returned).toBe(1);
    expect(shared.size).toBe(1);
    // a new subscriber of the left key starts a fresh source
    await shared.subscribe("one", one.start);
    expect(one.state.started).toBe(2);
    void b;
  });

  it("ends every subscriber when the source ends, and never shares a refused start", async () => {
    const shared = new SharedSubscriptions();
    const { state, start } = source();
    const a = (await shared.subscribe("k", start)) as AsyncIterable<ExecutionResult>;
    const iterator = a[Symbol.asyncIterator]();
    const next = iterator.next();
    await tick();
    state.end();
    expect((await next).done).toBe(true);
    expect(shared.size).toBe(0);

    let refusals = 0;
    const refused = () => ({ errors: [{ message: `refused ${++refusals}` }] }) as unknown as ExecutionResult;
    expect(await shared.subscribe("r", refused)).toMatchObject({ errors: [{ message: "refused 1" }] });
    expect(await shared.subscribe("r", refused)).toMatchObject({ errors: [{ message: "refused 2" }] });
    expect(await shared.subscribe(null, refused)).toMatchObject({ errors: [{ message: "refused 3" }] });
  });

  it("ends only a subscriber that cannot keep up, not the group", async () => {
    const shared = new SharedSubscriptions();
    const { state, start } = source();
    const slow = (await shared.subscribe("k", start)) as AsyncIterable<ExecutionResult>;
    const fast = (await shared.subscribe("k", start)) as AsyncIterable<ExecutionResult>;
    const fastIterator = fast[Symbol.asyncIterator]();
    const slowIterator = slow[Symbol.asyncIterator]();
    void slowIterator.next(); // started, then never read again
    await tick();
    let received = 0;
    const reading = (async () => {
      for (;;) {
        const { done } = await fastIterator.next();
        if (done) return;
        received++;
        if (received === 1500) return;
      }
    })();
    for (let i = 0; i < 1500; i++) {
      state.push({ data: { n: i } });
      if (i % 100 === 0) await tick();
    }
    await reading;
    expect(received).toBe(1500);
    // the slow one was ended with the overflow, the group still runs for the fast one
    await expect(async () => {
      for (;;) if ((await slowIterator.next()).done) break;
    }).rejects.toThrow();
    expect(shared.size).toBe(1);
  });
});
