import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { canonicalJson } from '../audit/audit-chain.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

/** The Idempotency-Key header every mutating case request carries. */
export function idempotencyKeyOf(req: FastifyRequest): string {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new AppError('VALIDATION_FAILED', {}, [
      {
        field: 'headers.idempotency-key',
        message: {
          zh: '缺少或格式错误的 Idempotency-Key 请求头（8–100 位字母数字）',
          en: 'missing or malformed Idempotency-Key header (8–100 letters and digits)',
        },
      },
    ]);
  }
  return key;
}

/**
 * Forgets keys older than `hours`, with the answers kept for their retries: a client retries
 * within minutes, and each write's answer (the whole case) made this the largest table, at
 * 11 MiB per 1,000 cases. A retry with the same key after that is a new request.
 */
export async function purgeIdempotencyKeys(db: Db, hours: number): Promise<number> {
  const r = await db
    .deleteFrom('idempotency_key')
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${hours})`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Runs `fn` once per (user, key). The key row is written in the same transaction as the
 * work, so a retry after a lost answer finds the first answer; a concurrent duplicate waits
 * on the key row and then finds it. A refusal rolls back with its key, so a corrected retry
 * runs afresh. The same key with a different request is an error, not a replay.
 */
export async function withIdempotency<T>(
  trx: Db,
  actor: Actor,
  key: string,
  request: unknown,
  fn: () => Promise<{ status: number; body: T }>,
): Promise<{ status: number; body: T; replayed: boolean }> {
  const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
  const inserted = await trx
    .insertInto('idempotency_key')
    .values({ user_id: actor.userId, key, request_hash: requestHash })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!inserted) {
    const prior = await trx
      .selectFrom('idempotency_key')
      .select(['request_hash', 'status_code', 'response'])
      .where('user_id', '=', actor.userId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (prior.request_hash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED', { key });
    return { status: prior.status_code ?? 200, body: prior.response as T, replayed: true };
  }
  const result = await fn();
  await trx
    .updateTable('idempotency_key')
    .set({ status_code: result.status, response: JSON.stringify(result.body) })
    .where('user_id', '=', actor.userId)
    .where('key', '=', key)
    .execute();
  return { ...result, replayed: false };
}
