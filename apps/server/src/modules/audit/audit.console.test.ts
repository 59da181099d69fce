import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../seed/seed.ts';
import { allowanceBody, demoApplicant, signIn } from '../../test/cases.ts';
import { bearer, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, TEST_KEYS, type TestEnv } from '../../test/harness.ts';

/** The console's audit filters: by the actor's username and by a case's number. */
let env: TestEnv;
let county: string;
let heshan: string;
let applicationNo: string;
let applicationId: string;
before(async () => {
  env = await createTestEnv();
  await seedDemo(env.db, TEST_KEYS);
  county = (await createStaff(env.db, { roles: ['county_admin'], servicePointCode: '430922' }))
    .token;
  heshan = (await createStaff(env.db, { roles: ['county_admin'], servicePointCode: '430903' }))
    .token;
  const agent = await signIn(env.app, 'agent.sanguanqiao');
  const liu = await demoApplicant(env, agent, '刘卫东', '430922101220');
  const res = await agent.submit(await allowanceBody(agent, liu));
  assert.equal(res.statusCode, 201, res.body);
  applicationNo = res.data.applicationNo;
  applicationId = res.data.id;
  const accepted = await agent.act(applicationId, 'accept');
  assert.equal(accepted.statusCode, 200, accepted.body);
});
after(() => env.close());

const list = (token: string, query: string) =>
  call(env.app, { method: 'GET', url: `/api/v1/audit?${query}`, headers: bearer(token) });

describe('GET /api/v1/audit, the console’s filters', () => {
  it('a case number gives the acts on that case, in order', async () => {
    const res = await list(county, `applicationNo=${encodeURIComponent(applicationNo)}`);
    assert.equal(res.statusCode, 200, res.body);
    const acts = res.data.items.map((i: { action: string }) => i.action);
    assert.deepEqual(acts, ['application.accept', 'application.submit'], 'newest first');
    assert.ok(
      res.data.items.every(
        (i: { target: { type: string; id: string } }) =>
          i.target.type === 'application' && i.target.id === applicationId,
      ),
    );
    // Combined with other filters, and unknown or out-of-reach cases give an empty page.
    const accepts = await list(county, `applicationNo=${applicationNo}&action=application.accept`);
    assert.equal(accepts.data.items.length, 1);
    const clash = await list(county, `applicationNo=${applicationNo}&targetType=user`);
    assert.deepEqual(clash.data.items, []);
    const none = await list(county, 'applicationNo=NO-SUCH-CASE');
    assert.deepEqual(none.data.items, []);
    const elsewhere = await list(heshan, `applicationNo=${applicationNo}`);
    assert.deepEqual(elsewhere.data.items, [], 'another county sees nothing of the case');
  });

  it('an actor’s username gives that actor’s acts only', async () => {
    const res = await list(county, 'actorName=agent.sanguanqiao&action=*');
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.data.items.length >= 2);
    assert.ok(
      res.data.items.every(
        (i: { actor: { name: string } }) => i.actor.name === 'agent.sanguanqiao',
      ),
    );
    const nobody = await list(county, 'actorName=agent.jinshan&action=*');
    assert.deepEqual(nobody.data.items, []);
  });
});
