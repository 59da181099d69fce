import type { AUDIT_BREAK_REASONS } from '@yimen/core';
import type { Db } from '../../db/connection.ts';
import {
  type AuditRow,
  auditRowsInChainOrder,
  auditRowsOfChain,
  type ChainHead,
  chainHeads,
  headsWithoutRows,
} from './audit.repo.ts';
import { GENESIS_HASH, hashAuditRow } from './audit-chain.ts';

type AuditBreakReason = (typeof AUDIT_BREAK_REASONS)[number];

/** Where a chain stops being trustworthy: the first row (or missing row) that fails. */
interface AuditBreak {
  chain: string;
  seq: number;
  /** null when the row itself is missing. */
  id: number | null;
  reason: AuditBreakReason;
  action: string | null;
  occurredAt: string | null;
  detail: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  chains: number;
  rows: number;
  durationMs: number;
  firstBroken?: AuditBreak;
  /** The first break of each broken chain, in chain order, at most MAX_REPORTED. */
  broken: AuditBreak[];
  brokenChains: number;
}

const PAGE_SIZE = 5_000;
const MAX_REPORTED = 100;

interface ChainWalk {
  chain: string;
  lastSeq: number;
  lastHash: string;
  lastRow: AuditRow | null;
  broken: AuditBreak | null;
}

function breakAt(
  walk: ChainWalk,
  row: AuditRow | null,
  seq: number,
  reason: AuditBreakReason,
  detail: string,
): void {
  walk.broken = {
    chain: walk.chain,
    seq,
    id: row ? Number(row.id) : null,
    reason,
    action: row?.action ?? null,
    occurredAt: row ? new Date(row.occurred_at).toISOString() : null,
    detail,
  };
}

/** Checks one row against the chain so far: its place, its link back, its own hash. */
function walkRow(walk: ChainWalk, row: AuditRow): void {
  if (walk.broken) return;
  const seq = Number(row.seq);
  const expected = walk.lastSeq + 1;
  if (seq !== expected) {
    breakAt(walk, row, seq, 'gap', `expected seq ${expected}, found ${seq}: rows are missing`);
  } else if (row.prev_hash !== walk.lastHash) {
    breakAt(
      walk,
      row,
      seq,
      'prev_hash_mismatch',
      `prev_hash does not match the hash of seq ${walk.lastSeq}: that row was replaced or this link edited`,
    );
  } else if (hashAuditRow({ ...row, seq }) !== row.hash) {
    breakAt(walk, row, seq, 'hash_mismatch', 'the row no longer matches its hash: edited in place');
  }
  walk.lastSeq = seq;
  walk.lastHash = row.hash;
  walk.lastRow = row;
}

/**
 * The head is read after the chain's rows, so rows written meanwhile are fetched and walked
 * too: a head ahead of the last row is only a break when those rows do not exist. That keeps
 * a verify on a live server free of false alarms without one long transaction.
 */
async function checkHead(
  db: Db,
  walk: ChainWalk,
  head: ChainHead | undefined,
  pageSize: number,
): Promise<number> {
  if (walk.broken) return 0;
  if (!head) {
    breakAt(walk, walk.lastRow, walk.lastSeq, 'head_mismatch', 'the chain has no head row');
    return 0;
  }
  let caughtUp = 0;
  while (head.seq > walk.lastSeq && !walk.broken) {
    const more = await auditRowsOfChain(db, walk.chain, walk.lastSeq, head.seq, pageSize);
    for (const row of more) walkRow(walk, row);
    caughtUp += more.length;
    if (more.length < pageSize) break;
  }
  if (walk.broken) return caughtUp;
  if (head.seq > walk.lastSeq) {
    breakAt(
      walk,
      null,
      walk.lastSeq + 1,
      'head_mismatch',
      `the chain head says seq ${head.seq} but the chain ends at seq ${walk.lastSeq}: its last rows were deleted`,
    );
  } else if (head.seq < walk.lastSeq) {
    breakAt(
      walk,
      walk.lastRow,
      walk.lastSeq,
      'head_mismatch',
      `rows go on past the chain head (seq ${head.seq}): the head was set back`,
    );
  } else if (head.hash !== walk.lastHash) {
    breakAt(
      walk,
      walk.lastRow,
      walk.lastSeq,
      'head_mismatch',
      'the last row is not the one the chain head recorded: it was replaced',
    );
  }
  return caughtUp;
}

