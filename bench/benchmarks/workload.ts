import { countersNote, pgCounters, sizes, topGrowth } from '../lib/case-runs.ts';
import { bareCeiling, insertCeilings, insertServerEnv } from '../lib/ceilings.ts';
import { Cleanup } from '../lib/cleanup.ts';
import { requirePostgres } from '../lib/country-db.ts';
import { type LoadTarget, loadRow, type MeasuredRow } from '../lib/load-row.ts';
import { runPgbench } from '../lib/pgbench.ts';
import type { Benchmark, BenchmarkResult, RunContext, Table } from '../lib/types.ts';
import { type Backend, startYimen } from '../lib/yimen.ts';
import { CASES_PER_WORKING_DAY } from '../workload/model.ts';
import { runGenerator } from '../workload/spawn.ts';
import {
  ceilingTable,
  SUMMARY_COLUMNS,
  stepRows,
  summaryRows,
  TARGET_STEP_P99_MS,
  WORKLOAD_STEP_COLUMNS,
} from '../workload/tables.ts';

/** One seed for every run, so two runs of a profile plan the same cases. */
const SEED = 2020;

/**
 * BENCH_WORKLOAD_MINUTES boxes the generator's run on each database: when that much has
 * passed no new case starts and the report says how much of the plan was done. For the year
 * profile, which a small machine cannot finish in a day.
 */
function timeBoxMinutes(): number | null {
  const v = process.env.BENCH_WORKLOAD_MINUTES;
  if (v === undefined || v === '') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`BENCH_WORKLOAD_MINUTES must be a whole number of minutes ≥ 1, not "${v}"`);
  return n;
}

interface Part {
  tables: Table[];
  notes: string[];
}

async function onBackend(
  ctx: RunContext,
  cleanup: Cleanup,
  backend: Backend,
  bare: MeasuredRow,
): Promise<Part> {
  const pg = backend === 'postgres';
  const label = pg ? 'PostgreSQL' : 'PGlite';
  const p = ctx.profile;
  // X-Forwarded-For from the generator is each villager's phone: without it the SMS limit
  // per address (20 an hour) would stop the sign-ins, as it would behind an untrusted proxy.
  const y = await startYimen(ctx, cleanup, {
    backend,
    label: 'workload',
    env: { YIMEN_TRUST_PROXY: 'true' },
  });
  const target: LoadTarget = { ...y.server, backends: y.backends };
  await loadRow(ctx, target, 'warm-up', { path: () => '/health', requests: 500 });
  const health = await loadRow(ctx, target, 'yimen GET /health (Fastify, auth hook, SELECT 1)', {
    path: () => '/health',
    requests: p.ceilingRequests,
  });
  // PGlite's directory is only settled after a clean close.
  if (!pg) await y.stop();
  const before = await sizes(y);
  if (!pg) await y.start();
  const counters0 = pg ? await pgCounters(y.url!) : null;
  const cases = pg ? p.workloadCases : p.embeddedWorkloadCases;
  ctx.log(
    `${label}: ${cases.toLocaleString('en-US')} cases, ${p.workloadConcurrency} at a time, ` +
      `the busiest hour at ${p.workloadPeakMultiple}× the city's`,
  );
  const run = await runGenerator(ctx, y, {
    cases,
    concurrency: p.workloadConcurrency,
    villages: p.workloadVillages,
    peakMultiple: p.workloadPeakMultiple,
    seed: SEED,
    minutes: timeBoxMinutes(),
  });
  await y.stop();
  const after = await sizes(y);
  const counters1 = pg ? await pgCounters(y.url!) : null;
  const [constant, insert] = await insertCeilings(ctx, cleanup, insertServerEnv(y), y.backends);
  const pgbench = pg ? await runPgbench(ctx.signal) : null;

  const r = run.report;
  const counted = r.run.casesDone + r.run.casesFailed;
  const notes = [
    `${label}: items applied for, with their Zipf share: ` +
      r.items.map((i) => `${i.name} \`${i.code}\` ${Math.round(i.share * 100)}%`).join(', ') +
      '.',
    `${label}: outcomes: ` +
      Object.entries(r.run.outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      '.',
    ...r.errorSamples.map((e) => `${label}: ${e}`),
    ...[bare, health, constant!, insert!].flatMap((m) => m.errors.map((e) => `${label}: ${e}`)),
    `${label}: ${pg ? 'tables' : 'directories of the data directory'} that grew most, per ` +
      `1,000 cases: ${topGrowth(before, after, Math.max(1, counted))}.`,
  ];
  if (counters0 && counters1)
    notes.push(`${label}: ${countersNote(counters0, counters1, Math.max(1, counted))}.`);
  if (pgbench && 'error' in pgbench) notes.push(`pgbench: ${pgbench.error}`);
  const s = r.settings;
  const plural = (n: number, what: string) =>
    `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
  const boxed = r.run.timeBoxMinutes;
  if (boxed !== null) {
    const share = counted / s.cases;
    notes.unshift(
      `${label}: time-boxed at ${boxed} min (BENCH_WORKLOAD_MINUTES): ` +
        `${counted.toLocaleString('en-US')} of the plan's ${s.cases.toLocaleString('en-US')} cases ` +
        `ran, ${(share * 100).toFixed(2)}% — about ${(share * s.days).toFixed(1)} of its ${s.days} ` +
        'working days. The whole plan at this pace would take ' +
        `${(((r.run.wallMs / Math.max(1, counted)) * s.cases) / 3_600_000).toFixed(1)} h.`,
    );
  }
  return {
    tables: [
      {
        title:
          `${label}: the workload (${plural(s.cases, 'case')}, ${plural(s.days, 'working day')}` +
          (boxed === null
            ? ')'
            : `; time-boxed at ${boxed} min: ${counted.toLocaleString('en-US')} ran)`),
        description:
          `${s.villages} villages in ${s.townships} townships; each working day compressed into ` +
          `${s.daySeconds} s, planned so its busiest hour runs at ${s.peakMultiple.toFixed(1)}× ` +
          `the city’s real peak hour; at most ${s.concurrency} cases in flight; seed ${s.seed}. ` +
          'A wait for a free slot means the server fell behind the plan. Server CPU per request ' +
          'compared with the plain-INSERT server’s is the capacity figure that holds on a busy ' +
          'machine; requests/s here are the load the plan asked for.',
        columns: SUMMARY_COLUMNS,
        rows: summaryRows({ pg, run, insert: insert!, before, after }),
      },
      {
        title: `${label}: per step`,
        description:
          'Every request of the run, by step. The last column divides the median by the plain ' +
          'INSERT server’s on the same database.' +
          (pg
            ? ` Target: p99 under ${TARGET_STEP_P99_MS} ms for each step at no less than the city’s peak hour.`
            : ' No target: the embedded mode is not for a city.'),
        columns: WORKLOAD_STEP_COLUMNS,
        rows: stepRows(run, insert!, pg),
      },
      ceilingTable(
        label,
        run,
        [bare, constant!, health, insert!],
        pgbench,
        p.concurrency,
        p.ceilingRequests,
      ),
    ],
    notes,
  };
}

