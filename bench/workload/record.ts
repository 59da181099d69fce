import { percentile } from '../lib/stats.ts';

/**
 * What the generator measures and writes with `--json`, read back by the workload benchmark.
 * Latencies are kept one by one (exact percentiles, like bench/lib/load.ts), in growable
 * Float32Arrays rather than arrays of numbers: the year profile keeps some 40 M of them.
 */

export const WORKLOAD_STEPS = [
  'register',
  'smsCode',
  'signIn',
  'search',
  'upload',
  'consent',
  'submit',
  'worklist',
  'accept',
  'open',
  'requestCorrection',
  'resubmit',
  'approve',
  'deny',
  'issue',
  'handOver',
  'rate',
  'verify',
  'figures',
] as const;
export type WorkloadStep = (typeof WORKLOAD_STEPS)[number];

export interface StepFigures {
  step: WorkloadStep;
  requests: number;
  errors: number;
  /** Requests of this step per second of the run's wall time. */
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface WorkloadReport {
  settings: {
    url: string;
    cases: number;
    concurrency: number;
    seed: number;
    days: number;
    daySeconds: number;
    /** The busiest hour's planned rate ÷ the city's real peak hour. */
    peakMultiple: number;
    villages: number;
    townships: number;
    smsSource: string;
  };
  items: { code: string; name: string; share: number }[];
  setupMs: number;
  run: {
    wallMs: number;
    casesPlanned: number;
    casesDone: number;
    casesFailed: number;
    requests: number;
    errors: number;
    outcomes: Record<string, number>;
    /** The busiest window as long as one simulated hour (daySeconds / 10), in wall time. */
    peak: {
      windowSeconds: number;
      casesPerSecond: number;
      requestsPerSecond: number;
      /** casesPerSecond ÷ the real city's peak hour (0.33 cases/s). */
      cityPeakMultiple: number;
    };
    /** How long cases waited past their arrival time for one of the `concurrency` slots. */
    lateMs: { p50: number; p99: number; max: number };
    interrupted: boolean;
    /** Set when the run stopped at its `--minutes` time box: the plan was not finished. */
    timeBoxMinutes: number | null;
  };
  steps: StepFigures[];
  errorSamples: string[];
}

class Samples {
  private data = new Float32Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  sorted(): Float32Array {
    return this.data.slice(0, this.length).sort();
  }
}

/** Per-second counts over the run, for the busiest window. */
class Timeline {
  private readonly counts: number[] = [];
  add(second: number): void {
    while (this.counts.length <= second) this.counts.push(0);
    this.counts[second]!++;
  }

  busiest(window: number): number {
    let sum = 0;
    let best = 0;
    for (let i = 0; i < this.counts.length; i++) {
      sum += this.counts[i]!;
      if (i >= window) sum -= this.counts[i - window]!;
      best = Math.max(best, sum);
    }
    return best / window;
  }
}

export class Recorder {
  private readonly samples = new Map<WorkloadStep, Samples>(
    WORKLOAD_STEPS.map((s) => [s, new Samples()]),
  );
  private readonly errors = new Map<WorkloadStep, number>(WORKLOAD_STEPS.map((s) => [s, 0]));
  private readonly requestsAt = new Timeline();
  private readonly casesAt = new Timeline();
  private readonly late = new Samples();
  readonly outcomes: Record<string, number> = {};
  readonly errorSamples = new Set<string>();
  casesDone = 0;
  casesFailed = 0;
  requests = 0;
  private readonly t0 = performance.now();

  private second(): number {
    return Math.floor((performance.now() - this.t0) / 1000);
  }

  record(step: WorkloadStep, ms: number, error?: string): void {
    this.samples.get(step)!.push(ms);
    this.requests++;
    this.requestsAt.add(this.second());
    if (error === undefined) return;
    this.errors.set(step, this.errors.get(step)! + 1);
    if (this.errorSamples.size < 8) this.errorSamples.add(`${step}: ${error}`);
  }

  caseStarted(lateMs: number): void {
    this.late.push(lateMs);
    this.casesAt.add(this.second());
  }

  count(outcome: string): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
  }

  errorCount(): number {
    return [...this.errors.values()].reduce((a, b) => a + b, 0);
  }

  steps(wallMs: number): StepFigures[] {
    return WORKLOAD_STEPS.map((step) => {
      const sorted = this.samples.get(step)!.sorted();
      return {
        step,
        requests: sorted.length,
        errors: this.errors.get(step)!,
        throughput: (sorted.length / wallMs) * 1000,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
      };
    });
  }

  peak(windowSeconds: number) {
    return {
      casesPerSecond: this.casesAt.busiest(windowSeconds),
      requestsPerSecond: this.requestsAt.busiest(windowSeconds),
    };
  }

  lateness() {
    const sorted = this.late.sorted();
    return {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : 0,
    };
  }
}
