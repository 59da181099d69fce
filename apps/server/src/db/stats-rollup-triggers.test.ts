import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestEnv, type TestEnv } from '../test/harness.ts';
import type { Db } from './connection.ts';

/**
 * stats_area_monthly and stats_item_monthly are kept from stats_monthly by statement
 * triggers (0009, one function since 0015). Whatever a statement does to stats_monthly —
 * insert, upsert, update many rows, delete, truncate, in replica mode too — the coarser
 * rollups must stay the sums of its rows.
 */
let env: TestEnv;
before(async () => {
  env = await createTestEnv();
});
after(() => env.close());

const COUNTERS = [
  'submitted',
  'accepted',
  'concluded',
  'approved',
  'denied',
  'refused',
  'withdrawn',
  'on_time',
  'late',
  'cross_region',
  'rating_1',
  'rating_2',
  'rating_3',
  'rating_4',
  'rating_5',
] as const;

async function assertRollupsAreSums(db: Db, when: string) {
  const sums = sql.raw(COUNTERS.map((c) => `sum(${c})::int AS ${c}`).join(', '));
  const differ = async (a: ReturnType<typeof sql>, b: ReturnType<typeof sql>) =>
    (
      await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ((${a} EXCEPT ${b}) UNION ALL (${b} EXCEPT ${a})) x`.execute(
        db,
      )
    ).rows[0]!.n;
  // A key whose rows all went keeps its rollup row, at zero: compare the keys with counts.
  const counted = sql.raw(`HAVING ${COUNTERS.map((c) => `sum(${c}) <> 0`).join(' OR ')}`);
  assert.equal(
    await differ(
      sql`SELECT region_code, month, ${sums} FROM stats_monthly GROUP BY 1, 2 ${counted}`,
      sql`SELECT region_code, month, ${sums} FROM stats_area_monthly GROUP BY 1, 2 ${counted}`,
    ),
    0,
    `stats_area_monthly ${when}`,
  );
  assert.equal(
    await differ(
      sql`SELECT substr(region_code, 1, 6), month, item_code, ${sums}
          FROM stats_monthly GROUP BY 1, 2, 3 ${counted}`,
      sql`SELECT region_code, month, item_code, ${sums}
          FROM stats_item_monthly GROUP BY 1, 2, 3 ${counted}`,
    ),
    0,
    `stats_item_monthly ${when}`,
  );
}

const row = (region: string, item: string, channel: string, n: number) => ({
  month: '2031-03-01',
  region_code: region,
  item_code: item,
  channel,
  submitted: n,
  accepted: n - 1,
  rating_5: 2 * n,
});

describe('the rollups of stats_monthly', () => {
  it('stay the sums of its rows through every kind of write', async () => {
    const { db } = env;
    await db
      .insertInto('stats_monthly')
      .values([
        row('430922101', 'A', 'online', 3),
        row('430922101', 'A', 'counter', 5),
        row('430922102', 'B', 'online', 7),
        row('430903105', 'A', 'proxy', 11),
      ])
      .execute();
    await assertRollupsAreSums(db, 'after a multi-row insert');

    // An upsert that inserts one row and adds to another fires both statement triggers.
    await db
      .insertInto('stats_monthly')
      .values([row('430922101', 'A', 'online', 2), row('430922103', 'C', 'online', 4)])
      .onConflict((oc) =>
        oc.columns(['region_code', 'month', 'item_code', 'channel']).doUpdateSet((eb) => ({
          submitted: sql`stats_monthly.submitted + ${eb.ref('excluded.submitted')}`,
        })),
      )
      .execute();
    await assertRollupsAreSums(db, 'after an upsert');

    await db
      .updateTable('stats_monthly')
      .set((eb) => ({ late: eb('late', '+', 1), item_code: sql`item_code || 'x'` }))
      .where('region_code', 'like', '430922%')
      .execute();
    await db
      .updateTable('stats_monthly')
      .set({ late: 9 })
      .where('item_code', '=', 'none')
      .execute();
    await assertRollupsAreSums(db, 'after an update that moves rows between keys');

    await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await trx.deleteFrom('stats_monthly').where('channel', '=', 'online').execute();
      await trx
        .insertInto('stats_monthly')
        .values(row('430903105', 'D', 'desk', 1))
        .execute();
    });
    await assertRollupsAreSums(db, 'after a delete and an insert in replica mode');

    await sql`TRUNCATE stats_monthly`.execute(db);
    const left = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM stats_area_monthly) + (SELECT count(*) FROM stats_item_monthly) AS n`.execute(
      db,
    );
    assert.equal(Number(left.rows[0]!.n), 0, 'TRUNCATE empties the coarser rollups too');
  });

  it('are kept by one function, its triggers fired in replica mode too', async () => {
    const r = await sql<{ tgname: string; fn: string; enabled: string }>`
      SELECT tgname, tgfoid::regproc::text AS fn, tgenabled AS enabled FROM pg_trigger
      WHERE tgrelid = 'stats_monthly'::regclass AND NOT tgisinternal ORDER BY tgname`.execute(
      env.db,
    );
    assert.deepEqual(
      r.rows.map((t) => `${t.tgname} ${t.fn} ${t.enabled}`),
      [
        'stats_monthly_rollup_delete stats_monthly_rolled_up A',
        'stats_monthly_rollup_insert stats_monthly_rolled_up A',
        'stats_monthly_rollup_truncate stats_monthly_truncated A',
        'stats_monthly_rollup_update stats_monthly_rolled_up A',
      ],
    );
  });
});
