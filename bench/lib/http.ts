/** Small HTTP helpers for setting up a benchmark; the measured traffic goes through load.ts. */

export async function getJson<T>(url: string, signal: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * Polls `url` every `everyMs` until it answers 200, and returns the performance.now() of
 * that answer. A refused connection (not listening yet) just means "poll again".
 */
export async function pollUntilOk(
  url: string,
  opts: { everyMs: number; timeoutMs: number; signal: AbortSignal; isAlive: () => boolean },
): Promise<number> {
  const deadline = performance.now() + opts.timeoutMs;
  while (performance.now() < deadline) {
    opts.signal.throwIfAborted();
    if (!opts.isAlive()) throw new Error('server exited while starting');
    const tick = performance.now();
    try {
      const res = await fetch(url, {
        signal: AbortSignal.any([opts.signal, AbortSignal.timeout(opts.everyMs * 50)]),
      });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now();
    } catch {
      // not listening yet
    }
    const wait = opts.everyMs - (performance.now() - tick);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  throw new Error(`${url} did not answer 200 within ${opts.timeoutMs} ms`);
}
