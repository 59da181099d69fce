import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { REPO_ROOT, terminate, track, YIMEN_BIN, yimenEnv } from './processes.ts';

/** The line `yimen serve` prints once it listens (apps/server/src/main.ts). */
const RUNNING = /running at http:\/\/localhost:(\d+)(?:\s+\((\d+) ms\))?/;

export interface ServerHandle {
  child: ChildProcess;
  pid: number;
  /** Resolves with the port once the server printed its "running at" line. */
  ready: Promise<{ port: number; baseUrl: string; msToLine: number; reportedBootMs?: number }>;
  /** The last lines of the server's output, for error messages. */
  tail(): string;
  /** SIGTERM (graceful shutdown), SIGKILL after the grace period. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** YIMEN_DATA_DIR, DATABASE_URL, LOG_LEVEL…; PORT and HOST are set here. */
  env: Record<string, string>;
  /** 0 (default) lets the server pick; the startup benchmark fixes one to poll before the line. */
  port?: number;
  /** Node arguments; `yimen serve` unless given (the harness floor passes a bare server). */
  args?: string[];
  signal: AbortSignal;
}

/**
 * A server that does nothing but answer like /health, printing the same line as yimen. Load
 * against it measures the harness itself: the client's cost and the loopback round trip.
 */
const BARE_SERVER = `
const body = JSON.stringify({ status: 'ok', database: 'none', version: '0' });
const s = require('node:http').createServer((req, res) => {
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(body);
});
s.listen(Number(process.env.PORT), process.env.HOST, () =>
  console.log('running at http://localhost:' + s.address().port));
process.on('SIGTERM', () => s.close(() => process.exit(0)));
`;
export const BARE_SERVER_ARGS = ['-e', BARE_SERVER];

/**
 * Spawns `node apps/server/bin/yimen.js serve` (what `npm start` runs, without npm's own
 * start-up time). Output is drained continuously: a server logging into a full pipe would
 * block and the benchmark would measure the pipe.
 */
export function spawnServer(opts: ServerOptions): ServerHandle {
  const started = performance.now();
  const child = track(
    spawn(process.execPath, opts.args ?? [YIMEN_BIN, 'serve'], {
      cwd: REPO_ROOT,
      env: yimenEnv({ PORT: String(opts.port ?? 0), HOST: '127.0.0.1', ...opts.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const lines: string[] = [];
  const remember = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(line);
    if (lines.length > 60) lines.splice(0, lines.length - 40);
  };
  const onAbort = () => child.kill('SIGKILL');
  opts.signal.addEventListener('abort', onAbort, { once: true });
  child.once('exit', () => opts.signal.removeEventListener('abort', onAbort));

  const ready = new Promise<Awaited<ServerHandle['ready']>>((resolve, reject) => {
    let seen = '';
    let found = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      remember(chunk);
      if (found) return;
      seen += chunk.toString('utf8');
      const m = RUNNING.exec(seen);
      if (m) {
        found = true;
        const port = Number(m[1]);
        resolve({
          port,
          baseUrl: `http://127.0.0.1:${port}`,
          msToLine: performance.now() - started,
          reportedBootMs: m[2] ? Number(m[2]) : undefined,
        });
      } else if (seen.length > 100_000) seen = seen.slice(-1000);
    });
    child.stderr!.on('data', remember);
    child.once('error', reject);
    child.once('exit', (code, sig) =>
      reject(new Error(`server exited (${code ?? sig}) before it was ready:\n${tail()}`)),
    );
  });
  ready.catch(() => {}); // observed by the caller; this keeps an early exit from crashing us
  const tail = () => lines.slice(-20).join('\n');
  return { child, pid: child.pid!, ready, tail, stop: () => terminate(child) };
}

/** Spawns a server and waits for its line, killing it if it is not ready in `timeoutMs`. */
export async function startServer(
  opts: ServerOptions & { timeoutMs: number },
): Promise<ServerHandle & { baseUrl: string }> {
  const server = spawnServer(opts);
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = await Promise.race([
      server.ready,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`server not ready after ${opts.timeoutMs} ms:\n${server.tail()}`)),
          opts.timeoutMs,
        );
      }),
    ]);
    return { ...server, baseUrl: ready.baseUrl };
  } catch (err) {
    await server.stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** A port that was free a moment ago, for a server whose address must be known before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
