import fs from 'node:fs';
import path from 'node:path';
import { generateCatalog } from '../../scripts/generate-catalog.ts';
import { ApiClient } from './api.ts';
import { type Cleanup, tempDir } from './cleanup.ts';
import { backendPids, createFreshDatabase, dropDatabase, withClient } from './postgres.ts';
import { type ServerHandle, startServer } from './server.ts';
import type { RunContext } from './types.ts';

export type Backend = 'pglite' | 'postgres';

/**
 * A yimen server the way `npm start` runs it, on the embedded database in a fresh data
 * directory or on a fresh PostgreSQL database, in demo mode either way (the demo accounts
 * are how a benchmark signs in). Everything it creates is undone by `cleanup`.
 */
export interface Yimen {
  backend: Backend;
  dataDir: string;
  /** PostgreSQL only. */
  database?: string;
  url?: string;
  server: ServerHandle & { baseUrl: string };
  api: ApiClient;
  /** PostgreSQL backends serving the server, for their CPU time (empty for PGlite). */
  backends(): Promise<number[]>;
  /** Starts the server again on the same database after `stop()`. */
  start(): Promise<void>;
  /** Stops the server cleanly (SIGTERM: the embedded database is closed and checkpointed). */
  stop(): Promise<void>;
}

export async function startYimen(
  ctx: RunContext,
  cleanup: Cleanup,
  opts: { backend: Backend; label: string; database?: string; env?: Record<string, string> },
): Promise<Yimen> {
  const dataDir = tempDir(cleanup, opts.label);
  const env: Record<string, string> = { YIMEN_DATA_DIR: dataDir, ...opts.env };
  let url: string | undefined;
  if (opts.backend === 'postgres') {
    const name = opts.database ?? `yimen_bench_${opts.label.replace(/-/g, '_')}`;
    cleanup.defer(`drop database ${name}`, () => dropDatabase(name));
    url = await createFreshDatabase(name);
    Object.assign(env, { DATABASE_URL: url, YIMEN_DEMO: '1' });
  }
  const launch = async () => {
    const s = await startServer({ env, timeoutMs: 240_000, signal: ctx.signal });
    cleanup.defer(`stop the ${opts.label} server`, () => s.stop());
    return s;
  };
  ctx.log(`starting yimen on ${opts.backend === 'postgres' ? 'PostgreSQL' : 'PGlite'}`);
  const y: Yimen = {
    backend: opts.backend,
    dataDir,
    ...(url ? { url, database: new URL(url).pathname.slice(1) } : {}),
    server: await launch(),
    api: undefined as unknown as ApiClient,
    backends: async () => (y.database ? backendPids(y.database) : []),
    start: async () => {
      y.server = await launch();
      y.api = new ApiClient(y.server.baseUrl);
    },
    stop: async () => {
      await y.server.stop();
      y.api.close();
    },
  };
  y.api = new ApiClient(y.server.baseUrl);
  cleanup.defer('close the API client', () => y.api.close());
  return y;
}

/** Bytes under a directory (files only), 0 if it does not exist. */
export function dirBytes(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) total += fs.statSync(p).size;
    }
  };
  walk(dir);
  return total;
}

/** What the database takes on disk: pg_database_size, or the PGlite data directory. */
export async function databaseBytes(y: Yimen): Promise<number> {
  if (y.url) {
    return withClient(y.url, async (c) => {
      const r = await c.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b');
      return Number(r.rows[0]?.b ?? 0);
    });
  }
  return dirBytes(path.join(y.dataDir, 'db'));
}

/** Below the server's default 1 MiB body limit, with room for the JSON around the items. */
const CHUNK_BYTES = 700_000;

/**
 * Loads the benchmark catalogue (scripts/generate-catalog.ts: 1,088 items, the size of
 * Yiyang's app in 2020) through `POST /api/v1/catalog/import` as the system administrator,
 * in chunks under the body limit. Import upserts, so the 82 seeded items are updated.
 */
export async function importBenchCatalog(
  ctx: RunContext,
  y: Yimen,
  adminToken: string,
): Promise<{ items: number; ms: number }> {
  const items = generateCatalog();
  const t0 = performance.now();
  let chunk: unknown[] = [];
  let bytes = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    ctx.signal.throwIfAborted();
    await y.api.expect(200, 'POST', '/api/v1/catalog/import', {
      token: adminToken,
      body: { items: chunk, publish: true },
      timeoutMs: 300_000,
    });
    chunk = [];
    bytes = 0;
  };
  for (const item of items) {
    const size = JSON.stringify(item).length * 3; // UTF-8 worst case for the Chinese text
    if (bytes + size > CHUNK_BYTES) await flush();
    chunk.push(item);
    bytes += size;
  }
  await flush();
  const count = await y.api.expect<{ total: number }>(200, 'GET', '/api/v1/catalog/items?limit=1');
  if (count.total !== items.length) {
    throw new Error(`catalogue import: ${count.total} published items, expected ${items.length}`);
  }
  return { items: items.length, ms: performance.now() - t0 };
}

/** A sample of Yiyang's village codes through the regions API (the embedded DB is locked). */
export async function villageCodes(y: Yimen, limit = 200): Promise<string[]> {
  const page = await y.api.expect<{ items: { code: string }[] }>(
    200,
    'GET',
    `/api/v1/regions?within=4309&level=village&limit=${limit}`,
  );
  return page.items.map((i) => i.code);
}
