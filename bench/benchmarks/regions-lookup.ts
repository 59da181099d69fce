import os from 'node:os';
import { Cleanup, tempDir } from '../lib/cleanup.ts';
import { COUNTRY_DB, countryDatabase } from '../lib/country-db.ts';
import { type LoadStats, runLoad } from '../lib/load.ts';
import { machineBusyMs } from '../lib/machine.ts';
import { adminUrl, backendPids, redactUrl, serverVersion } from '../lib/postgres.ts';
import { cpuByPid, cpuSinceMs, readCpuMs, sampleRss } from '../lib/proc.ts';
import {
  CHILDREN_MIX,
  type Pool,
  pathMaker,
  poolSize,
  REGION_MIX,
  samplePostgres,
  sampleViaApi,
} from '../lib/region-codes.ts';
import { BARE_SERVER_ARGS, startServer } from '../lib/server.ts';
import { round } from '../lib/stats.ts';
import type { Benchmark, BenchmarkResult, Row, RunContext, Table } from '../lib/types.ts';

/** A lookup sits under every screen that shows a place: it must stay far below a frame. */
const TARGET_P99_MS = 5;

const COLUMNS: Table['columns'] = [
  { key: 'endpoint', label: 'request' },
  { key: 'requests', label: 'requests' },
  { key: 'errors', label: 'errors' },
  { key: 'throughput', label: 'throughput', unit: 'req/s' },
  { key: 'p50', label: 'p50', unit: 'ms', digits: 2 },
  { key: 'p95', label: 'p95', unit: 'ms', digits: 2 },
  { key: 'p99', label: 'p99', unit: 'ms', digits: 2 },
  { key: 'max', label: 'max', unit: 'ms', digits: 1 },
  { key: 'rss', label: 'server peak RSS', unit: 'MiB' },
  { key: 'serverCpu', label: 'server CPU', unit: 'µs/req' },
  { key: 'pgCpu', label: 'PostgreSQL CPU', unit: 'µs/req' },
  { key: 'clientCpu', label: 'client CPU', unit: 'µs/req' },
  { key: 'other', label: 'other work on the CPUs', unit: '%' },
];

interface Measured {
  rows: Row[];
  errors: string[];
}

interface Target {
  baseUrl: string;
  pid: number;
  /** PostgreSQL backends serving this server, when PostgreSQL runs on this machine. */
  backends?: () => Promise<number[]>;
}

/**
 * One load run against a server, with its RSS peak and the CPU it spent per request (read
 * from /proc, so it holds even when other work shares the machine and latency does not).
 */
async function loadRow(
  ctx: RunContext,
  server: Target,
  name: string,
  path: () => string,
  requests: number,
  target: boolean,
): Promise<Measured> {
  const { concurrency, client } = ctx.profile;
  ctx.log(`${name}: ${requests} requests, concurrency ${concurrency}`);
  const rss = sampleRss(server.pid);
  const cpuBefore = readCpuMs(server.pid);
  const pgBefore = server.backends ? cpuByPid(await server.backends()) : null;
  const machineBefore = machineBusyMs();
  const s = await runLoad({
    baseUrl: server.baseUrl,
    path,
    concurrency,
    requests,
    client,
    signal: ctx.signal,
  });
  const machineMs = machineBusyMs() - machineBefore;
  const { peakMiB, cpuMs } = rss.stop();
  const serverCpu =
    cpuBefore === null || cpuMs === null ? null : ((cpuMs - cpuBefore) * 1000) / s.requests;
  const pgAfter = server.backends && pgBefore ? cpuByPid(await server.backends()) : null;
  const pgCpu =
    pgBefore && pgAfter && pgAfter.size > 0
      ? (cpuSinceMs(pgBefore, pgAfter) * 1000) / s.requests
      : null;
  // Whatever the machine did beyond the server, its backends and the client: other work
  // sharing the CPUs during this run, which makes its latencies worse than the code's.
  const oursMs = ((serverCpu ?? 0) + (pgCpu ?? 0) + s.clientCpuUs) * (s.requests / 1000);
  const otherShare = Math.max(0, machineMs - oursMs) / (s.durationMs * os.availableParallelism());
  ctx.log(`  ${Math.round(s.throughput)} req/s, p99 ${s.p99Ms.toFixed(2)} ms, ${s.errors} errors`);
  const row: Row = {
    values: {
      endpoint: name,
      requests: s.requests,
      errors: s.errors,
      throughput: Math.round(s.throughput),
      p50: round(s.p50Ms, 2),
      p95: round(s.p95Ms, 2),
      p99: round(s.p99Ms, 2),
      max: round(s.maxMs, 1),
      rss: peakMiB === null ? null : Math.round(peakMiB),
      serverCpu: serverCpu === null ? null : Math.round(serverCpu),
      pgCpu: pgCpu === null ? null : Math.round(pgCpu),
      clientCpu: Math.round(s.clientCpuUs),
      other: Math.round(otherShare * 100),
    },
    ...(target ? { targets: { p99: { op: '<' as const, value: TARGET_P99_MS } } } : {}),
  };
  return { rows: [row], errors: errorNotes(name, s) };
}

