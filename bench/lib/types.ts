/**
 * The shapes shared by the runner, the benchmarks and the report. A benchmark returns
 * tables of figures; the runner stores them in bench/results/<profile>.json and renders
 * docs/benchmarks.md from that file, so the markdown never holds a figure the JSON lacks.
 */

/** What a figure should be. Marks are informational: nothing fails on a missed target. */
export interface Target {
  /** The figure must stay below `value` ('<') or reach at least `value` ('>='). */
  op: '<' | '>=';
  value: number;
}

export interface Column {
  key: string;
  label: string;
  /** Printed after the header, e.g. "ms" renders as "p99 (ms)". */
  unit?: string;
  /** Decimal places for numbers in this column. */
  digits?: number;
}

export type Cell = string | number | null;

export interface Row {
  values: Record<string, Cell>;
  /** Targets for some of this row's cells, keyed like `values`. */
  targets?: Record<string, Target>;
  /** Decimal places for this row's numbers, overriding the columns' (a row of counts). */
  digits?: number;
}

export interface Table {
  title: string;
  /** One or two sentences: what was measured and how, so a reader can judge the figure. */
  description?: string;
  columns: Column[];
  rows: Row[];
}

export interface BenchmarkResult {
  tables: Table[];
  /** Observations worth keeping next to the figures (caveats, counts, versions). */
  notes?: string[];
}

/** Knobs of a profile: `quick` (the default) and `year` (bench/lib/profiles.ts). */
export interface Profile {
  name: string;
  startupRestarts: number;
  /** Requests per endpoint against the whole country on PostgreSQL. */
  lookupRequests: number;
  /** Requests per endpoint on the embedded database with Yiyang only. */
  embeddedLookupRequests: number;
  warmupRequests: number;
  concurrency: number;
  /** catalog-search: requests per row on PostgreSQL, and on the embedded database. */
  searchRequests: number;
  embeddedSearchRequests: number;
  /** lifecycle: concurrent case-workers in the closed-loop run. */
  lifecycleWorkers: number;
  /** lifecycle: cases in the closed-loop run on PostgreSQL, and on the embedded database. */
  lifecycleCases: number;
  embeddedLifecycleCases: number;
  /** lifecycle: the fixed arrival rate (cases per second) and how long it runs. */
  lifecycleArrivalsPerSecond: number;
  lifecycleOpenSeconds: number;
  /** lifecycle: requests per ceiling row (bare server, constant, plain INSERT, /health). */
  ceilingRequests: number;
  /** worklist-scale: application counts, loaded one after another (each includes the last). */
  scaleSizes: number[];
  /** worklist-scale: requests per row. */
  scaleRequests: number;
  /** The load generator's HTTP client; see bench/lib/load.ts for why `http` is the default. */
  client: 'http' | 'fetch';
  /** What the profile is for and how long it takes. */
  description?: string;
  /** workload (bench/workload): cases on PostgreSQL, and on the embedded database. */
  workloadCases: number;
  embeddedWorkloadCases: number;
  /** workload: cases in flight at most (each a villager, agent or approver at work). */
  workloadConcurrency: number;
  /** workload: villages (of Yiyang's 1,446) whose stations take part. */
  workloadVillages: number;
  /**
   * workload: how fast the compressed day runs: its busiest hour at this many times the real
   * city's peak hour (0.33 cases/s).
   */
  workloadPeakMultiple: number;
  /** workload: its own time budget, since the year takes days rather than minutes. */
  workloadBudgetMinutes: number;
}

/** Resources that outlive one benchmark, e.g. the country database shared by two of them. */
export interface RunContext {
  profile: Profile;
  /** Aborted when the benchmark overruns its time budget or the run is interrupted. */
  signal: AbortSignal;
  /** Values set by one benchmark for a later one in the same run. */
  shared: Map<string, unknown>;
  /** Registers work for the end of the whole run, after every benchmark (last in, first out). */
  atRunEnd(fn: () => Promise<void> | void): void;
  /** Progress for the person watching; goes to stderr, never into the results. */
  log(message: string): void;
}

export interface Benchmark {
  name: string;
  description: string;
  /** The runner aborts the benchmark's signal after this long and records a failure. */
  timeoutMs: number;
  run(ctx: RunContext): Promise<BenchmarkResult>;
}

/** Thrown by a benchmark whose prerequisite is missing (say, no PostgreSQL server). */
export class SkipBenchmark extends Error {}

/** One benchmark's entry in bench/results/<profile>.json. */
export interface BenchmarkRecord {
  name: string;
  description: string;
  status: 'ok' | 'failed' | 'skipped';
  error?: string;
  startedAt: string;
  durationMs: number;
  commit: string;
  /** Share of all CPUs busy just before the benchmark started (other work on the machine). */
  cpuBusyBefore: number;
  /** One-minute load average at the start and at the end. */
  loadAverage: { before: number; after: number };
  result?: BenchmarkResult;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  pglite: string;
}

export interface ResultsFile {
  profile: string;
  settings: Profile;
  command: string;
  date: string;
  commit: string;
  machine: Machine;
  benchmarks: BenchmarkRecord[];
}
