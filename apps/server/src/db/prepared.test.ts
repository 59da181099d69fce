import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { TEST_BACKEND } from '../test/harness.ts';
import { openDatabase } from './connection.ts';

/** The test PostgreSQL server through a pool of one, so every query uses the same connection. */
const openOneConnection = () =>
  openDatabase({ kind: 'postgres', url: process.env.TEST_DATABASE_URL! }, { poolSize: 1 });

describe('named prepared statements (PostgreSQL)', {
  skip: TEST_BACKEND !== 'postgres' && 'PGlite has no network round trip to save',
}, () => {
  it('prepares a parameterised statement once per connection and runs the rest as before', async () => {
    const database = await openOneConnection();
    try {
      const { db } = database;
      const text = 'SELECT $1::int + 1 AS n /* prepared.test */';
      for (let i = 0; i < 3; i++) {
        const r = await sql<{ n: number }>`SELECT ${i}::int + 1 AS n /* prepared.test */`.execute(
          db,
        );
        assert.equal(r.rows[0]?.n, i + 1);
      }
      const prepared = await sql<{ name: string; calls: number }>`
        SELECT name, generic_plans + custom_plans AS calls FROM pg_prepared_statements
        WHERE statement = ${text}`.execute(db);
      assert.equal(prepared.rows.length, 1, 'one named statement for the three runs');
      assert.match(prepared.rows[0]!.name, /^y\d+$/);
      assert.equal(Number(prepared.rows[0]!.calls), 3);
      // A LIKE on a bound pattern is planned for its value every time: never named.
      const like = 'SELECT count(*) AS n FROM pg_class WHERE relname LIKE $1 /* prepared.test */';
      await sql`SELECT count(*) AS n FROM pg_class WHERE relname LIKE ${'pg_%'} /* prepared.test */`.execute(
        db,
      );
      const likePrepared = await sql`
        SELECT 1 FROM pg_prepared_statements WHERE statement = ${like}`.execute(db);
      assert.equal(likePrepared.rows.length, 0);
      // Without parameters: the simple protocol, so several statements in one text still work.
      await sql`CREATE TEMP TABLE prepared_t (n int); INSERT INTO prepared_t VALUES (1)`.execute(
        db,
      );
      const n = await db
        .selectFrom('prepared_t' as never)
        .select(sql<number>`count(*)`.as('c'))
        .executeTakeFirst();
      assert.equal(Number((n as { c: number }).c), 1);
      // Inside a transaction too, and an error does not poison the name for the next run.
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await sql`SELECT ${1}::int / ${0}::int AS q`.execute(trx);
        }),
        /division by zero/,
      );
      const again = await sql<{ q: number }>`SELECT ${4}::int / ${2}::int AS q`.execute(db);
      assert.equal(again.rows[0]?.q, 2);
    } finally {
      await database.close();
    }
  });
});

describe('a pooled connection closed by PostgreSQL', {
  skip: TEST_BACKEND !== 'postgres' && 'PGlite has no server to close it',
}, () => {
  it('is replaced on the next query; the process does not die of it', async () => {
    const database = await openOneConnection();
    const admin = await openOneConnection();
    try {
      const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(database.db))
        .rows[0]!.pid;
      await sql`SELECT pg_terminate_backend(${pid})`.execute(admin.db);
      // The idle client learns of it asynchronously: give it the time to emit its error.
      await new Promise((r) => setTimeout(r, 300));
      const again = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(database.db);
      assert.notEqual(again.rows[0]!.pid, pid);
    } finally {
      await database.close();
      await admin.close();
    }
  });
});
