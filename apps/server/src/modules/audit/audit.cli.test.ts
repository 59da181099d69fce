import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type Database, openDatabase } from '../../db/connection.ts';
import { createTestEnv, TEST_BACKEND, type TestEnv, withDatabase } from '../../test/harness.ts';
import { record, rowsOf, staffActor, tamper } from './audit.fixtures.ts';

/**
 * `yimen audit verify` as an operator runs it, in its own process against a real database:
 * the embedded one in a fresh data directory, or the test's PostgreSQL database. The test
 * writes and tampers through its own connection, and (for PGlite, whose directory one
 * process at a time may hold) only while the CLI is not running.
 */
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/yimen.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yimen-audit-cli-'));
let pgEnv: TestEnv | undefined;

after(async () => {
  await pgEnv?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function cliEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, YIMEN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  if (TEST_BACKEND === 'postgres') {
    pgEnv ??= await createTestEnv();
    const name = await sql<{ name: string }>`SELECT current_database() AS name`.execute(pgEnv.db);
    env.DATABASE_URL = withDatabase(process.env.TEST_DATABASE_URL!, name.rows[0]!.name);
  }
  return env;
}

/** The database as the test sees it, closed again before the CLI runs on PGlite. */
async function withDb<T>(fn: (db: Database['db']) => Promise<T>): Promise<T> {
  if (pgEnv) return fn(pgEnv.db);
  const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'db') });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

function verify(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'audit', 'verify', ...args], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('yimen audit verify', () => {
  it('finds a row edited directly in the database', async () => {
    const env = await cliEnv();
    // From nothing: the CLI creates and migrates the database, and an empty trail is intact.
    const empty = verify(env);
    assert.equal(empty.status, 0, empty.out);
    // A fresh embedded database has no rows; the PostgreSQL test database holds the seed's.
    if (!pgEnv) assert.match(empty.out, /0 chains, 0 rows/);
    assert.match(empty.out, /intact/);
    const [, chains0 = '0', rows0 = '0'] = /(\d+) chains, (\d+) rows/.exec(empty.out) ?? [];

    const a = staffActor('430922101220');
    const b = staffActor('430903105237');
    const target = await withDb(async (db) => {
      for (let i = 0; i < 3; i++) {
        await record(db, { actor: a, action: 'resident.update', after: { step: i } });
        await record(db, { actor: b, action: 'resident.create' });
      }
      return (await rowsOf(db, 'sp:430922101220'))[1]!;
    });
    const intact = verify(env);
    assert.equal(intact.status, 0, intact.out);
    assert.match(
      intact.out,
      new RegExp(`${Number(chains0) + 2} chains, ${Number(rows0) + 6} rows`),
    );

    await withDb((db) =>
      tamper(db, sql`UPDATE audit_log SET after = '{"step":99}' WHERE id = ${target.id}`),
    );
    const broken = verify(env);
    assert.equal(broken.status, 1, broken.out);
    assert.match(broken.out, new RegExp(`id:\\s+${target.id}\\n`));
    assert.match(broken.out, /chain:\s+sp:430922101220\n/);
    assert.match(broken.out, /seq:\s+2\n/);
    assert.match(broken.out, /reason:\s+hash_mismatch/);
    assert.match(broken.out, /action:\s+resident.update/);
    assert.match(broken.out, new RegExp(target.occurred_at.toISOString().slice(0, 19)));

    // The other station's chain is untouched, and can be checked on its own.
    const other = verify(env, '--chain', 'sp:430903105237');
    assert.equal(other.status, 0, other.out);
    assert.match(other.out, /1 chains, 3 rows/);
  });

  it('is listed in the help', () => {
    const r = spawnSync(process.execPath, [BIN, 'audit', '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /verify/);
  });
});
