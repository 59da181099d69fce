import os from 'node:os';
import { type LoadStats, runLoad } from './load.ts';
import { machineBusyMs } from './machine.ts';
import { cpuByPid, cpuSinceMs, readCpuMs, sampleRss } from './proc.ts';
import { round } from './stats.ts';
import type { Column, Row, RunContext, Target } from './types.ts';

/**
 * One closed-loop load run against a server as a table row, the way regions-lookup takes
 * its rows: throughput, exact percentiles, the server's RSS peak and the CPU each party
 * spent per request (from /proc, so it holds when other work shares the machine).
 */
export const LOAD_COLUMNS: Column[] = [
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

export interface LoadTarget {
  baseUrl: string;
  pid: number;
  /** PostgreSQL backends serving this server, when PostgreSQL runs on this machine. */
  backends?: () => Promise<number[]>;
}

export interface MeasuredRow {
  row: Row;
  stats: LoadStats;
  errors: string[];
}

export async function loadRow(
  ctx: RunContext,
  server: LoadTarget,
  name: string,
  opts: {
    path: (i: number) => string;
    headers?: (i: number) => Record<string, string>;
    /** A JSON body per request, which makes them POSTs. */
    body?: (i: number) => string;
    expectStatus?: number;
    requests: number;
    /** Stop earlier, after this long, whatever `requests` says. */
    durationMs?: number;
    concurrency?: number;
    p99Below?: number;
  },
): Promise<MeasuredRow> {
  const concurrency = opts.concurrency ?? ctx.profile.concurrency;
  ctx.log(`${name}: ${opts.requests} requests, concurrency ${concurrency}`);
  const rss = sampleRss(server.pid);
  const cpuBefore = readCpuMs(server.pid);
  const pgBefore = server.backends ? cpuByPid(await server.backends()) : null;
  const machineBefore = machineBusyMs();
  const s = await runLoad({
    baseUrl: server.baseUrl,
    path: opts.path,
    ...(opts.headers ? { headers: opts.headers } : {}),
    ...(opts.body ? { body: opts.body } : {}),
    ...(opts.expectStatus ? { expectStatus: opts.expectStatus } : {}),
    concurrency,
    requests: opts.requests,
    ...(opts.durationMs ? { durationMs: opts.durationMs } : {}),
    client: ctx.profile.client,
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
  const oursMs = ((serverCpu ?? 0) + (pgCpu ?? 0) + s.clientCpuUs) * (s.requests / 1000);
  const otherShare = Math.max(0, machineMs - oursMs) / (s.durationMs * os.availableParallelism());
  ctx.log(`  ${Math.round(s.throughput)} req/s, p99 ${s.p99Ms.toFixed(2)} ms, ${s.errors} errors`);
  const targets: Record<string, Target> | undefined =
    opts.p99Below === undefined ? undefined : { p99: { op: '<', value: opts.p99Below } };
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
    ...(targets ? { targets } : {}),
  };
  return {
    row,
    stats: s,
    errors: s.errorSamples.map((e) => `${name}: ${s.errors} errors, e.g. ${e}`),
  };
}

/**
 * Little's law for a closed loop, spelled out under a table: with every CPU busy,
 * throughput is capped at CPUs ÷ CPU per request, and mean latency cannot drop below
 * concurrency ÷ that cap. It tells whether a latency target is a code or a machine problem.
 */
export function cpuBudgetNote(concurrency: number, row: Row): string | null {
  const v = row.values;
  const parts = [v.serverCpu, v.pgCpu ?? 0, v.clientCpu];
  if (parts.some((p) => typeof p !== 'number')) return null;
  const total = (parts as number[]).reduce((a, b) => a + b, 0);
  const cpus = os.availableParallelism();
  const cap = (cpus * 1e6) / total;
  const floorMs = (concurrency / cap) * 1000;
  return (
    `${v.endpoint}: server ${v.serverCpu} + PostgreSQL ${v.pgCpu ?? '—'} + client ${v.clientCpu} = ` +
    `${total} µs of CPU per request. On ${cpus} CPUs that caps throughput near ` +
    `${Math.round(cap).toLocaleString('en-US')} req/s, so with ${concurrency} requests ` +
    `always in flight the mean latency cannot fall below ${floorMs.toFixed(1)} ms on this machine.`
  );
}
