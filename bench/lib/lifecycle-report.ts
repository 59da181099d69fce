import type { CaseRun, Sizes } from './case-runs.ts';
import type { MeasuredRow } from './load-row.ts';
import type { PgbenchResult } from './pgbench.ts';
import { round } from './stats.ts';
import type { Column, Row } from './types.ts';

/** The lifecycle benchmark's tables: the closed-loop summary and the ceilings. */

/** The whole case path should do at least half the requests a plain INSERT server does. */
export const TARGET_INSERT_SHARE = 0.5;
/** The embedded mode serves a station or a demonstration on a small machine. */
export const TARGET_PGLITE_RSS_MIB = 400;

export const SUMMARY_COLUMNS: Column[] = [
  { key: 'what', label: 'measure' },
  { key: 'value', label: 'value', digits: 2 },
];

export const CEILING_COLUMNS: Column[] = [
  { key: 'endpoint', label: 'ceiling' },
  { key: 'requests', label: 'requests' },
  { key: 'errors', label: 'errors' },
  { key: 'throughput', label: 'throughput', unit: 'req/s' },
  { key: 'p50', label: 'p50', unit: 'ms', digits: 2 },
  { key: 'p99', label: 'p99', unit: 'ms', digits: 2 },
  { key: 'rss', label: 'server peak RSS', unit: 'MiB' },
  { key: 'serverCpu', label: 'server CPU', unit: 'µs/req' },
  { key: 'pgCpu', label: 'PostgreSQL CPU', unit: 'µs/req' },
  { key: 'share', label: 'yimen lifecycle req/s ÷ this', digits: 3 },
];

export const requestsPerSecond = (r: CaseRun) => (r.log.requests() / r.wallMs) * 1000;

export function ceilingRows(
  yimenRps: number,
  measured: MeasuredRow[],
  pgbench: PgbenchResult | { error: string } | null,
): Row[] {
  const rows: Row[] = measured.map((m) => ({
    values: { ...m.row.values, share: round(yimenRps / m.stats.throughput, 3) },
  }));
  if (pgbench && 'tps' in pgbench) {
    rows.push({
      values: {
        endpoint: `pgbench, built-in simple-update (transactions/s; p50 column: mean latency): ${pgbench.command}`,
        requests: pgbench.transactions,
        errors: 0,
        throughput: Math.round(pgbench.tps),
        p50: pgbench.latencyMs,
        p99: null,
        rss: null,
        serverCpu: null,
        pgCpu: null,
        share: round(yimenRps / pgbench.tps, 3),
      },
    });
  }
  return rows;
}

const mib = (bytes: number) => bytes / 1024 ** 2;

export function summaryRows(opts: {
  pg: boolean;
  closed: CaseRun;
  open: CaseRun;
  insertRps: number;
  base: Sizes;
  after: Sizes;
  /** Cases between the two size readings. */
  cases: number;
}): Row[] {
  const { pg, closed, open } = opts;
  const rps = requestsPerSecond(closed);
  const perCase = (ms: number | null) =>
    ms === null ? null : round(ms / Math.max(1, closed.log.casesDone), 1);
  const growth = (a: number, b: number) => round((mib(b - a) / opts.cases) * 1000, 2);
  const rss = Math.max(closed.rssPeakMiB ?? 0, open.rssPeakMiB ?? 0);
  const l = closed.log;
  return [
    { values: { what: 'cases concluded (failed)', value: `${l.casesDone} (${l.casesFailed})` } },
    { values: { what: 'requests (errors)', value: `${l.requests()} (${l.errorCount()})` } },
    { values: { what: 'cases/s', value: round((l.casesDone / closed.wallMs) * 1000, 2) } },
    {
      values: { what: 'requests/s', value: Math.round(rps) },
      digits: 0,
      ...(pg
        ? {
            targets: {
              value: { op: '>=' as const, value: Math.round(opts.insertRps * TARGET_INSERT_SHARE) },
            },
          }
        : {}),
    },
    {
      values: {
        what: 'requests/s ÷ the plain-INSERT server’s requests/s',
        value: round(rps / opts.insertRps, 3),
      },
      digits: 3,
      ...(pg ? { targets: { value: { op: '>=' as const, value: TARGET_INSERT_SHARE } } } : {}),
    },
    {
      values: {
        what: 'server peak RSS over the closed and open loops (MiB)',
        value: Math.round(rss),
      },
      digits: 0,
      ...(pg ? {} : { targets: { value: { op: '<' as const, value: TARGET_PGLITE_RSS_MIB } } }),
    },
    { values: { what: 'server CPU per case (ms)', value: perCase(closed.serverCpuMs) } },
    { values: { what: 'PostgreSQL CPU per case (ms)', value: perCase(closed.pgCpuMs) } },
    { values: { what: 'client CPU per case (ms)', value: perCase(closed.clientCpuMs) } },
    {
      values: {
        what: 'other work on the CPUs meanwhile (%)',
        value: Math.round(closed.otherShare * 100),
      },
      digits: 0,
    },
    {
      values: {
        what: pg
          ? 'database growth per 1,000 cases (MiB, pg_database_size)'
          : 'data directory growth per 1,000 cases (MiB, after a clean stop)',
        value: growth(opts.base.database, opts.after.database),
      },
    },
    {
      values: {
        what: 'uploaded scans per 1,000 cases (MiB, files/ beside the database)',
        value: growth(opts.base.files, opts.after.files),
      },
    },
  ];
}