export const workload: Benchmark = {
  name: 'workload',
  description:
    'A year of Yiyang on one small machine (bench/workload, model in bench/workload/model.ts): ' +
    'the generator runs as its own process and drives yimen through its HTTP API as its users ' +
    'would. Residents (3.85 M over the 1,446 villages) apply, in proportion to their village’s ' +
    'people, for the catalogue items that run village → township end to end with no department ' +
    'system, chosen on a Zipf curve by their popularity; online 30%, at the counter 55%, by ' +
    'proxy 15% (with the villager’s SMS consent); arrivals follow office hours with a morning ' +
    `peak (15% of the day’s ${CASES_PER_WORKING_DAY.toLocaleString('en-US')} cases in each of the ` +
    'hours 9–11), the day compressed so that its busiest hour runs at the profile’s multiple ' +
    'of the real city’s peak hour (0.33 cases/s); 10% get a correction ' +
    'notice answered by the villager on the phone, 5% are denied, 3% are received across ' +
    'regions, 60% of concluded cases are rated; worklists, catalogue searches, certificate ' +
    'verifications and the leader’s figures are read along the way. Villagers are registered by ' +
    'their station’s agent when they first come, and sign in by SMS code (read from the demo ' +
    'log) when they first act themselves. Ceilings of the same run: the bare node:http server, ' +
    'a Fastify server answering a constant and doing one plain INSERT per request into the same ' +
    'database, yimen’s `/health`, and on PostgreSQL pgbench. `--profile year` runs about 2 M ' +
    'applications and takes many hours.',
  // The profile's own budget (workloadBudgetMinutes) applies; this only bounds the year.
  timeoutMs: 12 * 24 * 3_600_000,
  async run(outer): Promise<BenchmarkResult> {
    timeBoxMinutes(); // a bad value fails now, not after the first server has been set up
    const budget = AbortSignal.timeout(outer.profile.workloadBudgetMinutes * 60_000);
    const ctx: RunContext = { ...outer, signal: AbortSignal.any([outer.signal, budget]) };
    const cleanup = new Cleanup();
    try {
      const bare = await bareCeiling(ctx, cleanup);
      const parts: Part[] = [await onBackend(ctx, cleanup, 'pglite', bare)];
      let skipped: string | null = null;
      try {
        await requirePostgres();
      } catch (err) {
        skipped = (err as Error).message;
      }
      if (skipped === null) parts.push(await onBackend(ctx, cleanup, 'postgres', bare));
      const notes = parts.flatMap((p) => p.notes);
      if (skipped) notes.unshift(`PostgreSQL part skipped: ${skipped}`);
      return { tables: parts.flatMap((p) => p.tables), notes };
    } finally {
      await cleanup.run(ctx.log);
    }
  },
};
