import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Chain, closedLoop, openLoop, REQUESTS_PER_CASE, STEPS, StepLog } from './cases.ts';
import { machineBusyMs } from './machine.ts';
import { withClient } from './postgres.ts';
import { cpuByPid, cpuSinceMs, readCpuMs, sampleRss } from './proc.ts';
import { round } from './stats.ts';
import type { Row, RunContext, Target } from './types.ts';
import { dirBytes, type Yimen } from './yimen.ts';

/** One lifecycle run (closed or open loop) with what it cost the server and the database. */
export interface CaseRun {
  log: StepLog;
  wallMs: number;
  rssPeakMiB: number | null;
  serverCpuMs: number | null;
  pgCpuMs: number | null;
  clientCpuMs: number;
  /** Share of all CPUs busy with something else than the server, its backends and the client. */
  otherShare: number;
}

export async function measureCases(
  ctx: RunContext,
  y: Yimen,
  chains: Chain[],
  mode:
    | { closed: { workers: number; cases: number } }
    | { open: { perSecond: number; seconds: number } },
): Promise<CaseRun> {
  const log = new StepLog();
  const pid = y.server.pid;
  const rss = sampleRss(pid);
  const cpu0 = readCpuMs(pid);
  const pg0 = cpuByPid(await y.backends());
  const client0 = process.cpuUsage();
  const machine0 = machineBusyMs();
  const t0 = performance.now();
  if ('closed' in mode) {
    ctx.log(`closed loop: ${mode.closed.cases} cases, ${mode.closed.workers} case-workers`);
    await closedLoop(y.api, chains, log, { ...mode.closed, signal: ctx.signal });
  } else {
    ctx.log(`open loop: ${mode.open.perSecond} case/s for ${mode.open.seconds} s`);
    await openLoop(y.api, chains, log, { ...mode.open, signal: ctx.signal });
  }
  const wallMs = performance.now() - t0;
  const client = process.cpuUsage(client0);
  const { peakMiB, cpuMs } = rss.stop();
  const pg1 = cpuByPid(await y.backends());
  const serverCpuMs = cpu0 === null || cpuMs === null ? null : cpuMs - cpu0;
  const pgCpuMs = pg1.size > 0 ? cpuSinceMs(pg0, pg1) : null;
  const clientCpuMs = (client.user + client.system) / 1000;
  const ours = (serverCpuMs ?? 0) + (pgCpuMs ?? 0) + clientCpuMs;
  const other = (machineBusyMs() - machine0 - ours) / (wallMs * os.availableParallelism());
  ctx.log(
    `  ${log.casesDone} cases (${log.casesFailed} failed) in ${(wallMs / 1000).toFixed(1)} s, ` +
      `${((log.requests() / wallMs) * 1000).toFixed(0)} req/s, peak RSS ${Math.round(peakMiB ?? 0)} MiB`,
  );
  return {
    log,
    wallMs,
    rssPeakMiB: peakMiB,
    serverCpuMs,
    pgCpuMs,
    clientCpuMs,
    otherShare: Math.max(0, other),
  };
}

/** Per-step latencies of a run as table rows; `p99Below` marks the target where it applies. */
export function stepRows(run: CaseRun, p99Below?: number): Row[] {
  const rows: Row[] = STEPS.map((step) => {
    const s = run.log.summary(step);
    const targets: Record<string, Target> | undefined =
      p99Below === undefined ? undefined : { p99: { op: '<', value: p99Below } };
    return {
      values: {
        step,
        requests: s.requests,
        errors: s.errors,
        p50: round(s.p50, 1),
        p95: round(s.p95, 1),
        p99: round(s.p99, 1),
        max: round(s.max, 1),
      },
      ...(targets ? { targets } : {}),
    };
  });
  const whole = Float64Array.from(run.log.caseMs).sort();
  const at = (p: number) =>
    whole.length
      ? whole[Math.min(whole.length, Math.ceil((p / 100) * whole.length)) - 1]!
      : Number.NaN;
  rows.push({
    values: {
      step: `whole case (${REQUESTS_PER_CASE} requests, one after another)`,
      requests: run.log.casesDone,
      errors: run.log.casesFailed,
      p50: round(at(50), 1),
      p95: round(at(95), 1),
      p99: round(at(99), 1),
      max: round(at(100), 1),
    },
  });
  return rows;
}

