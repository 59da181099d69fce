#!/usr/bin/env node
// The yimen CLI. TypeScript runs through tsx's loader: no build step between a change and a run.
import v8 from 'node:v8';
import { register } from 'tsx/esm/api';

// Memory settings for V8, set here because yimen is started as `node bin/yimen.js` (npm start,
// the benchmarks) with no node flags; they must come before anything is compiled. Measured with
// the lifecycle benchmark on PGlite (a restart, then 40 + 400 cases, 8 case-workers), whose peak
// RSS went from 456–591 MiB to 328–342 MiB with these and 16 MB of shared buffers (config.ts):
//
// - The embedded PostgreSQL is WebAssembly. V8 runs it on baseline code (Liftoff) and by default
//   recompiles the hot functions with TurboFan on its worker threads: 157 of them before the
//   first /health, 8 s of CPU, up to 35 MB of scratch memory for one function. glibc keeps what
//   those compiles freed in each worker thread's malloc arena: 65–90 MiB of RSS for good (malloc
//   tunables could give it back, but only set from outside the process). Baseline code only:
//   arenas 23–30 MiB, peak 372–413 → 328–342 MiB, RSS at the first /health after a restart
//   322–356 → 279–294 MiB and that /health 0.3 s sooner, for 3–15% more server CPU per case
//   (medians of 3 runs, on a quiet and on a busy machine).
// - V8 lets the old generation grow to up to 4× what the last full GC kept before collecting
//   again: with about 70 MiB live the heap reached 185–308 MiB. At 30% growth it stays near
//   120 MiB, for about 14 full GCs (0.1–0.3 s in all) per 440 cases instead of 2.
//
// A flag given on the node command line wins, e.g.
// `node --wasm-dynamic-tiering apps/server/bin/yimen.js serve` to have TurboFan back.
const V8_FLAGS = ['--no-wasm-dynamic-tiering', '--no-wasm-tier-up', '--heap-growing-percent=30'];
const flagName = (flag) =>
  flag
    .replace(/^--(no-)?/, '')
    .replace(/=.*$/, '')
    .replaceAll('_', '-');
const given = new Set(process.execArgv.filter((a) => a.startsWith('--')).map(flagName));
for (const flag of V8_FLAGS) if (!given.has(flagName(flag))) v8.setFlagsFromString(flag);

register();
await import('../src/cli.ts');
