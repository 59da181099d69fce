import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, createCitizen, createStaff, idNumberFor } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';

const JINSHAN = '430903105237'; // 金山村, 沧水铺镇
const HUANGTUANLING = '430903105213'; // 黄团岭村, 沧水铺镇
const SANGUANQIAO = '430922101220'; // 三官桥村, 修山镇

let env: TestEnv;
let agent: { id: string; token: string };
let clerk: { id: string; token: string };
let outsider: { id: string; token: string };
let household: { id: string; householdNo: string };

const send = (method: 'POST' | 'PATCH', token: string, url: string, payload: unknown) =>
  call(env.app, { method, url, headers: bearer(token), payload: payload as object });
const get = (token: string, url: string) =>
  call(env.app, { method: 'GET', url, headers: bearer(token) });

async function register(name: string, extra: Record<string, unknown> = {}) {
  const res = await send('POST', agent.token, '/api/v1/residents', {
    name,
    idNumber: idNumberFor('430903', '19700101'),
    regionCode: JINSHAN,
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.data as { id: string; idNumber: string; household: { members: unknown[] } | null };
}

before(async () => {
  env = await createTestEnv();
  agent = await createStaff(env.db, { roles: ['village_agent'], servicePointCode: JINSHAN });
  clerk = await createStaff(env.db, { roles: ['township_clerk'], servicePointCode: '430903105' });
  outsider = await createStaff(env.db, { roles: ['village_agent'], servicePointCode: SANGUANQIAO });
  const res = await send('POST', agent.token, '/api/v1/households', {
    regionCode: JINSHAN,
    address: '金山村 3 组 12 号',
  });
  assert.equal(res.statusCode, 201, res.body);
  household = res.data;
});
after(() => env.close());

describe('households', () => {
  it('numbers households per village, and refuses a number in use', async () => {
    assert.equal(household.householdNo, `${JINSHAN}0001`);
    const next = await send('POST', agent.token, '/api/v1/households', {
      regionCode: JINSHAN,
      address: '金山村 3 组 13 号',
    });
    assert.equal(next.data.householdNo, `${JINSHAN}0002`);
    const taken = await send('POST', agent.token, '/api/v1/households', {
      regionCode: JINSHAN,
      address: '金山村 4 组',
      householdNo: `${JINSHAN}0002`,
    });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.data.error.code, 'HOUSEHOLD_NO_TAKEN');
    const outside = await send('POST', agent.token, '/api/v1/households', {
      regionCode: SANGUANQIAO,
      address: '三官桥村',
    });
    assert.equal(outside.data.error.code, 'REGION_NOT_FOUND');
    const audit = await env.db
      .selectFrom('audit_log')
      .select(['action', 'region_code'])
      .where('target_id', '=', household.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(audit, { action: 'household.create', region_code: JINSHAN });
  });

  it('holds members with their relationships, head first, numbers masked', async () => {
    const son = await register('张小军', { householdId: household.id, relationship: 'child' });
    const head = await register('张建国', { householdId: household.id, relationship: 'head' });
    assert.equal(head.household?.members.length, 2);
    const res = await get(clerk.token, `/api/v1/households/${household.id}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res.data.members.map((m: { name: string; relationship: string }) => [m.name, m.relationship]),
      [
        ['张建国', 'head'],
        ['张小军', 'child'],
      ],
    );
    assert.ok(!res.body.includes(son.idNumber) && !res.body.includes(head.idNumber));
    const second = await send('POST', agent.token, '/api/v1/residents', {
      name: '张二',
      idNumber: idNumberFor('430903'),
      regionCode: JINSHAN,
      householdId: household.id,
      relationship: 'head',
    });
    assert.equal(second.statusCode, 409);
    assert.equal(second.data.error.code, 'HOUSEHOLD_HEAD_TAKEN');
    const citizen = await createCitizen(env.db, { mobile: '13907310011', residentId: son.id });
    assert.equal((await get(citizen.token, `/api/v1/households/${household.id}`)).statusCode, 200);
    assert.equal((await get(outsider.token, `/api/v1/households/${household.id}`)).statusCode, 404);
  });

  it('wants a relationship with a household, and the household in the same village', async () => {
    const noRelationship = await send('POST', agent.token, '/api/v1/residents', {
      name: '张三',
      idNumber: idNumberFor('430903'),
      regionCode: JINSHAN,
      householdId: household.id,
    });
    assert.equal(noRelationship.statusCode, 400);
    assert.equal(noRelationship.data.error.fields[0].field, 'body.relationship');
    const elsewhere = await send('POST', clerk.token, '/api/v1/residents', {
      name: '张三',
      idNumber: idNumberFor('430903'),
      regionCode: HUANGTUANLING,
      householdId: household.id,
      relationship: 'other',
    });
    assert.equal(elsewhere.statusCode, 400);
    assert.equal(elsewhere.data.error.fields[0].field, 'body.householdId');
    const unknown = await send('POST', agent.token, '/api/v1/residents', {
      name: '张三',
      idNumber: idNumberFor('430903'),
      regionCode: JINSHAN,
      householdId: crypto.randomUUID(),
      relationship: 'other',
    });
    assert.equal(unknown.data.error.code, 'HOUSEHOLD_NOT_FOUND');
  });
});

describe('changing a resident', () => {
  it('writes before and after, masked, to the audit trail', async () => {
    const r = await register('王桂兰', { mobile: '13807310021' });
    const res = await send('PATCH', agent.token, `/api/v1/residents/${r.id}`, {
      mobile: '13807310022',
      householdId: household.id,
      relationship: 'spouse',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.data.mobile, '13807310022');
    assert.equal(res.data.household.id, household.id);
    const row = await env.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'resident.update')
      .where('target_id', '=', r.id)
      .executeTakeFirstOrThrow();
    const before = row.before as Record<string, unknown>;
    const after = row.after as Record<string, unknown>;
    assert.equal(before.mobile, '138****0021');
    assert.equal(after.mobile, '138****0022');
    assert.equal(before.householdId, null);
    assert.equal(after.householdId, household.id);
    assert.equal(after.relationship, 'spouse');
    const text = JSON.stringify(row);
    assert.ok(!text.includes(r.idNumber) && !text.includes('13807310022'));
  });

  it('leaving the household ends the relationship; out of jurisdiction is 404', async () => {
    const r = await register('王小明', { householdId: household.id, relationship: 'grandchild' });
    const left = await send('PATCH', agent.token, `/api/v1/residents/${r.id}`, {
      householdId: null,
    });
    assert.equal(left.statusCode, 200, left.body);
    assert.equal(left.data.household, null);
    assert.equal(left.data.relationship, null);
    const orphan = await send('PATCH', agent.token, `/api/v1/residents/${r.id}`, {
      relationship: 'child',
    });
    assert.equal(orphan.data.error.fields[0].field, 'body.relationship');
    const outside = await send('PATCH', outsider.token, `/api/v1/residents/${r.id}`, { name: 'x' });
    assert.equal(outside.statusCode, 404);
    assert.equal(outside.data.error.code, 'RESIDENT_NOT_FOUND');
    const empty = await send('PATCH', agent.token, `/api/v1/residents/${r.id}`, {});
    assert.equal(empty.statusCode, 400);
    const renamed = await send('PATCH', agent.token, `/api/v1/residents/${r.id}`, {
      name: '王晓明',
    });
    assert.equal(renamed.data.name, '王晓明');
    const found = await get(agent.token, '/api/v1/residents?q=wangxiao');
    assert.ok(
      found.data.items.some((i: { id: string }) => i.id === r.id),
      'pinyin follows',
    );
  });
});

describe('browsing', () => {
  it('pages through the jurisdiction with a cursor, each resident once', async () => {
    for (let i = 0; i < 5; i++) await register(`刘${'一二三四五'[i]}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/residents?within=${JINSHAN}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await get(clerk.token, url);
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(res.data.items.length <= 3);
      seen.push(...res.data.items.map((r: { id: string }) => r.id));
      cursor = res.data.nextCursor;
    } while (cursor);
    const total = await env.db
      .selectFrom('resident')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('region_code', '=', JINSHAN)
      .executeTakeFirstOrThrow();
    assert.equal(seen.length, Number(total.n));
    assert.equal(new Set(seen).size, seen.length);
    const bad = await get(clerk.token, '/api/v1/residents?cursor=bm90LWEtY3Vyc29y');
    assert.equal(bad.statusCode, 400);
    const tooMany = await get(clerk.token, '/api/v1/residents?limit=201');
    assert.equal(tooMany.data.error.fields[0].field, 'query.limit');
  });

  it('publishes the routes in the OpenAPI document', async () => {
    const res = await call(env.app, { method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    for (const p of ['/api/v1/residents', '/api/v1/residents/{id}', '/api/v1/households/{id}']) {
      assert.ok(res.data.paths[p], p);
    }
    assert.deepEqual(res.data.paths['/api/v1/residents/{id}'].get.tags, ['residents']);
  });
});
