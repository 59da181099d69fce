import type { Db } from './connection.ts';

/**
 * Writes to hot rows — the month's counters of a township and item, an audit chain's head —
 * lock those rows until COMMIT, and every other step that needs the same row waits that long.
 * Inside `withLateWrites`, `late(trx, fn)` holds fn back until the scope's own work (and the
 * answer it reads back) is done, so the hot locks are taken just before the transaction ends;
 * it is still the same transaction, and a failure before then rolls everything back together.
 * Outside a scope, `late` runs fn at once.
 */
const queues = new WeakMap<Db, Array<() => Promise<void>>>();

export async function late(trx: Db, fn: () => Promise<void>): Promise<void> {
  const queue = queues.get(trx);
  if (queue) queue.push(fn);
  else await fn();
}

export async function withLateWrites<T>(trx: Db, fn: () => Promise<T>): Promise<T> {
  if (queues.has(trx)) return fn();
  const queue: Array<() => Promise<void>> = [];
  queues.set(trx, queue);
  try {
    const result = await fn();
    // A late write may itself queue another: run until none is left.
    for (let i = 0; i < queue.length; i++) await queue[i]!();
    return result;
  } finally {
    queues.delete(trx);
  }
}
