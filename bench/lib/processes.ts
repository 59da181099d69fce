import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const YIMEN_BIN = path.join(REPO_ROOT, 'apps/server/bin/yimen.js');

/**
 * Every child the bench starts, so that an interrupted or crashed run still kills them:
 * a server left behind would hold its port, its data directory lock or database sessions.
 */
const live = new Set<ChildProcess>();

export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Last resort, called when the runner exits: SIGKILL whatever is still running. */
export function killAllChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

/**
 * The environment for a yimen child: the runner's own, minus the variables that would
 * change which database or directory the child uses, plus the benchmark's choices.
 */
export function yimenEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k.startsWith('YIMEN_')) {
      delete env[k];
    }
  }
  // Only on PostgreSQL: an embedded start stays exactly `npm start`, which makes its own key.
  const key = overrides.DATABASE_URL ? { YIMEN_SECRET_KEY: BENCH_SECRET_KEY } : {};
  return { ...env, ...key, ...overrides };
}

/**
 * A throwaway YIMEN_SECRET_KEY for servers on PostgreSQL outside demo mode, which refuse to
 * start without one. The bench databases hold no personal data, so the key dies with the run.
 */
export const BENCH_SECRET_KEY = randomBytes(32).toString('base64');

/** Resolves when the child has exited; at once if it already has. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`. */
export async function terminate(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `node <args>` to completion and times it from spawn to exit. Killed when `signal`
 * aborts (the benchmark's time budget), so a hung import cannot hold the run.
 */
export function runNode(
  args: string[],
  opts: {
    env: NodeJS.ProcessEnv;
    signal: AbortSignal;
    onSpawn?: (child: ChildProcess) => void;
  },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = track(
      spawn(process.execPath, args, {
        cwd: REPO_ROOT,
        env: opts.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const onAbort = () => child.kill('SIGKILL');
    opts.signal.addEventListener('abort', onAbort, { once: true });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.once('error', reject);
    child.once('close', (code, sig) => {
      opts.signal.removeEventListener('abort', onAbort);
      resolve({ code, signal: sig, stdout, stderr, ms: performance.now() - started });
    });
    opts.onSpawn?.(child);
  });
}
