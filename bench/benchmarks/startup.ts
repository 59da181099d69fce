import { Cleanup, tempDir } from '../lib/cleanup.ts';
import { pollUntilOk } from '../lib/http.ts';
import { readRssMiB } from '../lib/proc.ts';
import { freePort, spawnServer } from '../lib/server.ts';
import { median, round } from '../lib/stats.ts';
import type { Benchmark, BenchmarkResult } from '../lib/types.ts';

/** A restart must be quick enough that nobody reaches for a process manager; the README says about a second. */
const TARGET_S = 5;
const POLL_MS = 20;
const START_TIMEOUT_MS = 120_000;

interface Start {
  /** Spawn to the first 200 on GET /health: what a person or a load balancer waits for. */
  toHealthMs: number;
  /** Spawn to the "running at" line. */
  toLineMs: number | null;
  /** What the server itself reports: from the start of `serve` to listening, without Node and tsx loading. */
  reportedBootMs: number | null;
  rssMiB: number | null;
}

/**
 * One start on `dataDir` as `npm start` does it (embedded database, demo mode by default),
 * timed from spawn to the first 200 on /health, then a clean SIGTERM so the next start
 * finds the database closed properly, as after a normal stop.
 */
async function timedStart(dataDir: string, signal: AbortSignal): Promise<Start> {
  const port = await freePort();
  const spawned = performance.now();
  const server = spawnServer({ env: { YIMEN_DATA_DIR: dataDir }, port, signal });
  try {
    const okAt = await pollUntilOk(`http://127.0.0.1:${port}/health`, {
      everyMs: POLL_MS,
      timeoutMs: START_TIMEOUT_MS,
      signal,
      isAlive: () => server.child.exitCode === null && server.child.signalCode === null,
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n${server.tail()}`);
    });
    const rssMiB = readRssMiB(server.pid);
    // The line is printed after listen(), so /health can win the race: wait a moment for it.
    const seen = await Promise.race([
      server.ready,
      new Promise<null>((r) => setTimeout(() => r(null), 2000)),
    ]).catch(() => null);
    return {
      toHealthMs: okAt - spawned,
      toLineMs: seen ? seen.msToLine : null,
      reportedBootMs: seen?.reportedBootMs ?? null,
      rssMiB,
    };
  } finally {
    await server.stop();
  }
}

export const startup: Benchmark = {
  name: 'startup',
  description:
    'Cold start of `yimen serve` on the embedded database (PGlite) in a fresh data directory: ' +
    'the first start, which creates the database, then restarts on that database. Each is ' +
    'timed from spawning the process to the first 200 on `GET /health`, polled every 20 ms.',
  timeoutMs: 10 * 60_000,
  async run(ctx): Promise<BenchmarkResult> {
    const cleanup = new Cleanup();
    try {
      const dataDir = tempDir(cleanup, 'startup');
      ctx.log('first start (creates the database)');
      const first = await timedStart(dataDir, ctx.signal);
      const restarts: Start[] = [];
      for (let i = 0; i < ctx.profile.startupRestarts; i++) {
        ctx.log(`restart ${i + 1}/${ctx.profile.startupRestarts}`);
        restarts.push(await timedStart(dataDir, ctx.signal));
      }
      const s = (ms: number | null) => (ms === null ? null : round(ms / 1000, 2));
      const health = restarts.map((r) => r.toHealthMs);
      const column = (pick: (r: Start) => number | null) =>
        restarts.map(pick).filter((v): v is number => v !== null);
      return {
        tables: [
          {
            title: 'Restart on an existing database',
            description: `${restarts.length} restarts, one after another, each after a clean stop.`,
            columns: [
              { key: 'what', label: 'measure' },
              { key: 'median', label: 'median', unit: 's', digits: 2 },
              { key: 'max', label: 'max', unit: 's', digits: 2 },
              { key: 'min', label: 'min', unit: 's', digits: 2 },
            ],
            rows: [
              {
                values: {
                  what: 'spawn → first 200 on /health',
                  median: s(median(health)),
                  max: s(Math.max(...health)),
                  min: s(Math.min(...health)),
                },
                targets: {
                  median: { op: '<', value: TARGET_S },
                  max: { op: '<', value: TARGET_S },
                },
              },
              summary(
                'spawn → "running at" line',
                column((r) => r.toLineMs),
                s,
              ),
              summary(
                'boot as reported by the server',
                column((r) => r.reportedBootMs),
                s,
              ),
              {
                digits: 0,
                values: {
                  what: 'server RSS at first 200 (MiB)',
                  median: round(median(column((r) => r.rssMiB)), 0),
                  max: round(Math.max(...column((r) => r.rssMiB)), 0),
                  min: round(Math.min(...column((r) => r.rssMiB)), 0),
                },
              },
            ],
          },
          {
            title: 'First start ever',
            description:
              'An empty data directory: initdb, migrations, Yiyang’s regions and their ' +
              'service points, the demo data. Reported for context; it happens once.',
            columns: [
              { key: 'what', label: 'measure' },
              { key: 'value', label: 'value', digits: 2 },
            ],
            rows: [
              { values: { what: 'spawn → first 200 on /health (s)', value: s(first.toHealthMs) } },
              {
                values: {
                  what: 'boot as reported by the server (s)',
                  value: s(first.reportedBootMs),
                },
              },
              {
                digits: 0,
                values: {
                  what: 'server RSS at first 200 (MiB)',
                  value: first.rssMiB === null ? null : round(first.rssMiB, 0),
                },
              },
            ],
          },
        ],
        notes: [
          'The difference between "spawn → first 200" and "boot as reported by the server" is ' +
            'Node starting and tsx loading the TypeScript sources (no build step).',
        ],
      };
    } finally {
      await cleanup.run(ctx.log);
    }
  },
};

function summary(what: string, values: number[], s: (ms: number | null) => number | null) {
  if (values.length === 0) return { values: { what, median: null, max: null, min: null } };
  return {
    values: {
      what,
      median: s(median(values)),
      max: s(Math.max(...values)),
      min: s(Math.min(...values)),
    },
  };
}
