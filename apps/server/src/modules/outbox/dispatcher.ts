import type { Db } from '../../db/connection.ts';
import { inTransaction } from '../../db/unit-of-work.ts';
import type { OutboxRow } from './outbox.repo.ts';
import * as outbox from './outbox.repo.ts';

/**
 * Delivers outbox rows at least once. A row is claimed with a lease (outbox.repo.ts
 * `claimDue`), the claim commits, the message is sent outside any transaction — a slow
 * department never holds a database lock — and the batch's outcomes are recorded together
 * in one transaction.
 * A worker that dies mid-send leaves a lease that expires, and the row is sent again:
 * receivers deduplicate on the message id. Rows with one ordering key (one case) go out in
 * order: a row waits while an earlier one of its key is still pending. Due rows go oldest
 * first by the time they became due.
 *
 * What a handler reports. `exchange` is whatever the handler wants kept about the attempt
 * (the hub's message log entry); `onSettle` writes a batch's in the transaction that settles
 * it, so deliveries and their records commit together, in one commit per batch.
 */
export type SendResult = ({ ok: true } | { ok: false; error: string; retryable?: boolean }) & {
  exchange?: unknown;
};
export type TopicHandler = (message: OutboxRow) => Promise<SendResult>;

export interface DispatcherOptions {
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * How many messages of a batch are sent at once. A batch never holds two rows of one
   * ordering key (a row waits while an earlier one of its key is pending), so sending a
   * batch in parallel keeps each case's order.
   */
  concurrency?: number;
  /** Runs in the transaction that settles a batch, with its outcomes (the message log). */
  onSettle?: ((trx: Db, done: [OutboxRow, SendResult][]) => Promise<void>) | undefined;
}

type Resolved = Omit<Required<DispatcherOptions>, 'onSettle'> & Pick<DispatcherOptions, 'onSettle'>;

const DEFAULTS: Resolved = {
  batchSize: 20,
  leaseMs: 60_000,
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  concurrency: 1,
};

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped, each drawn at random below. */
export function backoffMs(
  attempt: number,
  o: Pick<Required<DispatcherOptions>, 'baseDelayMs' | 'maxDelayMs'>,
  random = Math.random,
): number {
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

async function claimBatch(db: Db, topics: string[], o: Resolved): Promise<OutboxRow[]> {
  return inTransaction(db, (trx) => outbox.claimDue(trx, topics, o.batchSize, o.leaseMs));
}

type Done = [OutboxRow, SendResult];

/**
 * Records the outcomes of a batch in one transaction — one commit for the batch, not one
 * per message: sent rows marked, failed ones rescheduled with backoff or dead-lettered, the
 * next message of each settled key woken, and what the handlers want kept written.
 */
async function settleAll(db: Db, done: Done[], o: Resolved): Promise<void> {
  await inTransaction(db, async (trx) => {
    await outbox.giveWayQuickly(trx);
    await outbox.markSent(
      trx,
      done.filter(([, r]) => r.ok).map(([m]) => m.id),
    );
    const settledKeys: string[] = [];
    for (const [m, r] of done) {
      const dead = !r.ok && (r.retryable === false || m.attempts >= o.maxAttempts);
      if (!r.ok)
        await outbox.markFailed(trx, m.id, {
          dead,
          error: r.error,
          nextAttemptAt: new Date(Date.now() + (dead ? 0 : backoffMs(m.attempts, o))),
        });
      // A dead letter no longer holds up its case: the next message goes (per-key order is
      // kept among the messages that are delivered; the dead one waits for a replay).
      if (m.orderingKey && (r.ok || dead)) settledKeys.push(m.orderingKey);
    }
    await outbox.wakeHeads(trx, settledKeys);
    await o.onSettle?.(trx, done);
  });
}

/** PostgreSQL's lock_not_available and deadlock_detected: worth another try in a moment. */
const isLockConflict = (err: unknown) =>
  ['55P03', '40P01'].includes((err as { code?: string } | null)?.code ?? '');

/** Settles, giving way to conflicting case transactions a few times before it gives up. */
async function settleRetrying(db: Db, done: Done[], o: Resolved): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await settleAll(db, done, o);
    } catch (err) {
      if (!isLockConflict(err) || attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
    }
  }
}

/**
 * A batch whose settlement failed as a whole is settled row by row: one bad row spoils only
 * itself. A settlement that never commits leaves its rows leased: they are sent again when
 * the lease runs out (receivers deduplicate on the message id), never lost.
 */
async function settle(db: Db, done: Done[], o: Resolved): Promise<void> {
  try {
    await settleRetrying(db, done, o);
  } catch (err) {
    if (done.length === 1) throw err;
    const errors: unknown[] = [];
    for (const d of done) await settleRetrying(db, [d], o).catch((e) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  }
}

/** One pass: claim a batch and send it. Returns how many were handled. */
export async function dispatchOnce(
  db: Db,
  handlers: Record<string, TopicHandler>,
  options: DispatcherOptions = {},
): Promise<number> {
  const o = { ...DEFAULTS, ...options };
  const batch = await claimBatch(db, Object.keys(handlers), o);
  const done: Done[] = [];
  const sendOne = async (m: OutboxRow) => {
    let result: SendResult;
    try {
      result = await handlers[m.topic]!(m);
    } catch (err) {
      result = { ok: false, error: (err as Error).message };
    }
    done.push([m, result]);
  };
  let next = 0;
  const lanes = Array.from({ length: Math.min(o.concurrency, batch.length) }, async () => {
    while (next < batch.length) await sendOne(batch[next++]!);
  });
  await Promise.all(lanes);
  if (done.length > 0) await settle(db, done, o);
  return batch.length;
}

/** Runs passes until stopped; idles briefly when there is nothing to send. */
export function startDispatcher(
  db: Db,
  handlers: Record<string, TopicHandler>,
  opts: DispatcherOptions & { idleMs?: number; onError?: (err: unknown) => void } = {},
): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    await outbox.wakeStrandedQueues(db).catch((err) => opts.onError?.(err));
    while (!stopped) {
      let n = 0;
      try {
        n = await dispatchOnce(db, handlers, opts);
      } catch (err) {
        opts.onError?.(err);
      }
      if (n === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, opts.idleMs ?? 500).unref();
        });
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
