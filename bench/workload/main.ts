/**
 * The workload generator: "a year of Yiyang on one small machine", as its own process.
 *
 *   node --import tsx bench/workload/main.ts --url http://127.0.0.1:3000 --cases 300 \
 *     --concurrency 12 --seed 2020 [--days 1] [--peak-multiple 5 | --day-seconds 270] \
 *     [--villages 60] [--sms-log -|server.log] [--json out.json] [--minutes 60]
 *
 * Drives a running yimen through its HTTP API as its users would (model.ts says what it
 * models and from which figures; journey.ts what one case does). `--days` working days
 * (default: the cases at 8,000 a day) are each compressed into `--day-seconds` of wall time,
 * by default so that the busiest hour runs at `--peak-multiple` times the real city's peak
 * hour (0.33 cases/s). Cases start at their planned moment,
 * at most `--concurrency` at a time (a case whose moment has come waits for a free slot, and
 * the wait is reported: a long one means the server could not keep up). The same seed plans
 * the same cases. The server must be in demo mode with its log reaching `--sms-log` (the
 * villagers' SMS codes) and should trust X-Forwarded-For (YIMEN_TRUST_PROXY=true), or its
 * per-address SMS limit stops citizen sign-ins after 20 an hour. Prints a table per step and
 * progress lines (with an estimate of the time left) on stderr. `--minutes` boxes the run: when
 * that much of it has passed no new case starts, those in flight finish, and the report says
 * how much of the plan was done (the year profile on a small machine).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ApiClient, DEMO_PASSWORD } from '../lib/api.ts';
import { TimedClient } from './client.ts';
import { type CaseEnv, runCase } from './journey.ts';
import {
  CASES_PER_WORKING_DAY,
  CITY_PEAK_CASES_PER_SECOND,
  HOURLY_SHARE,
  PEAK_HOUR_SHARE,
} from './model.ts';
import { People } from './people.ts';
import { Planner } from './plan.ts';
import { Recorder, type WorkloadReport } from './record.ts';
import { SmsInbox } from './sms.ts';
import { setUpWorld } from './world.ts';

const PROGRESS_EVERY_MS = 30_000;
/** The estimate of the time left is printed once the run has this much behind it. */
const ESTIMATE_AFTER_MS = 2 * 60_000;

function log(message: string): void {
  process.stderr.write(`[workload] ${message}\n`);
}

function options() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      cases: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '12' },
      seed: { type: 'string', default: '2020' },
      days: { type: 'string' },
      'peak-multiple': { type: 'string', default: '5' },
      'day-seconds': { type: 'string' },
      villages: { type: 'string', default: '60' },
      'sms-log': { type: 'string' },
      json: { type: 'string' },
      admin: { type: 'string', default: 'admin' },
      'demo-password': { type: 'string', default: DEMO_PASSWORD },
      minutes: { type: 'string' },
    },
  });
  if (!values.url) throw new Error('--url <server> is required');
  const int = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  const cases = int('cases', values.cases, 1);
  const days = values.days
    ? int('days', values.days, 1)
    : Math.max(1, Math.round(cases / CASES_PER_WORKING_DAY));
  return {
    url: values.url,
    cases,
    concurrency: int('concurrency', values.concurrency, 1),
    seed: int('seed', values.seed, 0),
    days,
    daySeconds: values['day-seconds']
      ? int('day-seconds', values['day-seconds'], 10)
      : daySecondsFor(cases / days, Number(values['peak-multiple'])),
    villages: int('villages', values.villages, 1),
    smsLog: values['sms-log'] ?? null,
    json: values.json ?? null,
    admin: values.admin,
    demoPassword: values['demo-password'],
    minutes: values.minutes ? int('minutes', values.minutes, 1) : null,
  };
}

/**
 * Wall seconds per simulated working day such that its busiest hour runs at `multiple` times
 * the real city's peak hour (0.33 cases/s): the busiest hour's cases over that rate, ×10 hours.
 */
function daySecondsFor(casesPerDay: number, multiple: number): number {
  if (!(multiple > 0)) throw new Error('--peak-multiple must be a positive number');
  const hour = (casesPerDay * PEAK_HOUR_SHARE) / (multiple * CITY_PEAK_CASES_PER_SECOND);
  return Math.max(10, Math.round(hour * HOURLY_SHARE.length));
}

class Slots {
  private free: number;
  private readonly queue: (() => void)[] = [];
  constructor(n: number) {
    this.free = n;
  }
  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }
  give(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.free++;
  }
}

const hms = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m${String(s % 60).padStart(2, '0')}s`;
};

function progressLine(rec: Recorder, total: number, startedAt: number, lastEnd: number): string {
  const elapsed = performance.now() - startedAt;
  const done = rec.casesDone + rec.casesFailed;
  const rate = done / Math.max(1, elapsed / 1000);
  let line = `progress ${done}/${total} cases (${rec.casesFailed} failed), ${rate.toFixed(2)} cases/s, ${rec.requests} requests, ${hms(elapsed)} elapsed`;
  if (elapsed >= ESTIMATE_AFTER_MS && done > 0) {
    // The schedule sets a floor; a server slower than the schedule sets the pace instead.
    const left = Math.max(lastEnd - elapsed, ((total - done) / rate) * 1000);
    line += `; about ${hms(left)} left`;
  }
  return line;
}

function printTable(report: WorkloadReport): void {
  const rows = report.steps.filter((s) => s.requests > 0);
  const f = (v: number | null, d = 1) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(d));
  console.log('step               requests  errors   req/s     p50     p95     p99     max  (ms)');
  for (const s of rows) {
    console.log(
      `${s.step.padEnd(18)} ${String(s.requests).padStart(8)} ${String(s.errors).padStart(7)} ${f(s.throughput).padStart(7)} ${f(s.p50).padStart(7)} ${f(s.p95).padStart(7)} ${f(s.p99).padStart(7)} ${f(s.max).padStart(7)}`,
    );
  }
  const r = report.run;
  console.log(
    `${r.casesDone} cases concluded, ${r.casesFailed} failed, ${r.requests} requests (${r.errors} errors) in ${hms(r.wallMs)}; ` +
      `busiest ${r.peak.windowSeconds} s (one simulated hour): ${r.peak.casesPerSecond.toFixed(2)} cases/s = ` +
      `${r.peak.cityPeakMultiple.toFixed(1)}× the city's peak hour, ${r.peak.requestsPerSecond.toFixed(0)} req/s`,
  );
}

