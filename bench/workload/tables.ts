import type { Sizes } from '../lib/case-runs.ts';
import {
  CEILING_COLUMNS,
  ceilingRows,
  TARGET_INSERT_SHARE,
  TARGET_PGLITE_RSS_MIB,
} from '../lib/lifecycle-report.ts';
import type { MeasuredRow } from '../lib/load-row.ts';
import type { PgbenchResult } from '../lib/pgbench.ts';
import { round } from '../lib/stats.ts';
import type { Column, Row, Table } from '../lib/types.ts';
import { CITY_PEAK_CASES_PER_SECOND } from './model.ts';
import type { GeneratorRun } from './spawn.ts';

/**
 * The workload benchmark's tables, each yimen figure beside the ceilings of the same run:
 * a summary, the steps, the ceilings. Ratios rather than raw figures are what hold from one
 * noisy machine to the next.
 */

/** Per step, p99 under 50 ms at (at least) a whole city's peak hour, on PostgreSQL. */
export const TARGET_STEP_P99_MS = 50;

const mib = (bytes: number) => bytes / 1024 ** 2;

export const WORKLOAD_STEP_COLUMNS: Column[] = [
  { key: 'step', label: 'step' },
  { key: 'requests', label: 'requests' },
  { key: 'errors', label: 'errors' },
  { key: 'throughput', label: 'throughput', unit: 'req/s', digits: 2 },
  { key: 'p50', label: 'p50', unit: 'ms', digits: 1 },
  { key: 'p95', label: 'p95', unit: 'ms', digits: 1 },
  { key: 'p99', label: 'p99', unit: 'ms', digits: 1 },
  { key: 'max', label: 'max', unit: 'ms', digits: 1 },
  { key: 'vsInsert', label: 'p50 ÷ plain INSERT p50', digits: 1 },
];

export function stepRows(run: GeneratorRun, insert: MeasuredRow, pg: boolean): Row[] {
  const floor = insert.stats.p50Ms;
  return run.report.steps
    .filter((s) => s.requests > 0)
    .map((s) => ({
      values: {
        step: s.step,
        requests: s.requests,
        errors: s.errors,
        throughput: round(s.throughput, 2),
        p50: round(s.p50, 1),
        p95: round(s.p95, 1),
        p99: round(s.p99, 1),
        max: round(s.max, 1),
        vsInsert: floor > 0 ? round(s.p50 / floor, 1) : null,
      },
      ...(pg ? { targets: { p99: { op: '<' as const, value: TARGET_STEP_P99_MS } } } : {}),
    }));
}

export const SUMMARY_COLUMNS: Column[] = [
  { key: 'what', label: 'measure' },
  { key: 'value', label: 'value', digits: 2 },
];

interface SummaryInput {
  pg: boolean;
  run: GeneratorRun;
  insert: MeasuredRow;
  before: Sizes;
  after: Sizes;
}

const perRequestUs = (ms: number | null, requests: number) =>
  ms === null ? null : Math.round((ms * 1000) / Math.max(1, requests));

