import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { makeTestIdNumber } from '@yimen/core';
import { sql } from 'kysely';
import { bearer, createCitizen, createStaff, idNumberFor } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv, withDatabase } from '../../test/harness.ts';

// Places: 金山村 station (沧水铺镇, 赫山区), 沧水铺镇 centre, 三官桥村 station (修山镇, 桃江县).
const JINSHAN = '430903105237';
const CANGSHUIPU = '430903105';
const SANGUANQIAO = '430922101220';

let env: TestEnv;
let jinshanAgent: { id: string; token: string };
let sanguanqiaoAgent: { id: string; token: string };
let clerk: { id: string; token: string };
let leader: { id: string; token: string };
let created: { id: string; idNumber: string; mobile: string };

const post = (token: string, url: string, payload: unknown) =>
  call(env.app, { method: 'POST', url, headers: bearer(token), payload: payload as object });
const get = (token: string, url: string) =>
  call(env.app, { method: 'GET', url, headers: bearer(token) });

async function counts() {
  const [residents, audit] = await Promise.all([
    env.db
      .selectFrom('resident')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .execute(),
    env.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .execute(),
  ]);
  return { residents: Number(residents[0]!.n), audit: Number(audit[0]!.n) };
}

before(async () => {
  env = await createTestEnv();
  const staff = (roles: Parameters<typeof createStaff>[1]['roles'], servicePointCode: string) =>
    createStaff(env.db, { roles, servicePointCode });
  jinshanAgent = await staff(['village_agent'], JINSHAN);
  sanguanqiaoAgent = await staff(['village_agent'], SANGUANQIAO);
  clerk = await staff(['township_clerk'], CANGSHUIPU);
  leader = await staff(['leader'], '4309');
  const idNumber = idNumberFor('430903', '19560312');
  const res = await post(jinshanAgent.token, '/api/v1/residents', {
    name: '李秋菊',
    idNumber,
    mobile: '+86 138-0731-0001',
    regionCode: JINSHAN,
  });
  assert.equal(res.statusCode, 201, res.body);
  created = { id: res.data.id, idNumber, mobile: '13807310001' };
});
after(() => env.close());

