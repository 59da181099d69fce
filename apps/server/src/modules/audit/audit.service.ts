import { createHash } from 'node:crypto';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { inTransaction } from '../../db/unit-of-work.ts';
import { appendAuditRow, lockChainHead } from './audit.repo.ts';
import { type ChainedFields, hashAuditRow } from './audit-chain.ts';
import { maskPersonalData } from './audit-mask.ts';

export interface AuditEntry {
  actor: Actor | null;
  meta: RequestMeta | null;
  /** What was done, as `area.verb`: `user.create`, `resident.idNumber.read`, `auth.login`. */
  action: string;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** The region the act concerns; admins see audit rows inside their jurisdiction. */
  regionCode?: string | null | undefined;
  before?: unknown;
  after?: unknown;
  outcome?: 'success' | 'denied' | 'failed';
  /** Overrides the chain chosen from the actor, for acts with no signed-in actor. */
  chain?: string | undefined;
}

const SHARDS = 16;

/**
 * The chain a row joins. Staff write to their service point's chain, so stations never wait
 * on each other; citizens and anonymous attempts spread over a few shards.
 */
export function chainFor(actor: Actor | null, fallbackKey: string): string {
  if (actor?.servicePoint) return `sp:${actor.servicePoint.code}`;
  const key = actor ? actor.userId : fallbackKey;
  const shard =
    Number.parseInt(createHash('sha256').update(key).digest('hex').slice(0, 4), 16) % SHARDS;
  return `${actor ? 'citizen' : 'public'}:${shard}`;
}

/**
 * Appends one audit row, in the caller's transaction, at the head of its chain. The head
 * row is locked until that transaction ends, which orders the rows of one chain and leaves
 * other chains free. Other writers at the same service point wait for that lock, so call
 * this late in the transaction, after the slow parts; and a transaction that writes to two
 * chains should always take them in the same order.
 */
export async function recordAudit(trx: Db, entry: AuditEntry): Promise<void> {
  const chain = entry.chain ?? chainFor(entry.actor, entry.meta?.ip ?? 'anonymous');
  const prev = await lockChainHead(trx, chain);
  const row: ChainedFields = {
    chain,
    seq: prev.seq + 1,
    occurred_at: new Date(),
    actor_user_id: entry.actor?.userId ?? null,
    actor_name: entry.actor ? (entry.actor.username ?? entry.actor.name) : null,
    actor_roles: entry.actor?.roles ?? [],
    actor_service_point: entry.actor?.servicePoint?.code ?? null,
    request_id: entry.meta?.requestId ?? null,
    ip: entry.meta?.ip ?? null,
    action: entry.action,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    region_code: entry.regionCode ?? entry.actor?.servicePoint?.regionCode ?? null,
    before: entry.before === undefined ? null : maskPersonalData(entry.before),
    after: entry.after === undefined ? null : maskPersonalData(entry.after),
    outcome: entry.outcome ?? 'success',
    prev_hash: prev.hash,
  };
  // Round-trip through JSON so the hash covers exactly what jsonb will give back.
  row.before = row.before === null ? null : JSON.parse(JSON.stringify(row.before));
  row.after = row.after === null ? null : JSON.parse(JSON.stringify(row.after));
  await appendAuditRow(trx, row, hashAuditRow(row));
}

/**
 * For refusals: the request's own transaction has rolled back, so the attempt is written in
 * a transaction of its own. Never throws: a failure to record is logged by the caller.
 */
export async function recordRefusal(db: Db, entry: AuditEntry): Promise<void> {
  await inTransaction(db, (trx) =>
    recordAudit(trx, { ...entry, outcome: entry.outcome ?? 'denied' }),
  );
}
