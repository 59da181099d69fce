import path from 'node:path';
import type { Cleanup } from './cleanup.ts';
import { type LoadTarget, loadRow, type MeasuredRow } from './load-row.ts';
import { REPO_ROOT } from './processes.ts';
import { BARE_SERVER_ARGS, startServer } from './server.ts';
import type { RunContext } from './types.ts';
import type { Yimen } from './yimen.ts';

/**
 * The ceilings the case benchmarks (lifecycle, workload) are measured against, on the same
 * machine in the same run: the bare node:http server (the harness floor), and a tiny
 * Fastify server (bench/lib/insert-server.ts) answering a constant and doing one plain
 * INSERT per request into the database yimen used. pgbench is in pgbench.ts.
 */
export const INSERT_SERVER = path.join(REPO_ROOT, 'bench/lib/insert-server.ts');

/** The bare node:http server, closed loop at the profile's concurrency. */
export async function bareCeiling(ctx: RunContext, cleanup: Cleanup): Promise<MeasuredRow> {
  const server = await startServer({
    env: {},
    args: BARE_SERVER_ARGS,
    timeoutMs: 30_000,
    signal: ctx.signal,
  });
  cleanup.defer('stop the bare server', () => server.stop());
  await loadRow(ctx, server, 'warm-up', { path: () => '/', requests: 2000 });
  const name = 'bare node:http server (harness floor)';
  const bare = await loadRow(ctx, server, name, {
    path: () => '/',
    requests: ctx.profile.ceilingRequests,
  });
  await server.stop();
  return bare;
}

/** Where the plain-INSERT server writes: yimen's PostgreSQL database, or its (stopped) PGlite directory. */
export function insertServerEnv(y: Yimen): Record<string, string> {
  return y.url ? { BENCH_INSERT_PG: y.url } : { BENCH_INSERT_PGLITE: path.join(y.dataDir, 'db') };
}

/** The tiny Fastify server on the same database: a constant, then one INSERT per request. */
export async function insertCeilings(
  ctx: RunContext,
  cleanup: Cleanup,
  env: Record<string, string>,
  backends: () => Promise<number[]>,
): Promise<MeasuredRow[]> {
  const ins = await startServer({
    env,
    args: ['--import', 'tsx', INSERT_SERVER],
    timeoutMs: 60_000,
    signal: ctx.signal,
  });
  cleanup.defer('stop the plain-INSERT server', () => ins.stop());
  const target: LoadTarget = { ...ins, backends };
  const requests = ctx.profile.ceilingRequests;
  const warmup = ctx.profile.warmupRequests;
  await loadRow(ctx, target, 'warm-up', { path: () => '/const', requests: warmup });
  const constant = await loadRow(ctx, target, 'Fastify answering a constant (GET /const)', {
    path: () => '/const',
    requests,
  });
  const insert = await loadRow(ctx, target, 'Fastify + one plain INSERT (POST /insert)', {
    path: () => '/insert',
    body: (i) => JSON.stringify({ n: i, what: 'one row per request' }),
    expectStatus: 201,
    requests,
  });
  await ins.stop();
  return [constant, insert];
}