function errorNotes(name: string, s: LoadStats): string[] {
  return s.errorSamples.map((e) => `${name}: ${s.errors} errors, e.g. ${e}`);
}

/** Warm-up of both lookups, then the /health baseline and each lookup on its own. */
async function measureServer(
  ctx: RunContext,
  server: Target,
  pool: Pool,
  requests: number,
  target: boolean,
): Promise<Measured> {
  const region = pathMaker(pool, REGION_MIX, '', 1);
  const children = pathMaker(pool, CHILDREN_MIX, '/children?limit=50', 2);
  const { warmupRequests } = ctx.profile;
  const mixed = (() => {
    let i = 0;
    return () => (i++ % 2 ? region() : children());
  })();
  await loadRow(ctx, server, 'warm-up', mixed, warmupRequests, false);
  const runs = [
    await loadRow(ctx, server, 'GET /health (baseline)', () => '/health', requests, false),
    await loadRow(ctx, server, 'GET /api/v1/regions/{code}', region, requests, target),
    await loadRow(
      ctx,
      server,
      'GET /api/v1/regions/{code}/children?limit=50',
      children,
      requests,
      target,
    ),
  ];
  return { rows: runs.flatMap((r) => r.rows), errors: runs.flatMap((r) => r.errors) };
}

/** The harness floor: the same client against a server that does nothing. */
async function onBareServer(ctx: RunContext, cleanup: Cleanup): Promise<Measured> {
  const bare = await startServer({
    env: {},
    args: BARE_SERVER_ARGS,
    timeoutMs: 30_000,
    signal: ctx.signal,
  });
  cleanup.defer('stop the bare server', () => bare.stop());
  const name = 'bare node:http server (harness floor)';
  await loadRow(ctx, bare, 'warm-up', () => '/', ctx.profile.warmupRequests, false);
  const measured = await loadRow(ctx, bare, name, () => '/', ctx.profile.lookupRequests, false);
  await bare.stop();
  return measured;
}

async function onPostgres(
  ctx: RunContext,
  cleanup: Cleanup,
  floor: Measured,
): Promise<Measured & { table: Table }> {
  const url = await countryDatabase(ctx);
  const { pool, regions } = await samplePostgres(url);
  // A data directory of its own, so nothing the server keeps locally lands in ./data.
  const dataDir = tempDir(cleanup, 'lookup-pg');
  const env = { DATABASE_URL: url, YIMEN_DATA_DIR: dataDir };
  const server = await startServer({ env, timeoutMs: 60_000, signal: ctx.signal });
  cleanup.defer('stop the PostgreSQL server', () => server.stop());
  const target = { ...server, backends: () => backendPids(COUNTRY_DB) };
  const measured = await measureServer(ctx, target, pool, ctx.profile.lookupRequests, true);
  await server.stop();
  const table: Table = {
    title: `PostgreSQL, whole country (${regions.toLocaleString('en-US')} regions)`,
    description:
      `Concurrency ${ctx.profile.concurrency}, ${ctx.profile.lookupRequests.toLocaleString('en-US')} ` +
      `requests per row, drawn from ${poolSize(pool).toLocaleString('en-US')} sampled codes. ` +
      'The server runs with its default pool of 10 connections.',
    columns: COLUMNS,
    rows: [...floor.rows, ...measured.rows],
  };
  return { rows: table.rows, errors: [...floor.errors, ...measured.errors], table };
}