async function main(): Promise<number> {
  const o = options();
  const api = new ApiClient(o.url, o.concurrency + 8);
  const sms = o.smsLog ? SmsInbox.open(o.smsLog) : null;
  if (!sms) log('no --sms-log: no citizen sign-ins, so no online cases, corrections or ratings');
  const recorder = new Recorder();
  const t0 = performance.now();
  const world = await setUpWorld(
    api,
    { villages: o.villages, seed: o.seed, adminUser: o.admin, demoPassword: o.demoPassword },
    log,
  );
  const setupMs = performance.now() - t0;
  log(`setup done in ${(setupMs / 1000).toFixed(1)} s; phase: run`);

  const client = new TimedClient(api, recorder);
  const env: CaseEnv = { client, world, people: new People(client, sms, recorder), sms, recorder };
  const planner = new Planner(
    world.stations.map((s) => s.village),
    world.planItems,
    o.seed,
  );
  let stop = false;
  // A case planned far ahead is waited for; the time box must not wait with it.
  let wake: (() => void) | null = null;
  const until = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });

  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      log(`${sig}: no new cases; finishing those in flight`);
      stop = true;
      wake?.();
    });

  let timeBoxReached = false;
  const timeBox =
    o.minutes === null
      ? null
      : setTimeout(() => {
          log(`${o.minutes} min time box reached: no new cases; finishing those in flight`);
          timeBoxReached = true;
          stop = true;
          wake?.();
        }, o.minutes * 60_000);
  const slots = new Slots(o.concurrency);
  const running = new Set<Promise<unknown>>();
  const startedAt = performance.now();
  const lastEnd = o.days * o.daySeconds * 1000;
  const progress = setInterval(
    () => log(progressLine(recorder, o.cases, startedAt, lastEnd)),
    PROGRESS_EVERY_MS,
  );
  let planned = 0;
  for (let day = 0; day < o.days && !stop; day++) {
    const count = Math.floor(((day + 1) * o.cases) / o.days) - Math.floor((day * o.cases) / o.days);
    for (const c of planner.planDay(day, count, o.daySeconds)) {
      if (stop) break;
      const wait = startedAt + c.atMs - performance.now();
      if (wait > 0) await until(wait);
      if (stop) break;
      await slots.take();
      if (stop) {
        slots.give();
        break;
      }
      recorder.caseStarted(Math.max(0, performance.now() - startedAt - c.atMs));
      planned++;
      const p = runCase(env, c).finally(() => {
        slots.give();
        running.delete(p);
      });
      running.add(p);
    }
  }
  await Promise.all(running);
  clearInterval(progress);
  if (timeBox) clearTimeout(timeBox);
  const wallMs = performance.now() - startedAt;
  api.close();
  sms?.close();

  const windowSeconds = Math.max(1, Math.round(o.daySeconds / HOURLY_SHARE.length));
  const peak = recorder.peak(windowSeconds);
  const report: WorkloadReport = {
    settings: {
      url: o.url,
      cases: o.cases,
      concurrency: o.concurrency,
      seed: o.seed,
      days: o.days,
      daySeconds: o.daySeconds,
      peakMultiple:
        ((o.cases / o.days) * PEAK_HOUR_SHARE) /
        (o.daySeconds / HOURLY_SHARE.length) /
        CITY_PEAK_CASES_PER_SECOND,
      villages: world.stations.length,
      townships: world.approvers.size,
      smsSource: o.smsLog ?? 'none',
    },
    items: world.planItems.map((it) => ({
      code: it.code,
      name: it.name,
      share: it.weight / world.planItems.reduce((s, x) => s + x.weight, 0),
    })),
    setupMs,
    run: {
      wallMs,
      casesPlanned: planned,
      casesDone: recorder.casesDone,
      casesFailed: recorder.casesFailed,
      requests: recorder.requests,
      errors: recorder.errorCount(),
      outcomes: recorder.outcomes,
      peak: {
        windowSeconds,
        ...peak,
        cityPeakMultiple: peak.casesPerSecond / CITY_PEAK_CASES_PER_SECOND,
      },
      lateMs: recorder.lateness(),
      interrupted: stop && !timeBoxReached,
      // Only when it cut the plan short: a box that closed after the last case had started
      // changed nothing.
      timeBoxMinutes: timeBoxReached && planned < o.cases ? o.minutes : null,
    },
    steps: recorder.steps(wallMs),
    errorSamples: [...recorder.errorSamples],
  };
  if (o.json) fs.writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
  printTable(report);
  return stop && !timeBoxReached ? 130 : recorder.casesFailed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log((err as Error).stack ?? String(err));
    process.exit(2);
  },
);
