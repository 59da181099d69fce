import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineBusyMs } from '../lib/machine.ts';
import { cpuByPid, cpuSinceMs, readCpuMs, sampleRss } from '../lib/proc.ts';
import { exited, REPO_ROOT, track } from '../lib/processes.ts';
import type { RunContext } from '../lib/types.ts';
import type { Yimen } from '../lib/yimen.ts';
import type { WorkloadReport } from './record.ts';

/**
 * Runs the generator (main.ts) as its own process against a yimen the bench started, the way
 * the README shows it run by hand: the server's log lines carrying a demo SMS are passed to
 * the generator's stdin (`--sms-log -`), its progress lines go to the bench log. Meanwhile
 * the server's RSS is sampled, and the CPU of the server, its PostgreSQL backends, the
 * generator and the whole machine is read at the start and the end of the timed run.
 */
export interface GeneratorRun {
  report: WorkloadReport;
  serverPeakRssMiB: number | null;
  serverCpuMs: number | null;
  pgCpuMs: number | null;
  generatorCpuMs: number | null;
  /** Share of all CPUs busy with other work than the server, its backends and the generator. */
  otherShare: number;
}

export interface GeneratorOptions {
  cases: number;
  concurrency: number;
  villages: number;
  peakMultiple: number;
  seed: number;
  /** A time box on the run, in minutes (`--minutes`), or null to run the whole plan. */
  minutes: number | null;
}

interface CpuMark {
  server: number | null;
  pg: Map<number, number>;
  gen: number | null;
  machine: number;
}

const GENERATOR = path.join(REPO_ROOT, 'bench/workload/main.ts');

/** Passes each whole line of the server's stdout that holds a demo SMS to `write`. */
function tapSms(y: Yimen, write: (line: string) => void): () => void {
  let rest = '';
  const onData = (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.includes('demoSms')) write(`${line}\n`);
  };
  y.server.child.stdout!.on('data', onData);
  return () => y.server.child.stdout!.off('data', onData);
}

export async function runGenerator(
  ctx: RunContext,
  y: Yimen,
  o: GeneratorOptions,
): Promise<GeneratorRun> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yimen-workload-')), 'report.json');
  const args = [
    ...['--import', 'tsx', GENERATOR, '--url', y.server.baseUrl, '--sms-log', '-'],
    ...['--cases', String(o.cases), '--concurrency', String(o.concurrency)],
    ...['--villages', String(o.villages), '--peak-multiple', String(o.peakMultiple)],
    ...['--seed', String(o.seed), '--json', out],
    ...(o.minutes === null ? [] : ['--minutes', String(o.minutes)]),
  ];
  const child = track(
    spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const untap = tapSms(y, (line) => child.stdin!.write(line));
  child.stdin!.on('error', () => {}); // the generator may exit before the server's last line
  const onAbort = () => child.kill('SIGKILL');
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const serverRss = sampleRss(y.server.pid);
  const generatorCpu = sampleRss(child.pid!, 1000);
  const marks: { start?: CpuMark } = {};
  const tail: string[] = [];
  let rest = '';
  child.stdout!.on('data', (d: Buffer) => {
    tail.push(d.toString('utf8'));
    if (tail.length > 40) tail.shift();
  });
  child.stderr!.on('data', (d: Buffer) => {
    const lines = (rest + d.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (line.startsWith('[workload]')) ctx.log(line.slice(11));
      if (line.includes('phase: run')) {
        void y.backends().then((pids) => {
          marks.start = {
            server: readCpuMs(y.server.pid),
            pg: cpuByPid(pids),
            gen: readCpuMs(child.pid!),
            machine: machineBusyMs(),
          };
        });
      }
    }
  });
  const t0 = performance.now();
  await exited(child);
  const wallMs = performance.now() - t0;
  untap();
  ctx.signal.removeEventListener('abort', onAbort);
  const pgAfter = cpuByPid(await y.backends());
  const server = serverRss.stop();
  const gen = generatorCpu.stop();
  ctx.signal.throwIfAborted();
  if (child.exitCode !== 0 && child.exitCode !== 1) {
    throw new Error(
      `the generator exited with ${child.exitCode ?? child.signalCode}:\n${tail.join('\n')}`,
    );
  }
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as WorkloadReport;
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const s = marks.start;
  const serverCpuMs = s?.server != null && server.cpuMs !== null ? server.cpuMs - s.server : null;
  const pgCpuMs = s && pgAfter.size > 0 ? cpuSinceMs(s.pg, pgAfter) : null;
  const generatorCpuMs = s?.gen != null && gen.cpuMs !== null ? gen.cpuMs - s.gen : null;
  const ours = (serverCpuMs ?? 0) + (pgCpuMs ?? 0) + (generatorCpuMs ?? 0);
  const busy = s ? machineBusyMs() - s.machine : 0;
  const runMs = Math.min(wallMs, report.run.wallMs);
  return {
    report,
    serverPeakRssMiB: server.peakMiB,
    serverCpuMs,
    pgCpuMs,
    generatorCpuMs,
    otherShare: Math.max(0, (busy - ours) / (runMs * os.availableParallelism())),
  };
}