export const STEP_COLUMNS = [
  { key: 'step', label: 'step' },
  { key: 'requests', label: 'requests' },
  { key: 'errors', label: 'errors' },
  { key: 'p50', label: 'p50', unit: 'ms', digits: 1 },
  { key: 'p95', label: 'p95', unit: 'ms', digits: 1 },
  { key: 'p99', label: 'p99', unit: 'ms', digits: 1 },
  { key: 'max', label: 'max', unit: 'ms', digits: 1 },
];

/** Disk the cases take: the database (pg_database_size or PGlite's directory), its largest tables, the scans. */
export interface Sizes {
  database: number;
  files: number;
  relations: Map<string, number>;
}

export async function sizes(y: Yimen): Promise<Sizes> {
  const files = dirBytes(path.join(y.dataDir, 'files'));
  if (!y.url) {
    // PGlite: the directory, and what is in it (base/ the tables, pg_wal/ the log…).
    const db = path.join(y.dataDir, 'db');
    const parts = fs.readdirSync(db, { withFileTypes: true }).filter((e) => e.isDirectory());
    const relations = new Map(parts.map((e) => [`${e.name}/`, dirBytes(path.join(db, e.name))]));
    return { database: dirBytes(db), files, relations };
  }
  return withClient(y.url, async (c) => {
    const db = await c.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b');
    const rel = await c.query<{ name: string; b: string }>(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS b FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`,
    );
    return {
      database: Number(db.rows[0]?.b ?? 0),
      files,
      relations: new Map(rel.rows.map((r) => [r.name, Number(r.b)])),
    };
  });
}

/** The tables that grew most, per 1,000 cases, as "audit_log 1.2 MiB". */
export function topGrowth(before: Sizes, after: Sizes, cases: number, top = 8): string {
  const growth = [...after.relations]
    .map(([name, b]) => [name, b - (before.relations.get(name) ?? 0)] as const)
    .filter(([, d]) => d > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  return growth
    .map(([name, d]) => `${name} ${(((d / cases) * 1000) / 1024 ** 2).toFixed(2)} MiB`)
    .join(', ');
}

/** What PostgreSQL did, from its cumulative statistics: transactions, rows, scans. */
export interface PgCounters {
  commits: number;
  inserted: number;
  updated: number;
  fetched: number;
  seqScans: number;
  idxScans: number;
}

export async function pgCounters(url: string): Promise<PgCounters> {
  return withClient(url, async (c) => {
    const d = await c.query<Record<string, string>>(
      `SELECT xact_commit, tup_inserted, tup_updated, tup_fetched FROM pg_stat_database
       WHERE datname = current_database()`,
    );
    const t = await c.query<Record<string, string>>(
      `SELECT COALESCE(SUM(seq_scan), 0) AS seq, COALESCE(SUM(idx_scan), 0) AS idx
       FROM pg_stat_user_tables`,
    );
    const r = d.rows[0]!;
    return {
      commits: Number(r.xact_commit),
      inserted: Number(r.tup_inserted),
      updated: Number(r.tup_updated),
      fetched: Number(r.tup_fetched),
      seqScans: Number(t.rows[0]!.seq),
      idxScans: Number(t.rows[0]!.idx),
    };
  });
}

/** Per case, as a sentence; the two readings must bracket only the measured cases. */
export function countersNote(a: PgCounters, b: PgCounters, cases: number): string {
  const per = (k: keyof PgCounters) => ((b[k] - a[k]) / cases).toFixed(1);
  return (
    `per case, PostgreSQL committed ${per('commits')} transactions, inserted ${per('inserted')} ` +
    `rows, updated ${per('updated')}, fetched ${per('fetched')} by index, and ran ` +
    `${per('idxScans')} index scans and ${per('seqScans')} sequential scans (pg_stat_database, ` +
    'pg_stat_user_tables, read with the server stopped so every backend had flushed)'
  );
}
