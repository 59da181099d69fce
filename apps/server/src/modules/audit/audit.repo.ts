import { type Selectable, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { AuditLogTable } from '../../db/schema.ts';
import { type ChainedFields, GENESIS_HASH } from './audit-chain.ts';

export type AuditRow = Selectable<AuditLogTable>;
export interface ChainHead {
  chain: string;
  seq: number;
  hash: string;
}

interface AuditFilter {
  /** Region prefix the rows must lie in; undefined for everything, rows without a region too. */
  within: string | undefined;
  action: string | undefined;
  actorUserId: string | undefined;
  /** The actor as the row names them (username for staff). */
  actorName?: string | undefined;
  targetType: string | undefined;
  targetId: string | undefined;
  requestId: string | undefined;
  outcome: AuditRow['outcome'] | undefined;
  from: Date | undefined;
  to: Date | undefined;
}

/**
 * Locks the chain's head for the rest of the transaction and answers it. The head row is
 * made the first time a chain is used; a concurrent maker waits on the unique key and then
 * finds the row the other one committed.
 */
export async function lockChainHead(trx: Db, chain: string): Promise<ChainHead> {
  const select = sql<ChainHead>`
    SELECT chain, seq, hash FROM audit_chain_head WHERE chain = ${chain} FOR UPDATE`;
  let head = (await select.execute(trx)).rows[0];
  if (!head) {
    await sql`INSERT INTO audit_chain_head (chain, seq, hash) VALUES (${chain}, 0, ${GENESIS_HASH})
              ON CONFLICT (chain) DO NOTHING`.execute(trx);
    head = (await select.execute(trx)).rows[0]!;
  }
  return { ...head, seq: Number(head.seq) };
}

/** The row and the chain's new head, together, in the transaction holding the head. */
export async function appendAuditRow(trx: Db, row: ChainedFields, hash: string): Promise<void> {
  // One statement: the head moves in a CTE of the row's INSERT.
  await trx
    .with('head', (db) =>
      db.updateTable('audit_chain_head').set({ seq: row.seq, hash }).where('chain', '=', row.chain),
    )
    .insertInto('audit_log')
    .values({
      ...row,
      outcome: row.outcome as AuditRow['outcome'],
      // jsonb parameters go as JSON text, so a string value stays a JSON string.
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
      hash,
    })
    .execute();
}

function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Newest first; `beforeId` is the last id of the previous page. */
export function listAuditRows(
  db: Db,
  filter: AuditFilter,
  limit: number,
  beforeId: number | undefined,
): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
  if (filter.within !== undefined) {
    q = q.where('region_code', 'like', `${likeEscape(filter.within)}%`);
  }
  if (filter.action?.endsWith('*')) {
    q = q.where('action', 'like', `${likeEscape(filter.action.slice(0, -1))}%`);
  } else if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.actorUserId) q = q.where('actor_user_id', '=', filter.actorUserId);
  if (filter.actorName) q = q.where('actor_name', '=', filter.actorName);
  if (filter.targetType) q = q.where('target_type', '=', filter.targetType);
  if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
  if (filter.requestId) q = q.where('request_id', '=', filter.requestId);
  if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
  if (filter.from) q = q.where('occurred_at', '>=', filter.from);
  if (filter.to) q = q.where('occurred_at', '<', filter.to);
  if (beforeId !== undefined) q = q.where('id', '<', beforeId);
  return q.execute();
}

/**
 * One page of the whole trail in chain order, after the (chain, seq) position given; the
 * (chain, seq) unique index serves it, so verifying never holds more than a page.
 */
export function auditRowsInChainOrder(
  db: Db,
  opts: { chain: string | undefined; after: { chain: string; seq: number } | null; limit: number },
): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('chain').orderBy('seq').limit(opts.limit);
  if (opts.chain !== undefined) q = q.where('chain', '=', opts.chain);
  const after = opts.after;
  if (after) {
    q = q.where((eb) => eb(eb.refTuple('chain', 'seq'), '>', eb.tuple(after.chain, after.seq)));
  }
  return q.execute();
}

/** Rows of one chain with afterSeq < seq <= uptoSeq: those written while a verify ran. */
export function auditRowsOfChain(
  db: Db,
  chain: string,
  afterSeq: number,
  uptoSeq: number,
  limit: number,
): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('chain', '=', chain)
    .where('seq', '>', afterSeq)
    .where('seq', '<=', uptoSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function chainHeads(db: Db, chains: string[]): Promise<Map<string, ChainHead>> {
  if (chains.length === 0) return new Map();
  const rows = await db
    .selectFrom('audit_chain_head')
    .select(['chain', 'seq', 'hash'])
    .where('chain', 'in', chains)
    .execute();
  return new Map(rows.map((r) => [r.chain, { ...r, seq: Number(r.seq) }]));
}

/** Heads that promise rows none of which are left: a chain deleted whole. */
export async function headsWithoutRows(db: Db, chain: string | undefined): Promise<ChainHead[]> {
  let q = db
    .selectFrom('audit_chain_head as h')
    .select(['h.chain', 'h.seq', 'h.hash'])
    .where('h.seq', '>', 0)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('audit_log as l').select('l.id').whereRef('l.chain', '=', 'h.chain'))),
    )
    .orderBy('h.chain');
  if (chain !== undefined) q = q.where('h.chain', '=', chain);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** The id of the case with this number, which its audit rows name as their target. */
export async function applicationIdByNo(db: Db, applicationNo: string): Promise<string | null> {
  const row = await db
    .selectFrom('application')
    .select('id')
    .where('application_no', '=', applicationNo)
    .executeTakeFirst();
  return row?.id ?? null;
}
