import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../seed/seed.ts';
import { residentByName, signIn } from '../../test/cases.ts';
import { bearer, createCitizen, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, TEST_KEYS, type TestEnv } from '../../test/harness.ts';

/** The leader's figures move with the cases, in the same transactions, and drill down. */
let env: TestEnv;
let leader: string;
before(async () => {
  env = await createTestEnv();
  await seedDemo(env.db, TEST_KEYS);
  leader = (await signIn(env.app, 'leader')).token;
});
after(() => env.close());

const overview = (token: string, q = '') =>
  call(env.app, { method: 'GET', url: `/api/v1/stats/overview${q}`, headers: bearer(token) });

describe('leader figures', () => {
  it('count submissions, acceptances, conclusions on time and ratings, by county and township', async () => {
    const before_ = (await overview(leader)).data;
    const agent = await signIn(env.app, 'agent.sanguanqiao');
    const approver = await signIn(env.app, 'approver.xiushan');
    const liu = await residentByName(env.app, agent, '刘卫东', '430922101220');
    const row = await env.db
      .selectFrom('resident')
      .select('id_number_cipher')
      .where('id', '=', liu)
      .executeTakeFirstOrThrow();
    const idNumber = TEST_KEYS.personalData.decrypt(row.id_number_cipher);
    const res = await agent.submit({
      itemCode: '4309-MZ-JF-005',
      channel: 'counter',
      applicantId: liu,
      formData: {
        applicantName: '刘卫东',
        idNumber,
        residenceVillage: '430922101220',
        ageGroup: '80-89',
        payoutAccountType: 'one_card',
        contactName: '刘卫东',
        mobile: '13800000005',
      },
      materials: [
        { key: 'idCard', sha256: await agent.upload() },
        { key: 'householdRegister', sha256: await agent.upload() },
        { key: 'payoutAccount', sha256: await agent.upload() },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.data.id;
    await agent.act(id, 'accept');
    await approver.act(id, 'approve');
    await approver.act(id, 'issue');
    const done = await agent.act(id, 'handOver', { recipient: { name: '刘卫东', idNumber } });
    assert.equal(done.data.status, 'concluded');
    const citizen = await createCitizen(env.db, { residentId: liu, mobile: '13922223333' });
    const rated = await call(env.app, {
      method: 'POST',
      url: `/api/v1/applications/${id}/rating`,
      headers: bearer(citizen.token),
      payload: { grade: 1 },
    });
    assert.equal(rated.statusCode, 201);

    const now = (await overview(leader)).data;
    assert.equal(now.region.code, '4309');
    assert.equal(now.totals.submitted, before_.totals.submitted + 1);
    assert.equal(now.totals.accepted, before_.totals.accepted + 1);
    assert.equal(now.totals.concluded, before_.totals.concluded + 1);
    assert.equal(now.totals.onTime, before_.totals.onTime + 1);
    assert.equal(
      now.totals.ratings.distribution['1'],
      before_.totals.ratings.distribution['1'] + 1,
    );
    assert.ok(now.followUps.open >= 1, 'the bad rating opened a follow-up');
    const taojiang = now.byChild.find((c: { code: string }) => c.code === '430922');
    assert.equal(taojiang.name, '桃江县');
    assert.ok(taojiang.submitted >= 1);
    const county = (await overview(leader, '?region=430922')).data;
    assert.ok(
      county.byChild.some(
        (c: { code: string; name: string }) => c.code === '430922101' && c.name === '修山镇',
      ),
    );
    const township = (await overview(leader, '?region=430922101')).data;
    assert.ok(township.byItem.some((i: { itemCode: string }) => i.itemCode === '4309-MZ-JF-005'));
    assert.ok(township.trend.length >= 1);
  });

  it('export the same figures as CSV', async () => {
    const res = await call(env.app, {
      method: 'GET',
      url: '/api/v1/stats/overview.csv?region=430922',
      headers: bearer(leader),
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/csv/);
    assert.match(res.body, /^\uFEFFsection,code,name,submitted/);
    assert.match(res.body, /region,430922101,修山镇/);
  });

  it('stay inside the jurisdiction and need the permission', async () => {
    const heshanAdmin = await createStaff(env.db, {
      roles: ['county_admin'],
      servicePointCode: '430903',
    });
    const own = await overview(heshanAdmin.token);
    assert.equal(own.data.region.code, '430903');
    assert.equal((await overview(heshanAdmin.token, '?region=430922')).statusCode, 404);
    const agent = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: '430922101220',
    });
    assert.equal((await overview(agent.token)).statusCode, 403);
    assert.equal((await overview(leader, '?from=2026-13')).statusCode, 400);
  });
});
