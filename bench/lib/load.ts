import http from 'node:http';
import { percentile } from './stats.ts';

/**
 * How requests are sent. `http` (node:http with a keep-alive agent) is the default because
 * on a small machine the client shares the CPUs with the server, and `fetch` spends three
 * to four times as much CPU per request (measured on 2 vCPUs: ~300–450 µs against ~80–120
 * µs against a bare server), so its figures describe the client more than the server.
 * `fetch` (Node's built-in undici) stays available to check that claim (`--client fetch`).
 */
export type Client = 'http' | 'fetch';

export interface LoadOptions {
  baseUrl: string;
  /** The path of the i-th request, e.g. `/api/v1/regions/4309`. */
  path: (i: number) => string;
  /** Headers of the i-th request (a bearer token, say); none unless given. */
  headers?: (i: number) => Record<string, string>;
  /** A JSON body for the i-th request, which makes it a POST; GET without. */
  body?: (i: number) => string;
  concurrency: number;
  /** Stop after this many requests… */
  requests?: number;
  /** …or after this long, whichever comes first (at least one of the two is required). */
  durationMs?: number;
  /** The status every response must have; any other counts as an error. */
  expectStatus?: number;
  /** Per-request timeout; a request that takes longer counts as an error. */
  requestTimeoutMs?: number;
  client?: Client;
  signal: AbortSignal;
}

export interface LoadStats {
  requests: number;
  errors: number;
  /** Up to five distinct error descriptions, to tell a 429 from a refused connection. */
  errorSamples: string[];
  durationMs: number;
  /** Completed requests (errors included) per second of wall time. */
  throughput: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU the bench process spent per request (user + system): the client's share of the machine. */
  clientCpuUs: number;
}

/**
 * A closed-loop load generator: `concurrency` workers, each sending its next request as
 * soon as the previous response body has been read, over keep-alive connections. It runs in the bench process, never in the server's, so
 * the two do not share an event loop; they do share the machine's CPUs, which the report
 * states. Every latency is kept, so percentiles are exact rather than bucketed.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadStats> {
  if (opts.requests === undefined && opts.durationMs === undefined) {
    throw new Error('runLoad needs requests or durationMs');
  }
  const limit = opts.requests ?? Number.POSITIVE_INFINITY;
  const expect = opts.expectStatus ?? 200;
  const latencies: number[] = [];
  const errorSamples = new Set<string>();
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline =
    opts.durationMs === undefined ? Number.POSITIVE_INFINITY : started + opts.durationMs;

  const send = opts.client === 'fetch' ? viaFetch : viaHttp(opts.concurrency);
  const fail = (what: string) => {
    errors++;
    if (errorSamples.size < 5) errorSamples.add(what);
  };

  const worker = async () => {
    while (issued < limit && performance.now() < deadline && !opts.signal.aborted) {
      const i = issued++;
      const path = opts.path(i);
      const headers = opts.headers?.(i);
      const body = opts.body?.(i);
      const t0 = performance.now();
      try {
        const timeout = opts.requestTimeoutMs ?? 10_000;
        const status = await send(opts.baseUrl + path, timeout, headers, body);
        latencies.push(performance.now() - t0);
        if (status !== expect) fail(`HTTP ${status} for ${path}`);
      } catch (err) {
        latencies.push(performance.now() - t0);
        fail(`${(err as Error).name}: ${(err as Error).message} for ${path}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  } finally {
    send.close?.();
  }
  if (opts.signal.aborted) throw new Error('load run aborted');

  const durationMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = Float64Array.from(latencies).sort();
  const sum = latencies.reduce((s, v) => s + v, 0);
  return {
    requests: latencies.length,
    errors,
    errorSamples: [...errorSamples],
    durationMs,
    throughput: (latencies.length / durationMs) * 1000,
    meanMs: sum / Math.max(1, latencies.length),
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    clientCpuUs: (cpu.user + cpu.system) / Math.max(1, latencies.length),
  };
}

type Send = ((
  url: string,
  timeoutMs: number,
  headers?: Record<string, string>,
  body?: string,
) => Promise<number>) & { close?: () => void };

const withJson = (headers: Record<string, string> | undefined, body: string | undefined) =>
  body === undefined ? headers : { ...headers, 'content-type': 'application/json' };

/** Reading the body is part of each request: a client cannot use a response before. */
const viaFetch: Send = async (url, timeoutMs, headers, body) => {
  const res = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: withJson(headers, body),
    ...(body === undefined ? {} : { method: 'POST', body }),
  });
  await res.arrayBuffer();
  return res.status;
};

function viaHttp(concurrency: number): Send {
  // One socket per worker, kept open, as fetch's pool would do; closed after the run.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const send: Send = (url, timeoutMs, headers, body) =>
    new Promise((resolve, reject) => {
      const method = body === undefined ? 'GET' : 'POST';
      const options = { agent, timeout: timeoutMs, method, headers: withJson(headers, body) };
      const req = http.request(url, options, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  send.close = () => agent.destroy();
  return send;
}
