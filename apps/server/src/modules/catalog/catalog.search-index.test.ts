import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { generateCatalog } from '../../../../../scripts/generate-catalog.ts';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { importCatalog } from './catalog.admin.service.ts';
import { searchItems } from './catalog.repo.ts';
import { searchPublished } from './catalog.search-index.ts';

let env: TestEnv;
before(async () => {
  env = await createTestEnv();
  // The benchmark's catalogue (300 of its 1,088 items) over the seeded one.
  await env.db
    .transaction()
    .execute((trx) => importCatalog(trx, { actor: null, meta: null }, generateCatalog(300), true));
});
after(() => env.close());

const QUERIES = [
  {},
  { q: 'sfz' },
  { q: 'SFZ' },
  { q: 'shengyu' },
  { q: 'yanglao' },
  { q: 'dengji' },
  { q: 'j' },
  { q: '身份证' },
  { q: '补贴' },
  { q: '登记' },
  { q: '户口' },
  { q: '50%_' },
  { q: 'zzzzzz' },
  { region: '430922101220' },
  { q: 'bt', region: '430922101220' },
  { theme: 'birth' },
  { department: '人社' },
  { channel: 'online' },
  { q: '证', offset: 20 },
];

describe('catalogue search from memory', () => {
  it('answers exactly what the SQL search answers, in the same order, with the same total', async () => {
    let nonEmpty = 0;
    for (const query of QUERIES) {
      const p = { limit: 20, offset: 0, ...query };
      const fromSql = await searchItems(env.db, p);
      const fromMemory = await searchPublished(env.db, p);
      const label = JSON.stringify(query);
      assert.equal(fromMemory.total, Number(fromSql[0]?.total ?? 0), label);
      assert.deepEqual(
        fromMemory.rows.map((r) => r.code),
        fromSql.map((r) => r.code),
        label,
      );
      if (fromMemory.rows.length > 0) nonEmpty++;
    }
    assert.ok(nonEmpty >= 12, `most queries find something (${nonEmpty})`);
  });

  it('sees a change committed by anyone on the next search, never a stale copy', async () => {
    const before = await searchPublished(env.db, { q: '甲乙丙丁', limit: 5, offset: 0 });
    assert.equal(before.total, 0);
    const [first] = (await searchPublished(env.db, { limit: 1, offset: 0 })).rows;
    assert.ok(first);
    // Written straight to the table, as another server process or a script would.
    await env.db
      .updateTable('catalog_item')
      .set({ name: '甲乙丙丁登记（测试）', search_text: '甲乙丙丁登记（测试）' })
      .where('code', '=', first.code)
      .execute();
    const after = await searchPublished(env.db, { q: '甲乙丙丁', limit: 5, offset: 0 });
    assert.deepEqual(
      after.rows.map((r) => r.code),
      [first.code],
    );
    await env.db
      .updateTable('catalog_item')
      .set({ status: 'retired' })
      .where('code', '=', first.code)
      .execute();
    assert.equal((await searchPublished(env.db, { q: '甲乙丙丁', limit: 5, offset: 0 })).total, 0);
  });

  it('a rolled-back change does not move the generation', async () => {
    const gen = async () =>
      (await sql<{ n: string }>`SELECT n::text AS n FROM catalog_generation`.execute(env.db))
        .rows[0]!.n;
    const g0 = await gen();
    await assert.rejects(
      env.db.transaction().execute(async (trx) => {
        await trx.updateTable('catalog_item').set({ popularity: 1 }).execute();
        throw new Error('roll back');
      }),
    );
    assert.equal(await gen(), g0);
    await env.db
      .updateTable('catalog_item')
      .set({ popularity: 2 })
      .where('code', '=', '-')
      .execute();
    assert.notEqual(await gen(), g0, 'a statement that changes nothing still bumps: safe side');
  });
});
