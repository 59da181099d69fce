import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './connection.ts';

describe('the embedded database in a data directory', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'yimen-conn-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates the cluster on the first open (in a child process) and finds it again', async () => {
    const dataDir = path.join(root, 'a', 'db');
    const first = await openDatabase({ kind: 'pglite', dataDir });
    assert.ok(fs.existsSync(path.join(dataDir, 'PG_VERSION')));
    await sql`CREATE TABLE kept (n int)`.execute(first.db);
    await sql`INSERT INTO kept VALUES (7)`.execute(first.db);
    await first.close();
    const again = await openDatabase({ kind: 'pglite', dataDir });
    const r = await sql<{ n: number }>`SELECT n FROM kept`.execute(again.db);
    assert.deepEqual(r.rows, [{ n: 7 }]);
    await again.close();
  });

  it('refuses a directory that holds something else, naming it, and frees its lock', async () => {
    const dataDir = path.join(root, 'b', 'db');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'not a database');
    await assert.rejects(openDatabase({ kind: 'pglite', dataDir }), (err: Error) => {
      assert.match(err.message, /不为空/);
      assert.match(err.message, /b\/db is not empty and holds no database/);
      return true;
    });
    assert.ok(fs.existsSync(path.join(dataDir, 'notes.txt')), 'nothing of it was removed');
    // The lock was released: once the directory is cleared, it opens.
    fs.rmSync(dataDir, { recursive: true });
    const db = await openDatabase({ kind: 'pglite', dataDir });
    await db.close();
    assert.deepEqual(
      fs.readdirSync(path.dirname(dataDir)).filter((f) => f.includes('initdb')),
      [],
      'no build directory is left beside it',
    );
  });
});
