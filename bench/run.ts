/**
 * `npm run bench [-- --profile quick] [--only startup,regions-lookup]`
 *
 * Runs the chosen benchmarks one after another (never in parallel: they would measure each
 * other), writes bench/results/<profile>.json and regenerates docs/benchmarks.md from it.
 * With --only, the other benchmarks' previous entries are kept. Exits 1 if a benchmark
 * failed; a missed target is reported, not failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCHMARKS } from './benchmarks/index.ts';
import { gitCommit, loadAverage, machineInfo, waitForQuiet } from './lib/machine.ts';
import { renderReport } from './lib/markdown.ts';
import { serverVersion } from './lib/postgres.ts';
import { killAllChildren, REPO_ROOT } from './lib/processes.ts';
import { PROFILES } from './lib/profiles.ts';
import {
  type Benchmark,
  type BenchmarkRecord,
  type ResultsFile,
  type RunContext,
  SkipBenchmark,
} from './lib/types.ts';

const RESULTS_DIR = path.join(REPO_ROOT, 'bench/results');
const REPORT = path.join(REPO_ROOT, 'docs/benchmarks.md');
/** How long a timed-out benchmark gets to run its cleanup before the run moves on. */
const CLEANUP_GRACE_MS = 30_000;
/**
 * Before each benchmark, wait up to 3 minutes for the CPUs to be less than 25% busy: a
 * test run or a compiler on the same machine would otherwise be measured as our slowness.
 */
const QUIET_BELOW = 0.25;
const QUIET_WAIT_MS = 3 * 60_000;

const runStarted = performance.now();
function log(message: string): void {
  const s = ((performance.now() - runStarted) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${s}s] ${message}\n`);
}

function usage(): string {
  return [
    'usage: npm run bench -- [--profile <name>] [--only <benchmark,...>] [--client http|fetch]',
    `  profiles:   ${Object.keys(PROFILES).join(', ')} (default quick)`,
    `  benchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')} (default all)`,
  ].join('\n');
}

function parse() {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string', default: 'quick' },
      only: { type: 'string' },
      client: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage());
    process.exit(0);
  }
  const chosen = PROFILES[values.profile];
  if (!chosen) throw new Error(`unknown profile "${values.profile}"\n${usage()}`);
  if (values.client !== undefined && values.client !== 'http' && values.client !== 'fetch') {
    throw new Error(`--client is http or fetch\n${usage()}`);
  }
  const profile = { ...chosen, client: values.client ?? chosen.client };
  let selected = BENCHMARKS;
  if (values.only) {
    const names = values.only.split(',').map((s) => s.trim());
    const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
    if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}\n${usage()}`);
    selected = BENCHMARKS.filter((b) => names.includes(b.name));
  }
  const viaNpm = process.env.npm_lifecycle_event === 'bench';
  const command = viaNpm
    ? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`
    : `node --import tsx bench/run.ts${argv.length ? ` ${argv.join(' ')}` : ''}`;
  return { profile, selected, command };
}