export function summaryRows({ pg, run, insert, before, after }: SummaryInput): Row[] {
  const r = run.report.run;
  const cases = Math.max(1, r.casesDone + r.casesFailed);
  const per1000 = (a: number, b: number) => round((mib(b - a) / cases) * 1000, 2);
  const serverUs = perRequestUs(run.serverCpuMs, r.requests);
  const pgUs = perRequestUs(run.pgCpuMs, r.requests);
  const ours = (serverUs ?? 0) + (pgUs ?? 0);
  const cpu = (v: unknown) => (typeof v === 'number' ? v : 0);
  const theirs = cpu(insert.row.values.serverCpu) + cpu(insert.row.values.pgCpu);
  const seconds = (ms: number) => round(ms / 1000, 1);
  const row = (what: string, value: string | number | null, extra: Partial<Row> = {}): Row => ({
    values: { what, value },
    ...extra,
  });
  return [
    row(
      'cases concluded (failed) of those planned',
      `${r.casesDone} (${r.casesFailed}) of ${r.casesPlanned}`,
    ),
    row('requests (errors)', `${r.requests} (${r.errors})`),
    row('cases/s over the run', round((r.casesDone / r.wallMs) * 1000, 2)),
    row('requests/s over the run', Math.round((r.requests / r.wallMs) * 1000), { digits: 0 }),
    row(
      `busiest simulated hour (${r.peak.windowSeconds} s): cases/s`,
      round(r.peak.casesPerSecond, 2),
    ),
    row(
      `… as a multiple of the city’s real peak hour (${round(CITY_PEAK_CASES_PER_SECOND, 2)} cases/s)`,
      round(r.peak.cityPeakMultiple, 1),
      { digits: 1, targets: { value: { op: '>=', value: 1 } } },
    ),
    row('busiest simulated hour: requests/s', Math.round(r.peak.requestsPerSecond), { digits: 0 }),
    row(
      'busiest-hour requests/s ÷ the plain-INSERT server’s (a load, not a capacity)',
      round(r.peak.requestsPerSecond / insert.stats.throughput, 3),
      { digits: 3 },
    ),
    row(
      'wait for a free slot past the planned arrival, p50 / p99 (s)',
      `${seconds(r.lateMs.p50)} / ${seconds(r.lateMs.p99)}`,
    ),
    row(
      'server peak RSS (MiB)',
      run.serverPeakRssMiB === null ? null : Math.round(run.serverPeakRssMiB),
      {
        digits: 0,
        ...(pg ? {} : { targets: { value: { op: '<', value: TARGET_PGLITE_RSS_MIB } } }),
      },
    ),
    row('server CPU per request (µs)', serverUs, { digits: 0 }),
    row('PostgreSQL CPU per request (µs)', pgUs, { digits: 0 }),
    row(
      'requests/s that implies ÷ the plain-INSERT server’s (CPU-bound estimate: its server + ' +
        'PostgreSQL CPU per request ÷ ours)',
      ours > 0 && theirs > 0 ? round(theirs / ours, 3) : null,
      {
        digits: 3,
        ...(pg ? { targets: { value: { op: '>=', value: TARGET_INSERT_SHARE } } } : {}),
      },
    ),
    row('generator CPU per request (µs)', perRequestUs(run.generatorCpuMs, r.requests), {
      digits: 0,
    }),
    row('other work on the CPUs meanwhile (%)', Math.round(run.otherShare * 100), { digits: 0 }),
    row(
      pg
        ? 'database growth per 1,000 cases (MiB, pg_database_size)'
        : 'data directory growth per 1,000 cases (MiB, after a clean stop)',
      per1000(before.database, after.database),
    ),
    row(
      'uploaded scans per 1,000 cases (MiB, files/ beside the database)',
      per1000(before.files, after.files),
    ),
    row('setting up staff and places before the run (s, not timed)', seconds(run.report.setupMs), {
      digits: 1,
    }),
  ];
}

export function ceilingTable(
  label: string,
  run: GeneratorRun,
  measured: MeasuredRow[],
  pgbench: PgbenchResult | { error: string } | null,
  concurrency: number,
  requests: number,
): Table {
  const peakRps = run.report.run.peak.requestsPerSecond;
  return {
    title: `${label}: ceilings on the same machine and ${pgbench ? 'database' : 'data directory'}`,
    description:
      `Closed loop, concurrency ${concurrency}, ${requests.toLocaleString('en-US')} requests per ` +
      'row. The last column divides the workload’s requests/s in its busiest simulated hour by each.',
    columns: CEILING_COLUMNS.map((c) =>
      c.key === 'share' ? { ...c, label: 'yimen workload busiest-hour req/s ÷ this' } : c,
    ),
    rows: ceilingRows(peakRps, measured, pgbench),
  };
}