/**
 * Little's law for a closed loop: with every CPU busy, throughput is capped at CPUs ÷ CPU
 * per request, and mean latency cannot drop below concurrency ÷ that cap. Spelled out
 * under the table because it tells whether a latency target is a code or a machine problem.
 */
function cpuBudgetNote(ctx: RunContext, row: Row | undefined): string | null {
  const v = row?.values;
  const parts = [v?.serverCpu, v?.pgCpu, v?.clientCpu];
  if (!v || parts.some((p) => typeof p !== 'number')) return null;
  const total = (parts as number[]).reduce((a, b) => a + b, 0);
  const cpus = os.availableParallelism();
  const cap = (cpus * 1e6) / total;
  const floorMs = (ctx.profile.concurrency / cap) * 1000;
  return (
    `${v.endpoint}: server ${v.serverCpu} + PostgreSQL ${v.pgCpu} + client ${v.clientCpu} = ` +
    `${total} µs of CPU per request. On ${cpus} CPUs that caps throughput near ` +
    `${Math.round(cap).toLocaleString('en-US')} req/s, so with ${ctx.profile.concurrency} requests ` +
    `always in flight the mean latency cannot fall below ${floorMs.toFixed(1)} ms on this machine.`
  );
}

async function onEmbedded(ctx: RunContext, cleanup: Cleanup): Promise<Measured & { table: Table }> {
  const dataDir = tempDir(cleanup, 'lookup');
  ctx.log('starting on the embedded database (its first start loads Yiyang)');
  const env = { YIMEN_DATA_DIR: dataDir };
  const server = await startServer({ env, timeoutMs: 180_000, signal: ctx.signal });
  cleanup.defer('stop the embedded server', () => server.stop());
  const pool = await sampleViaApi(server.baseUrl, '43', ctx.signal);
  const requests = ctx.profile.embeddedLookupRequests;
  const measured = await measureServer(ctx, server, pool, requests, false);
  const table: Table = {
    title: 'Embedded database (PGlite), Yiyang only',
    description:
      `Concurrency ${ctx.profile.concurrency}, ${requests.toLocaleString('en-US')} requests per ` +
      `row, drawn from all ${poolSize(pool).toLocaleString('en-US')} of Yiyang’s regions. PGlite ` +
      'has one connection, so requests queue for it. No target: the embedded mode serves one ' +
      'station or a demonstration.',
    columns: COLUMNS,
    rows: measured.rows,
  };
  return { ...measured, table };
}

export const regionsLookup: Benchmark = {
  name: 'regions-lookup',
  description:
    'HTTP load on the region lookups from the bench process: `GET /api/v1/regions/{code}` for ' +
    'codes sampled from the database (shares per level: village 40%, township 30%, county 15%, ' +
    'city 10%, province 5%) and `GET /api/v1/regions/{code}/children?limit=50` for codes that ' +
    'have children (township 40%, county 30%, city 20%, province 10%), after a warm-up of both, ' +
    'with `GET /health` on the same server as a baseline.',
  timeoutMs: 20 * 60_000,
  async run(ctx): Promise<BenchmarkResult> {
    const cleanup = new Cleanup();
    try {
      const floor = await onBareServer(ctx, cleanup);
      const parts: (Measured & { table: Table })[] = [];
      const notes: string[] = [];
      if ((await serverVersion()) === null) {
        notes.push(`PostgreSQL part skipped: no server at ${redactUrl(adminUrl())}.`);
        parts.push({
          ...floor,
          table: { title: 'Harness floor', columns: COLUMNS, rows: floor.rows },
        });
      } else {
        const pg = await onPostgres(ctx, cleanup, floor);
        parts.push(pg);
        for (const row of pg.rows.filter((r) => String(r.values.endpoint).startsWith('GET /api'))) {
          const note = cpuBudgetNote(ctx, row);
          if (note) notes.push(note);
        }
      }
      parts.push(await onEmbedded(ctx, cleanup));
      notes.push(...parts.flatMap((p) => p.errors).map((e) => `error sample: ${e}`));
      return { tables: parts.map((p) => p.table), notes };
    } finally {
      await cleanup.run(ctx.log);
    }
  },
};