/**
 * Walks every chain (or one) in seq order, a page at a time, recomputing each row's hash
 * from its stored columns and checking the links, the numbering from 1 and the chain head.
 * Chains are independent, so one broken chain does not stop the others being checked.
 */
export async function verifyAuditChains(
  db: Db,
  opts: { chain?: string | undefined; pageSize?: number } = {},
): Promise<AuditVerifyResult> {
  const started = performance.now();
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const walks: ChainWalk[] = [];
  let rows = 0;
  let current: ChainWalk | null = null;
  let pending: ChainWalk[] = [];
  const finish = async (done: ChainWalk[]) => {
    const heads = await chainHeads(
      db,
      done.filter((w) => !w.broken).map((w) => w.chain),
    );
    for (const walk of done) rows += await checkHead(db, walk, heads.get(walk.chain), pageSize);
  };

  let after: { chain: string; seq: number } | null = null;
  for (;;) {
    const page = await auditRowsInChainOrder(db, { chain: opts.chain, after, limit: pageSize });
    for (const row of page) {
      if (current?.chain !== row.chain) {
        if (current) pending.push(current);
        current = newWalk(row.chain);
        walks.push(current);
      }
      walkRow(current, row);
    }
    rows += page.length;
    // The chain still being read may go on in the next page; the others are complete.
    if (pending.length > 0) await finish(pending);
    pending = [];
    const last = page[page.length - 1];
    if (page.length < pageSize || !last) break;
    after = { chain: last.chain, seq: Number(last.seq) };
  }
  if (current) await finish([current]);

  for (const head of await headsWithoutRows(db, opts.chain)) {
    const walk = newWalk(head.chain);
    walks.push(walk);
    breakAt(
      walk,
      null,
      1,
      'head_mismatch',
      `the chain head says seq ${head.seq} but no rows are left: the chain was deleted`,
    );
  }

  const broken = walks.flatMap((w) => (w.broken ? [w.broken] : []));
  return {
    ok: broken.length === 0,
    chains: walks.length,
    rows,
    durationMs: Math.round(performance.now() - started),
    ...(broken[0] ? { firstBroken: broken[0] } : {}),
    broken: broken.slice(0, MAX_REPORTED),
    brokenChains: broken.length,
  };
}

function newWalk(chain: string): ChainWalk {
  return { chain, lastSeq: 0, lastHash: GENESIS_HASH, lastRow: null, broken: null };
}

/** What `yimen audit verify` prints. */
export function formatVerifyReport(result: AuditVerifyResult, chain?: string): string {
  const lines = [
    `audit trail: ${result.chains} chains, ${result.rows} rows checked in ${(result.durationMs / 1000).toFixed(2)} s`,
  ];
  if (chain !== undefined && result.chains === 0) lines.push(`(no chain named ${chain})`);
  if (result.ok) {
    lines.push('✔ intact / 审计链完整');
    return lines.join('\n');
  }
  const b = result.firstBroken!;
  lines.push(
    `✘ broken / 审计链被篡改: ${result.brokenChains} chain(s); the first broken row:`,
    `  id:          ${b.id ?? '(missing)'}`,
    `  chain:       ${b.chain}`,
    `  seq:         ${b.seq}`,
    `  reason:      ${b.reason} — ${b.detail}`,
    `  action:      ${b.action ?? '-'}`,
    `  occurred_at: ${b.occurredAt ?? '-'}`,
  );
  for (const other of result.broken.slice(1, 10)) {
    lines.push(`  also: chain ${other.chain} seq ${other.seq} (${other.reason})`);
  }
  return lines.join('\n');
}
