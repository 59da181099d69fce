import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app.ts';
import type { AppContext } from '../app-context.ts';
import { type Config, loadConfig } from '../config.ts';
import { deriveKeys } from '../crypto/keys.ts';
import { type Database, openDatabase } from '../db/connection.ts';
import { listMigrations, migrate } from '../db/migrate.ts';
import { CATALOG_DATA_DIR } from '../modules/catalog/catalog.seed.ts';
import { YIYANG_REGIONS_FILE } from '../modules/regions/regions.import.ts';
import { ensureBaseData } from '../seed/seed.ts';
import { createAppContext } from '../wiring.ts';

/**
 * Tests run against a real database: PGlite in memory by default, PostgreSQL when
 * TEST_DATABASE_URL is set. Each test file gets its own fresh database, copied from a
 * template that already holds the migrations and Yiyang's regions, so a file starts in
 * well under a second instead of paying initdb and the region import each time.
 */
export const TEST_BACKEND: 'pglite' | 'postgres' = process.env.TEST_DATABASE_URL
  ? 'postgres'
  : 'pglite';

/** A fixed master key, so tests can compute lookup hashes and ciphertexts themselves. */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7);
export const TEST_KEYS = deriveKeys(TEST_MASTER_KEY);

function templateKey(): string {
  const h = createHash('sha256');
  for (const m of listMigrations()) h.update(fs.readFileSync(m.file));
  h.update(fs.readFileSync(YIYANG_REGIONS_FILE));
  h.update(fs.readFileSync(new URL('../seed/seed.ts', import.meta.url)));
  if (fs.existsSync(CATALOG_DATA_DIR)) {
    for (const f of (fs.readdirSync(CATALOG_DATA_DIR, { recursive: true }) as string[]).sort()) {
      const file = path.join(CATALOG_DATA_DIR, f);
      if (fs.statSync(file).isFile()) h.update(f).update(fs.readFileSync(file));
    }
  }
  return h.digest('hex').slice(0, 16);
}

export interface TestEnv {
  ctx: AppContext;
  app: FastifyInstance;
  db: Database['db'];
  config: Config;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({
    YIMEN_DATA_DIR: path.join(os.tmpdir(), 'yimen-test'),
    LOG_LEVEL: 'silent',
  });
  return { ...base, demo: false, ...overrides };
}

export async function createTestEnv(overrides: Partial<Config> = {}): Promise<TestEnv> {
  const database = TEST_BACKEND === 'postgres' ? await openPostgresCopy() : await openPGliteCopy();
  const config = testConfig(overrides);
  const ctx = createAppContext({ config, database: database.database, keys: TEST_KEYS });
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  return {
    ctx,
    app,
    db: database.database.db,
    config,
    async close() {
      await app.close();
      await database.database.close();
      await database.drop();
    },
  };
}

async function openPGliteCopy(): Promise<{ database: Database; drop(): Promise<void> }> {
  const file = path.join(os.tmpdir(), `yimen-test-template-${templateKey()}.tar.gz`);
  if (!fs.existsSync(file)) {
    const fresh = await openDatabase({ kind: 'pglite', dataDir: null });
    await migrate(fresh);
    await ensureBaseData(fresh.db);
    const dump = await fresh.dumpDataDir!();
    await fresh.close();
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file);
  }
  const blob = new Blob([fs.readFileSync(file)]);
  const database = await openDatabase({ kind: 'pglite', dataDir: null }, { loadDataDir: blob });
  return { database, drop: async () => {} };
}

async function openPostgresCopy(): Promise<{ database: Database; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const template = `yimen_tpl_${templateKey()}`;
  const name = `yimen_t_${process.pid}_${randomBytes(3).toString('hex')}`;
  try {
    await admin.query(`SELECT pg_advisory_lock(hashtext('yimen.test.template'))`);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${template}`);
      const tpl = await openDatabase({ kind: 'postgres', url: withDatabase(adminUrl, template) });
      await migrate(tpl);
      await ensureBaseData(tpl.db);
      await tpl.close();
    }
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(hashtext('yimen.test.template'))`);
    await admin.end();
  }
  const database = await openDatabase({ kind: 'postgres', url: withDatabase(adminUrl, name) });
  return {
    database,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** `app.inject` with JSON parsed, so a test reads `res.json` and `res.statusCode`. */
export async function call(
  app: FastifyInstance,
  opts: InjectOptions,
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies loosely
): Promise<LightMyRequestResponse & { body: string; data: any }> {
  const res = await app.inject(opts);
  let data: unknown;
  try {
    data = res.json();
  } catch {
    data = undefined;
  }
  return Object.assign(res, { data });
}