/** Rejects when the signal aborts, so a benchmark that ignores its signal still cannot hang the run. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

async function runOne(
  bench: Benchmark,
  base: Omit<RunContext, 'signal' | 'log'>,
  interrupted: AbortSignal,
  commit: string,
): Promise<BenchmarkRecord> {
  const cpuBusyBefore = await waitForQuiet({
    busyBelow: QUIET_BELOW,
    maxWaitMs: QUIET_WAIT_MS,
    signal: interrupted,
    log: (m) => log(`${bench.name}: ${m}`),
  });
  const loadBefore = loadAverage();
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const budget = new AbortController();
  const timer = setTimeout(
    () => budget.abort(new Error(`timed out after ${bench.timeoutMs / 1000} s`)),
    bench.timeoutMs,
  );
  const signal = AbortSignal.any([budget.signal, interrupted]);
  const ctx: RunContext = { ...base, signal, log: (m) => log(`${bench.name}: ${m}`) };
  const record = (status: BenchmarkRecord['status'], extra: Partial<BenchmarkRecord>) => ({
    name: bench.name,
    description: bench.description,
    status,
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    commit,
    cpuBusyBefore: Math.round(cpuBusyBefore * 100) / 100,
    loadAverage: { before: loadBefore, after: loadAverage() },
    ...extra,
  });
  log(`${bench.name}: start (budget ${bench.timeoutMs / 1000} s)`);
  const running = bench.run(ctx);
  try {
    const result = await Promise.race([running, whenAborted(signal)]);
    log(`${bench.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return record('ok', { result });
  } catch (err) {
    if (signal.aborted) {
      // Children were killed by the abort; give the benchmark's finally blocks time to
      // drop databases and remove directories before the next benchmark starts.
      await Promise.race([
        running.catch(() => {}),
        new Promise((r) => setTimeout(r, CLEANUP_GRACE_MS)),
      ]);
    }
    const message = (err as Error).stack ?? String(err);
    if (err instanceof SkipBenchmark) {
      log(`${bench.name}: skipped: ${(err as Error).message}`);
      return record('skipped', { error: (err as Error).message });
    }
    log(`${bench.name}: FAILED: ${message}`);
    return record('failed', { error: (err as Error).message });
  } finally {
    clearTimeout(timer);
  }
}

/** Write then rename, so an interrupted write never leaves half a results file behind. */
function writeAtomically(file: string, text: string): void {
  const tmp = file.replace(/(\.[a-z]+)$/, '.tmp$1');
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function readPrevious(file: string, profile: string): BenchmarkRecord[] {
  const prev = readResults(file);
  return prev?.profile === profile ? prev.benchmarks : [];
}

/**
 * docs/benchmarks.md: the quick profile's figures first (they cover every benchmark), then
 * each other profile's, from the results files as they are after this run.
 */
function report(latest: ResultsFile): string {
  const files = fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => /^[a-z0-9-]+\.json$/.test(f))
    .map((f) => (f === `${latest.profile}.json` ? latest : readResults(path.join(RESULTS_DIR, f))))
    .filter((r): r is ResultsFile => r !== null);
  const main = files.find((r) => r.profile === 'quick') ?? latest;
  return renderReport(
    main,
    files.filter((r) => r !== main).sort((a, b) => a.profile.localeCompare(b.profile)),
  );
}

function readResults(file: string): ResultsFile | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const { profile, selected, command } = parse();
  const interrupted = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    log(`${sig}: stopping${signals > 1 ? ' now' : ' after cleanup (again to force)'}`);
    if (signals > 1) {
      killAllChildren();
      process.exit(130);
    }
    interrupted.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', killAllChildren);

  const date = new Date().toISOString();
  const commit = gitCommit();
  const machine = machineInfo(await serverVersion());
  log(`profile ${profile.name}; ${selected.map((b) => b.name).join(', ')}; ${machine.cpus} CPUs`);

  const runEnd: (() => Promise<void> | void)[] = [];
  const base = {
    profile,
    shared: new Map<string, unknown>(),
    atRunEnd: (fn: () => Promise<void> | void) => void runEnd.push(fn),
  };
  const records: BenchmarkRecord[] = [];
  try {
    for (const bench of selected) {
      if (interrupted.signal.aborted) break;
      records.push(await runOne(bench, base, interrupted.signal, commit));
    }
  } finally {
    for (const fn of runEnd.reverse()) {
      try {
        await fn();
      } catch (err) {
        log(`end-of-run cleanup failed: ${(err as Error).message}`);
      }
    }
  }
  if (interrupted.signal.aborted) {
    log('interrupted: results not written');
    return 130;
  }

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${profile.name}.json`);
  const previous = readPrevious(file, profile.name);
  const benchmarks = BENCHMARKS.map(
    (b) => records.find((r) => r.name === b.name) ?? previous.find((r) => r.name === b.name),
  ).filter((r): r is BenchmarkRecord => r !== undefined);
  const results: ResultsFile = {
    profile: profile.name,
    settings: profile,
    command,
    date,
    commit,
    machine,
    benchmarks,
  };
  writeAtomically(file, `${JSON.stringify(results, null, 2)}\n`);
  writeAtomically(REPORT, report(results));
  log(`wrote ${path.relative(REPO_ROOT, file)} and ${path.relative(REPO_ROOT, REPORT)}`);
  return records.some((r) => r.status === 'failed') ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    log((err as Error).message);
    killAllChildren();
    process.exitCode = 2;
  },
);