describe('registering residents', () => {
  it('answers 201 with the detail view, birth date and sex read from the ID number', async () => {
    const res = await get(jinshanAgent.token, `/api/v1/residents/${created.id}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.data.idNumber, created.idNumber);
    assert.equal(res.data.idNumberMasked, `430903********${created.idNumber.slice(14)}`);
    assert.equal(res.data.birthDate, '1956-03-12');
    assert.equal(res.data.sex, Number(created.idNumber[16]) % 2 === 1 ? 'male' : 'female');
    assert.equal(res.data.mobile, created.mobile);
    assert.equal(res.data.regionCode, JINSHAN);
    assert.equal(res.data.household, null);
  });

  it('lists residents masked, and finds them by name or pinyin', async () => {
    for (const q of ['秋菊', 'liqiu']) {
      const res = await get(
        jinshanAgent.token,
        `/api/v1/residents?q=${encodeURIComponent(q)}&within=${JINSHAN}`,
      );
      assert.equal(res.statusCode, 200, q);
      const item = res.data.items.find((r: { id: string }) => r.id === created.id);
      assert.ok(item, q);
      assert.equal(item.idNumberMasked, `430903********${created.idNumber.slice(14)}`);
      assert.equal(item.mobileMasked, '138****0001');
      assert.equal(item.idNumber, undefined);
      assert.equal(item.birthDate, undefined, 'birth date + masked number = the whole number');
      assert.ok(!res.body.includes(created.idNumber) && !res.body.includes(created.mobile));
    }
  });

  it('refuses bad ID numbers naming body.idNumber, and writes nothing', async () => {
    const good = idNumberFor('430903');
    const wrongCheck = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const cases: [string, RegExp][] = [
      [wrongCheck, /check character/],
      [makeTestIdNumber('430903', '19560230', '123'), /birth date/],
      ['430903560312123', /15-digit/],
    ];
    const before = await counts();
    for (const [idNumber, message] of cases) {
      const res = await call(env.app, {
        method: 'POST',
        url: '/api/v1/residents',
        headers: { ...bearer(jinshanAgent.token), 'accept-language': 'en' },
        payload: { name: '王五', idNumber, regionCode: JINSHAN },
      });
      assert.equal(res.statusCode, 400, idNumber);
      assert.equal(res.data.error.code, 'VALIDATION_FAILED');
      const field = res.data.error.fields.find(
        (f: { field: string }) => f.field === 'body.idNumber',
      );
      assert.ok(field, JSON.stringify(res.data));
      assert.match(field.message, message);
    }
    assert.deepEqual(await counts(), before);
  });

  it('refuses a number registered already, whatever the case of its X', async () => {
    const res = await post(jinshanAgent.token, '/api/v1/residents', {
      name: '李秋菊',
      idNumber: created.idNumber,
      regionCode: JINSHAN,
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.data.error.code, 'ID_NUMBER_TAKEN');
    let x = '';
    for (let seq = 100; !x; seq++) {
      const id = makeTestIdNumber('430903', '19700101', String(seq));
      if (id.endsWith('X')) x = id;
    }
    const body = { name: '赵六', regionCode: JINSHAN };
    const first = await post(jinshanAgent.token, '/api/v1/residents', {
      ...body,
      idNumber: x.toLowerCase(),
    });
    assert.equal(first.statusCode, 201);
    assert.equal(first.data.idNumber, x);
    const again = await post(jinshanAgent.token, '/api/v1/residents', { ...body, idNumber: x });
    assert.equal(again.data.error.code, 'ID_NUMBER_TAKEN');
  });

  it('registers only in a village of the jurisdiction', async () => {
    const body = { name: '王五', idNumber: idNumberFor('430922') };
    const outside = await post(jinshanAgent.token, '/api/v1/residents', {
      ...body,
      regionCode: SANGUANQIAO,
    });
    assert.equal(outside.statusCode, 404);
    assert.equal(outside.data.error.code, 'REGION_NOT_FOUND');
    const township = await post(clerk.token, '/api/v1/residents', {
      ...body,
      regionCode: '430903105000',
    });
    assert.equal(township.statusCode, 400);
    assert.equal(township.data.error.fields[0].field, 'body.regionCode');
    const none = await post(clerk.token, '/api/v1/residents', {
      ...body,
      regionCode: '430903105999',
    });
    assert.equal(none.data.error.code, 'REGION_NOT_FOUND');
    const leaderTry = await post(leader.token, '/api/v1/residents', {
      ...body,
      regionCode: JINSHAN,
    });
    assert.equal(leaderTry.statusCode, 403);
  });
});

describe('who sees what', () => {
  it('staff elsewhere get 404 for the detail, but find the holder of a card by its number', async () => {
    const detail = await get(sanguanqiaoAgent.token, `/api/v1/residents/${created.id}`);
    assert.equal(detail.statusCode, 404);
    assert.equal(detail.data.error.code, 'RESIDENT_NOT_FOUND');
    const missing = await get(sanguanqiaoAgent.token, `/api/v1/residents/${crypto.randomUUID()}`);
    assert.deepEqual(
      { status: missing.statusCode, code: missing.data.error.code },
      { status: 404, code: 'RESIDENT_NOT_FOUND' },
    );
    const byQuery = await get(
      sanguanqiaoAgent.token,
      `/api/v1/residents?idNumber=${created.idNumber}`,
    );
    const byBody = await post(sanguanqiaoAgent.token, '/api/v1/residents/lookup', {
      idNumber: created.idNumber,
    });
    for (const res of [byQuery, byBody]) {
      assert.equal(res.statusCode, 200);
      assert.equal(res.data.items.length, 1);
      assert.equal(res.data.items[0].id, created.id);
      assert.equal(res.data.items[0].regionCode, JINSHAN);
      assert.ok(!res.body.includes(created.idNumber), 'masked only');
    }
  });

  it('staff elsewhere cannot browse another jurisdiction', async () => {
    const within = await get(sanguanqiaoAgent.token, `/api/v1/residents?within=${JINSHAN}`);
    assert.equal(within.statusCode, 404);
    assert.equal(within.data.error.code, 'REGION_NOT_FOUND');
    const all = await get(
      sanguanqiaoAgent.token,
      `/api/v1/residents?q=${encodeURIComponent('秋菊')}`,
    );
    assert.equal(all.statusCode, 200);
    assert.deepEqual(all.data.items, []);
    const leaderTry = await get(leader.token, `/api/v1/residents?idNumber=${created.idNumber}`);
    assert.equal(leaderTry.statusCode, 403, 'a leader has no resident.read');
  });

  it('the township clerk sees the full number, and that read is in the audit trail', async () => {
    const res = await get(clerk.token, `/api/v1/residents/${created.id}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.data.idNumber, created.idNumber);
    const rows = await env.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'resident.idNumber.read')
      .where('target_id', '=', created.id)
      .where('actor_user_id', '=', clerk.id)
      .execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.region_code, JINSHAN);
    const all = await env.db.selectFrom('audit_log').selectAll().execute();
    const text = JSON.stringify(all);
    assert.ok(text.includes('resident.create'));
    assert.ok(!text.includes(created.idNumber), 'no clear ID number in the audit trail');
    assert.ok(!text.includes(created.idNumber.slice(6, 14)), 'nor its birth date digits');
    assert.ok(!text.includes(created.mobile), 'nor a clear mobile');
  });

  it('a citizen sees their own resident in full, and nobody else', async () => {
    const own = await createCitizen(env.db, { mobile: '13807310001', residentId: created.id });
    const res = await get(own.token, `/api/v1/residents/${created.id}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.data.idNumber, created.idNumber);
    const audited = await env.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'resident.idNumber.read')
      .where('actor_user_id', '=', own.id)
      .execute();
    assert.equal(audited.length, 1);
    const other = await post(jinshanAgent.token, '/api/v1/residents', {
      name: '李建国',
      idNumber: idNumberFor('430903', '19801010'),
      regionCode: JINSHAN,
    });
    const stranger = await get(own.token, `/api/v1/residents/${other.data.id}`);
    assert.equal(stranger.statusCode, 404);
    const unlinked = await createCitizen(env.db, { mobile: '13807310002' });
    assert.equal((await get(unlinked.token, `/api/v1/residents/${created.id}`)).statusCode, 404);
    assert.equal((await get(own.token, '/api/v1/residents')).statusCode, 403, 'no browsing');
  });
});

describe('at rest', () => {
  it('no table holds a clear ID number, nor the birth date beside its masked form', async () => {
    const id = created.idNumber;
    const tables = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(env.db);
    assert.ok(tables.rows.some((t) => t.name === 'resident'));
    for (const { name } of tables.rows) {
      const rows = await sql<{
        row: string;
      }>`SELECT t::text AS row FROM ${sql.table(name)} t`.execute(env.db);
      for (const { row } of rows.rows) {
        assert.ok(!row.includes(id), `${name} holds a clear ID number`);
        assert.ok(!row.includes(id.slice(0, 14)), `${name} holds the first 14 digits`);
      }
    }
    const row = await env.db
      .selectFrom('resident')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.ok(!('birth_date' in row), 'no birth date beside the masked number');
    assert.ok(
      !Object.values(row).some((v) => typeof v === 'string' && v.includes(id.slice(6, 14))),
      'the hidden digits are nowhere',
    );
    assert.equal(env.ctx.keys.personalData.decrypt(row.id_number_cipher), id);
    assert.equal(row.id_number_hmac, env.ctx.keys.personalData.lookupHash(id));
  });

  it('pg_dump of the PostgreSQL test database holds no clear ID number', async (t) => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) return t.skip('PGlite run: no TEST_DATABASE_URL');
    if (spawnSync('pg_dump', ['--version']).error) return t.skip('pg_dump is not on PATH');
    const name = await sql<{ db: string }>`SELECT current_database() AS db`.execute(env.db);
    const dump = spawnSync('pg_dump', [withDatabase(adminUrl, name.rows[0]!.db)], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    assert.equal(dump.status, 0, dump.stderr);
    assert.ok(dump.stdout.includes('李秋菊'), 'the dump holds the resident');
    assert.ok(!dump.stdout.includes(created.idNumber));
    assert.ok(!dump.stdout.includes(created.idNumber.slice(0, 14)));
  });
});
