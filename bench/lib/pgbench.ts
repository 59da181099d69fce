import { spawn } from 'node:child_process';
import { createFreshDatabase, dropDatabase } from './postgres.ts';
import { track } from './processes.ts';

/**
 * PostgreSQL's own ceiling on this machine: `pgbench -i -s 10` on a scratch database, then
 * the built-in simple-update script (three statements per transaction: an UPDATE, a SELECT,
 * an INSERT) with `-c 8 -j 2 -T 20`. No HTTP, no Node: the database alone.
 */
export interface PgbenchResult {
  tps: number;
  latencyMs: number | null;
  transactions: number | null;
  command: string;
}

const SCRATCH_DB = 'yimen_bench_pgbench';

function run(args: string[], signal: AbortSignal): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = track(spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    const onAbort = () => child.kill('SIGKILL');
    signal.addEventListener('abort', onAbort, { once: true });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      resolve({ code: code ?? -1, out });
    });
  });
}

/** null (with the reason) when pgbench is not installed or fails. */
export async function runPgbench(
  signal: AbortSignal,
  opts: { scale?: number; clients?: number; threads?: number; seconds?: number } = {},
): Promise<PgbenchResult | { error: string }> {
  const scale = opts.scale ?? 10;
  const clients = opts.clients ?? 8;
  const threads = opts.threads ?? 2;
  const seconds = opts.seconds ?? 20;
  let url: string;
  try {
    url = await createFreshDatabase(SCRATCH_DB);
  } catch (err) {
    return { error: `cannot create ${SCRATCH_DB}: ${(err as Error).message}` };
  }
  try {
    const init = await run(['-i', '-s', String(scale), '-q', url], signal).catch((err: Error) => ({
      code: -1,
      out: err.message,
    }));
    if (init.code !== 0) return { error: `pgbench -i failed: ${init.out.slice(-500)}` };
    const args = ['-b', 'simple-update', '-c', String(clients), '-j', String(threads)];
    args.push('-T', String(seconds), url);
    const r = await run(args, signal);
    if (r.code !== 0) return { error: `pgbench failed: ${r.out.slice(-500)}` };
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.out)?.[1];
    if (!tps) return { error: `no tps in pgbench output: ${r.out.slice(-500)}` };
    const latency = /latency average = ([\d.]+) ms/.exec(r.out)?.[1];
    const done = /number of transactions actually processed: (\d+)/.exec(r.out)?.[1];
    return {
      tps: Number(tps),
      latencyMs: latency ? Number(latency) : null,
      transactions: done ? Number(done) : null,
      command: `pgbench -i -s ${scale}; pgbench ${args.slice(0, -1).join(' ')}`,
    };
  } finally {
    await dropDatabase(SCRATCH_DB).catch(() => {});
  }
}
