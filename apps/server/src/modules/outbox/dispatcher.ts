import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/**
 * Delivers outbox rows at least once. A row is claimed with a lease (FOR UPDATE SKIP LOCKED,
 * so several workers share the work), the claim commits, the message is sent outside any
 * transaction — a slow department never holds a database lock — and the batch's outcomes
 * are recorded together in one transaction.
 * A worker that dies mid-send leaves a lease that expires, and the row is sent again:
 * receivers deduplicate on the message id. Rows with one ordering key (one case) go out in
 * order: a row waits while an earlier one of its key is still pending. Due rows go oldest
 * first by the time they became due.
 */
export interface OutboxMessage {
  id: number;
  /** The id the receiver deduplicates on: the same for every attempt. */
  messageId: string;
  topic: string;
  orderingKey: string | null;
  applicationId: string | null;
  /** The connector or subscription the message is for, when the topic has several. */
  targetId: string | null;
  payload: unknown;
  attempts: number;
}

/**
 * What a handler reports. `exchange` is whatever the handler wants kept about the attempt
 * (the hub's message log entry); `onSettle` writes a batch's in the transaction that settles
 * it, so deliveries and their records commit together, in one commit per batch.
 */
export type SendResult = ({ ok: true } | { ok: false; error: string; retryable?: boolean }) & {
  exchange?: unknown;
};
export type TopicHandler = (message: OutboxMessage) => Promise<SendResult>;

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
  onSettle?: ((trx: Db, done: [OutboxMessage, SendResult][]) => Promise<void>) | undefined;
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

/**
 * The oldest due rows first, each the head of its ordering key. Messages queued behind a
 * head are not due at all, so a claim costs the same with ten messages queued or 100,000.
 */
export async function claimBatch(db: Db, topics: string[], o: Resolved): Promise<OutboxMessage[]> {
  return db.transaction().execute(async (trx) => {
    // The right plan is known: walk the pending index in due order and stop at the batch.
    // Without fresh statistics (PGlite has no autovacuum; a sudden backlog outruns it on
    // PostgreSQL) the planner would rather sort every due row on each claim.
    await sql`SET LOCAL enable_sort = off`.execute(trx);
    await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
    const rows = await sql<{
      id: number;
      message_id: string;
      topic: string;
      ordering_key: string | null;
      application_id: string | null;
      target_id: string | null;
      payload: unknown;
      attempts: number;
    }>`
      SELECT o.id, o.message_id, o.topic, o.ordering_key, o.application_id, o.target_id, o.payload, o.attempts
      FROM outbox o
      WHERE o.status = 'pending' AND o.next_attempt_at <= now() AND o.topic = ANY(${topics}::text[])
        AND (o.ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM outbox e WHERE e.ordering_key = o.ordering_key AND e.status = 'pending' AND e.id < o.id))
      ORDER BY o.next_attempt_at, o.id
      LIMIT ${o.batchSize}
      FOR UPDATE SKIP LOCKED`.execute(trx);
    if (rows.rows.length === 0) return [];
    const ids = rows.rows.map((r) => Number(r.id));
    await trx
      .updateTable('outbox')
      .set({ attempts: sql`attempts + 1`, next_attempt_at: new Date(Date.now() + o.leaseMs) })
      .where('id', 'in', ids)
      .execute();
    return rows.rows.map((r) => ({
      id: Number(r.id),
      messageId: r.message_id,
      topic: r.topic,
      orderingKey: r.ordering_key,
      applicationId: r.application_id,
      targetId: r.target_id,
      payload: r.payload,
      attempts: r.attempts + 1,
    }));
  });
}

/**
 * Where a message queued behind an earlier one of its ordering key waits (migration 0006's
 * trigger puts it there): never due until the one ahead is settled and wakes it.
 */
export const QUEUED_BEHIND = new Date('9999-01-01T00:00:00Z');

/** Makes the next message of each key due, once the one ahead is sent or dead. */
async function wakeHeads(trx: Db, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  // Driven from the keys: each key's head through the ordering index, then that row by id.
  await sql`
    UPDATE outbox o SET next_attempt_at = now()
    FROM unnest(${keys}::text[]) AS k(key)
    CROSS JOIN LATERAL (SELECT id FROM outbox WHERE ordering_key = k.key AND status = 'pending'
                        ORDER BY id LIMIT 1) head
    WHERE o.id = head.id AND o.next_attempt_at = ${QUEUED_BEHIND}`.execute(trx);
}

type Done = [OutboxMessage, SendResult];

/**
 * Records the outcomes of a batch in one transaction — one commit for the batch, not one
 * per message: sent rows marked, failed ones rescheduled with backoff or dead-lettered, the
 * next message of each settled key woken, and what the handlers want kept written.
 */
async function settleAll(db: Db, done: Done[], o: Resolved): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // A case's transaction enqueuing messages holds FOR SHARE on its queues' pending rows
    // (migration 0006's trigger) while it may wait for a row this batch has already marked:
    // the two can deadlock. The settlement gives way rather than fail the case: it stops
    // waiting after a moment, rolls back and is tried again (settle below).
    await sql`SET LOCAL lock_timeout = '100ms'`.execute(trx);
    const sent = done.filter(([, r]) => r.ok).map(([m]) => m.id);
    if (sent.length > 0)
      await trx
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: new Date(), last_error: null })
        .where('id', 'in', sent)
        .execute();
    const settledKeys: string[] = [];
    for (const [m, r] of done) {
      const dead = !r.ok && (r.retryable === false || m.attempts >= o.maxAttempts);
      if (!r.ok)
        await trx
          .updateTable('outbox')
          .set({
            status: dead ? 'dead' : 'pending',
            last_error: r.error.slice(0, 1000),
            next_attempt_at: new Date(Date.now() + (dead ? 0 : backoffMs(m.attempts, o))),
          })
          .where('id', '=', m.id)
          .execute();
      // A dead letter no longer holds up its case: the next message goes (per-key order is
      // kept among the messages that are delivered; the dead one waits for a replay).
      if (m.orderingKey && (r.ok || dead)) settledKeys.push(m.orderingKey);
    }
    await wakeHeads(trx, settledKeys);
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

/**
 * A safety net for messages left queued behind a head that is gone (settled by hand, or a
 * database edited outside the dispatcher): wakes every queue head that is not due.
 */
export async function wakeStrandedQueues(db: Db): Promise<number> {
  const r = await sql`
    UPDATE outbox o SET next_attempt_at = now()
    WHERE o.status = 'pending' AND o.next_attempt_at = ${QUEUED_BEHIND}
      AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.ordering_key = o.ordering_key
                        AND e.status = 'pending' AND e.id < o.id)`.execute(db);
  return Number(r.numAffectedRows ?? 0);
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
  const sendOne = async (m: OutboxMessage) => {
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
    await wakeStrandedQueues(db).catch((err) => opts.onError?.(err));
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
