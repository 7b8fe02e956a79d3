import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Who hears, after the fact, which stores' data a unit of work changed (the response cache drops those
 * stores' public answers). Changes are noted where they are recorded (audit/record.ts, inside their
 * transaction), but listeners hear them only when the unit of work that made them (a GraphQL operation,
 * a background job run) has finished, i.e. after its transactions committed: a listener that acted
 * before the commit could let a concurrent read cache the old data again.
 */
export interface CommittedChange {
  storeId: string;
  /** The recorded event, e.g. catalog.update, inventory.reserve. */
  event: string;
}

export type ChangeListener = (changes: readonly CommittedChange[]) => void | Promise<void>;

const listeners = new Set<ChangeListener>();
const unitOfWork = new AsyncLocalStorage<CommittedChange[]>();

/** Registers a listener; returns its removal. */
export function onCommittedChanges(listener: ChangeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function tell(changes: readonly CommittedChange[]): Promise<void> {
  if (!changes.length || !listeners.size) return;
  await Promise.all([...listeners].map(async (listener) => listener(changes)));
}

/**
 * Notes a change made in the current unit of work. Outside one (a script, a service called directly),
 * listeners hear it after the current turn, which is after the caller's transaction in the usual case.
 */
export function noteChange(change: CommittedChange): void {
  const pending = unitOfWork.getStore();
  if (pending) pending.push(change);
  else setImmediate(() => void tell([change]).catch(() => {}));
}

/**
 * Runs `work` as one unit of work: the changes it notes are told to the listeners once it has finished
 * (succeeded or failed: a rolled-back change costs only a needless cache drop), before its result is
 * returned, so the next request sees the change.
 */
export async function trackChanges<T>(work: () => Promise<T> | T): Promise<T> {
  const pending: CommittedChange[] = [];
  try {
    return await unitOfWork.run(pending, work);
  } finally {
    await tell(pending);
  }
}
