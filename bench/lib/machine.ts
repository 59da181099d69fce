import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './processes.ts';
import type { Machine } from './types.ts';

function cpuModel(): string {
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

/** The CPUs this process may use (what `nproc` prints), which can be fewer than the host has. */
function nproc(): number {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    return os.availableParallelism();
  }
}

function pgliteVersion(): string {
  try {
    const file = path.join(REPO_ROOT, 'node_modules/@electric-sql/pglite/package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(postgres: string | null): Machine {
  return {
    cpus: nproc(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    postgres: postgres ?? 'not reachable',
    pglite: pgliteVersion(),
  };
}

/**
 * The commit, marked "+dirty" when the working tree's sources differ from it (figures then
 * describe both); the results and report the bench writes do not count.
 */
export function gitCommit(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const head = git('rev-parse', '--short=12', 'HEAD');
    // The bench's own output (results, the report) does not make the sources dirty.
    const dirty =
      git(
        'status',
        '--porcelain',
        '--untracked-files=no',
        '--',
        '.',
        ':!bench/results',
        ':!docs/benchmarks.md',
      ) !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

function cpuTimes(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const total = f.slice(0, 8).reduce((s, v) => s + v, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

/** CPU time all processes on the machine have used since boot, in ms summed over CPUs. */
export function machineBusyMs(): number {
  return (cpuTimes().busy / 100) * 1000; // /proc/stat counts in USER_HZ (100 a second)
}

/** The share of all CPUs busy over `ms`, 0…1. */
export async function cpuBusy(ms = 1000): Promise<number> {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  return b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;
}

export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}

/**
 * Waits (up to `maxWaitMs`) for the machine to be mostly idle before a benchmark, since
 * other work on the box (a test run, a compiler) shows up directly in the figures. Returns
 * the last busy share seen, which is recorded next to the figures either way.
 */
export async function waitForQuiet(opts: {
  busyBelow: number;
  maxWaitMs: number;
  signal: AbortSignal;
  log: (message: string) => void;
}): Promise<number> {
  const deadline = performance.now() + opts.maxWaitMs;
  let busy = await cpuBusy();
  let said = 0;
  while (busy >= opts.busyBelow && performance.now() < deadline && !opts.signal.aborted) {
    if (performance.now() - said > 30_000) {
      opts.log(`machine ${Math.round(busy * 100)}% busy with other work; waiting for it to settle`);
      said = performance.now();
    }
    busy = await cpuBusy(5000);
  }
  return busy;
}
