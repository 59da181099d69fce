import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/**
 * Delivers outbox rows at least once. A row is claimed with a lease (FOR UPDATE SKIP LOCKED,
 * so several workers share the work), the claim commits, the message is sent outside any
 * transaction — a slow department never holds a database lock — and the outcome is recorded.
 * A worker that dies mid-send leaves a lease that expires, and the row is sent again:
 * receivers deduplicate on the message id. Rows with one ordering key (one case) go out in
 * order: a row waits while an earlier one of its key is still pending.
 */
export interface OutboxMessage {
  id: number;
  topic: string;
  orderingKey: string | null;
  applicationId: string | null;
  payload: unknown;
  attempts: number;
}

export type SendResult = { ok: true } | { ok: false; error: string; retryable?: boolean };
export type TopicHandler = (message: OutboxMessage) => Promise<SendResult>;

export interface DispatcherOptions {
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const DEFAULTS: Required<DispatcherOptions> = {
  batchSize: 20,
  leaseMs: 60_000,
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
};

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped, each drawn at random below. */
export function backoffMs(
  attempt: number,
  o: Required<DispatcherOptions>,
  random = Math.random,
): number {
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export async function claimBatch(
  db: Db,
  topics: string[],
  o: Required<DispatcherOptions>,
): Promise<OutboxMessage[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await sql<{
      id: number;
      topic: string;
      ordering_key: string | null;
      application_id: string | null;
      payload: unknown;
      attempts: number;
    }>`
      SELECT o.id, o.topic, o.ordering_key, o.application_id, o.payload, o.attempts
      FROM outbox o
      WHERE o.status = 'pending' AND o.next_attempt_at <= now() AND o.topic = ANY(${topics}::text[])
        AND (o.ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM outbox e WHERE e.ordering_key = o.ordering_key AND e.status = 'pending' AND e.id < o.id))
      ORDER BY o.id
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
      topic: r.topic,
      orderingKey: r.ordering_key,
      applicationId: r.application_id,
      payload: r.payload,
      attempts: r.attempts + 1,
    }));
  });
}

async function settle(
  db: Db,
  m: OutboxMessage,
  result: SendResult,
  o: Required<DispatcherOptions>,
): Promise<void> {
  if (result.ok) {
    await db
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: new Date(), last_error: null })
      .where('id', '=', m.id)
      .execute();
    return;
  }
  const dead = result.retryable === false || m.attempts >= o.maxAttempts;
  await db
    .updateTable('outbox')
    .set({
      status: dead ? 'dead' : 'pending',
      last_error: result.error.slice(0, 1000),
      next_attempt_at: new Date(Date.now() + (dead ? 0 : backoffMs(m.attempts, o))),
    })
    .where('id', '=', m.id)
    .execute();
}

/** One pass: claim a batch and send it. Returns how many were handled. */
export async function dispatchOnce(
  db: Db,
  handlers: Record<string, TopicHandler>,
  options: DispatcherOptions = {},
): Promise<number> {
  const o = { ...DEFAULTS, ...options };
  const batch = await claimBatch(db, Object.keys(handlers), o);
  for (const m of batch) {
    let result: SendResult;
    try {
      result = await handlers[m.topic]!(m);
    } catch (err) {
      result = { ok: false, error: (err as Error).message };
    }
    await settle(db, m, result, o);
  }
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
