import { sql } from 'kysely';
import type { Db } from './connection.ts';

/**
 * Where the answers of retried writes are kept: a user's Idempotency-Key (idempotency_key),
 * or a department system's message id (inbound_message).
 */
export type KeyScope = 'user' | 'system';

/** The answer kept for a key, and the hash of the request that first used it. */
export interface KeptAnswer {
  requestHash: string;
  status: number;
  body: unknown;
}

/**
 * Claims (owner, key) in this transaction. Returns null when this is the first use — the row
 * is now ours, and a concurrent duplicate waits on it — or the kept answer of the first.
 */
export async function claimKey(
  trx: Db,
  scope: KeyScope,
  ownerId: string,
  key: string,
  requestHash: string,
): Promise<KeptAnswer | null> {
  if (scope === 'user') {
    const inserted = await trx
      .insertInto('idempotency_key')
      .values({ user_id: ownerId, key, request_hash: requestHash })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return null;
    const prior = await trx
      .selectFrom('idempotency_key')
      .select(['request_hash', 'status_code', 'response'])
      .where('user_id', '=', ownerId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    return {
      requestHash: prior.request_hash,
      status: prior.status_code ?? 200,
      body: prior.response,
    };
  }
  const inserted = await trx
    .insertInto('inbound_message')
    .values({
      system_id: ownerId,
      message_id: key,
      request_hash: requestHash,
      status_code: 0,
      response: sql`'null'::jsonb`,
    })
    .onConflict((oc) => oc.columns(['system_id', 'message_id']).doNothing())
    .returning('message_id')
    .executeTakeFirst();
  if (inserted) return null;
  const prior = await trx
    .selectFrom('inbound_message')
    .select(['request_hash', 'status_code', 'response'])
    .where('system_id', '=', ownerId)
    .where('message_id', '=', key)
    .executeTakeFirstOrThrow();
  return {
    requestHash: prior.request_hash,
    status: prior.status_code || 200,
    body: prior.response,
  };
}

/** Keeps the answer for the key's retries, in the same transaction as the work. */
export async function keepAnswer(
  trx: Db,
  scope: KeyScope,
  ownerId: string,
  key: string,
  answer: { status: number; body: unknown },
): Promise<void> {
  const response = JSON.stringify(answer.body ?? null);
  if (scope === 'user')
    await trx
      .updateTable('idempotency_key')
      .set({ status_code: answer.status, response })
      .where('user_id', '=', ownerId)
      .where('key', '=', key)
      .execute();
  else
    await trx
      .updateTable('inbound_message')
      .set({ status_code: answer.status, response })
      .where('system_id', '=', ownerId)
      .where('message_id', '=', key)
      .execute();
}

/** Whether a user's key has been used: a retry must not repeat what the first did before it. */
export async function keyIsKnown(db: Db, ownerId: string, key: string): Promise<boolean> {
  const row = await db
    .selectFrom('idempotency_key')
    .select('key')
    .where('user_id', '=', ownerId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Forgets users' keys older than `hours`, with the answers kept for their retries: a client
 * retries within minutes, and each write's answer (the whole case) made this the largest
 * table, at 11 MiB per 1,000 cases. A retry with the same key after that is a new request.
 */
export async function purgeIdempotencyKeys(db: Db, hours: number): Promise<number> {
  const r = await db
    .deleteFrom('idempotency_key')
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${hours})`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Forgets department systems' message ids older than `days` (kept as long as the message log). */
export async function purgeSystemMessages(db: Db, days: number): Promise<void> {
  await db
    .deleteFrom('inbound_message')
    .where('created_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .execute();
}
