import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, createCitizen, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { record, staffActor } from './audit.fixtures.ts';

/**
 * The admin API over the trail: each admin sees their jurisdiction's rows and no others,
 * filters narrow, pages follow the cursor, and personal data shows only masked.
 */
let env: TestEnv;
let county: string;
let system: string;
const agentAt3 = staffActor('430922101220', { name: '村代办' });
const agentElsewhere = staffActor('430903105237');
const countyStaff = staffActor('430922', { roles: ['county_admin'] });

before(async () => {
  env = await createTestEnv();
  county = (await createStaff(env.db, { roles: ['county_admin'], servicePointCode: '430922' }))
    .token;
  system = (await createStaff(env.db, { roles: ['system_admin'], servicePointCode: '430922' }))
    .token;
  await record(env.db, {
    actor: agentAt3,
    action: 'resident.update',
    targetType: 'resident',
    targetId: 'r-1',
    before: { idNumber: '430903195603120013', mobile: '13912345678' },
    after: { idNumber: '430922198001010019', password: 'Secret-1', regionCode: '430922101220' },
  });
  await record(env.db, { actor: agentElsewhere, action: 'resident.create', targetId: 'r-2' });
  await record(env.db, { actor: null, action: 'auth.login', outcome: 'denied' });
  await record(env.db, {
    actor: countyStaff,
    action: 'user.create',
    targetType: 'user',
    targetId: 'u-9',
    meta: { requestId: 'req-user-create', ip: '10.0.0.9' },
  });
});
after(() => env.close());

const ACTS = 'action=*'; // every row, the refusals the tests provoke included
async function list(token: string, query = ACTS) {
  return call(env.app, { method: 'GET', url: `/api/v1/audit?${query}`, headers: bearer(token) });
}
// The base data (catalogue import) writes its own rows on chain 'system'; these tests look
// at the rows they wrote.
const actions = (res: { data: { items: { action: string; chain: string }[] } }) =>
  res.data.items.filter((i) => i.chain !== 'system').map((i) => i.action);

describe('GET /api/v1/audit', () => {
  it('shows a county admin the rows of their county only, newest first', async () => {
    const res = await list(county);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(actions(res), ['user.create', 'resident.update']);
    assert.ok(
      res.data.items.every((i: { regionCode: string }) => i.regionCode.startsWith('430922')),
    );
    assert.equal(res.data.nextCursor, null);
  });

  it('shows a system admin everything, rows without a region too', async () => {
    const res = await list(system);
    assert.deepEqual(actions(res), [
      'user.create',
      'auth.login',
      'resident.create',
      'resident.update',
    ]);
  });

  it('answers with the row as stored, personal data masked and secrets removed', async () => {
    const res = await list(county, 'action=resident.update');
    const [item] = res.data.items;
    assert.deepEqual(item.before, { idNumber: '430903********0013', mobile: '139****5678' });
    assert.deepEqual(item.after, {
      idNumber: '430922********0019',
      password: '[redacted]',
      regionCode: '430922101220',
    });
    assert.equal(res.body.includes('430903195603120013'), false);
    assert.deepEqual(item.actor, {
      userId: agentAt3.userId,
      name: agentAt3.username,
      roles: ['village_agent'],
      servicePoint: '430922101220',
    });
    assert.deepEqual(item.target, { type: 'resident', id: 'r-1' });
    assert.equal(item.chain, 'sp:430922101220');
    assert.equal(item.seq, 1);
    assert.match(item.hash, /^[0-9a-f]{64}$/);
    assert.ok(!Number.isNaN(Date.parse(item.occurredAt)));
  });

  it('filters by action, prefix, actor, target, request, outcome, region and time', async () => {
    const cases: [string, string[]][] = [
      ['action=resident.*', ['resident.create', 'resident.update']],
      [`actorUserId=${agentAt3.userId}`, ['resident.update']],
      ['targetType=user&targetId=u-9', ['user.create']],
      ['requestId=req-user-create', ['user.create']],
      ['outcome=denied&action=auth.*', ['auth.login']],
      ['regionCode=430903&action=resident.*', ['resident.create']],
      ['regionCode=430981&action=*', []],
      ['from=2000-01-01&action=user.create', ['user.create']],
      ['to=2000-01-01T00:00:00Z&action=*', []],
      [`from=${new Date(Date.now() + 60_000).toISOString()}&action=*`, []],
    ];
    for (const [query, expected] of cases) {
      const res = await list(system, query);
      assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
      assert.deepEqual(actions(res), expected, query);
    }
  });

  it('keeps a region filter inside the jurisdiction', async () => {
    assert.deepEqual(actions(await list(county, 'regionCode=430903&action=*')), []);
    assert.deepEqual(actions(await list(county, 'regionCode=43&action=resident.*')), [
      'resident.update',
    ]);
    assert.deepEqual(actions(await list(county, 'regionCode=430922101220&action=*')), [
      'resident.update',
    ]);
  });

  it('pages with the cursor, newest first, without repeats', async () => {
    const seen: number[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const res = await list(system, `limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      seen.push(...res.data.items.map((i: { id: number }) => i.id));
      cursor = res.data.nextCursor;
    }
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => b - a),
    );
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.length >= 4);
  });

  it('is a read: listing writes nothing to the trail', async () => {
    const count = async () =>
      Number(
        (
          await env.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await count();
    await list(county);
    await list(system, 'action=user.*');
    assert.equal(await count(), n);
  });

  it('refuses those without audit.read, and bad queries', async () => {
    const agent = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: '430922101220',
    });
    const citizen = await createCitizen(env.db);
    assert.equal((await list(agent.token)).statusCode, 403);
    assert.equal((await list(agent.token)).data.error.code, 'FORBIDDEN');
    assert.equal((await list(citizen.token)).statusCode, 403);
    const anonymous = await call(env.app, { method: 'GET', url: '/api/v1/audit' });
    assert.equal(anonymous.statusCode, 401);
    for (const query of ['limit=201', 'outcome=maybe', 'from=yesterday', 'cursor=-1', 'x=1']) {
      const res = await list(county, query);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.data.error.code, 'VALIDATION_FAILED', query);
    }
    // The refused attempt is itself in the trail, in the agent's region.
    const refusals = await list(county, 'outcome=denied&action=refused:*');
    assert.ok(
      refusals.data.items.some((i: { actor: { userId: string } }) => i.actor.userId === agent.id),
    );
  });
});

describe('GET /api/v1/audit/verify', () => {
  it('checks the chains for a system admin', async () => {
    const res = await call(env.app, {
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: bearer(system),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.data.ok, true);
    assert.ok(res.data.rows >= 4);
    const one = await call(env.app, {
      method: 'GET',
      url: '/api/v1/audit/verify?chain=sp:430922101220',
      headers: bearer(system),
    });
    assert.deepEqual([one.data.ok, one.data.chains], [true, 1]);
  });

  it('is not for county admins', async () => {
    const res = await call(env.app, {
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: bearer(county),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.data.error.code, 'FORBIDDEN');
  });
});
