import type { ExecutionResult } from "graphql";
import { Repeater } from "graphql-yoga";

type Results = AsyncIterable<ExecutionResult>;
type Started = Results | ExecutionResult;

function isAsyncIterable(value: unknown): value is Results {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/**
 * One execution of a subscription event, sent to every subscriber of the same group. Dashboards open
 * the same subscription by the thousand (the same document and variables, as the same caller): each
 * event is then resolved and its order re-read once, not once per socket.
 */
class Group {
  /** Each subscriber's push, and how to end its stream. */
  private readonly listeners = new Map<(result: ExecutionResult) => unknown, (error?: unknown) => unknown>();
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
        for (const [push, stop] of this.listeners) {
          try {
            void push(value);
          } catch (overflow) {
            // A subscriber too slow to keep up (its queue is full) is ended; the others go on.
            stop(overflow);
          }
        }
      }
    } catch (error) {
      failure = error;
    }
    this.close();
    for (const stop of this.listeners.values()) stop(failure);
  }

  /** A subscriber's own stream of the group's results; ending it leaves the group. */
  join(): Results {
    return new Repeater<ExecutionResult>(async (push, stop) => {
      if (this.closed) return stop();
      this.listeners.set(push, stop);
      await stop;
      this.listeners.delete(push);
      if (this.listeners.size === 0) this.close();
    });
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
