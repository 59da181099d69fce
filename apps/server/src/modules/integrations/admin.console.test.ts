import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../seed/seed.ts';
import { allowanceBody, demoApplicant, signIn } from '../../test/cases.ts';
import { bearer, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, TEST_KEYS, type TestEnv } from '../../test/harness.ts';

/**
 * What the console's connector page reads: each connector's backlog with the messages that
 * keep failing and the last error, and the outbox narrowed to one connector or one case.
 */
let env: TestEnv;
let admin: string;
let countyAdmin: string;
let systemId: string;
let otherSystemId: string;
let applicationId: string;
let applicationNo: string;
before(async () => {
  env = await createTestEnv();
  await seedDemo(env.db, TEST_KEYS);
  admin = (await createStaff(env.db, { roles: ['system_admin'], servicePointCode: '4309' })).token;
  countyAdmin = (await createStaff(env.db, { roles: ['county_admin'], servicePointCode: '430922' }))
    .token;
  const register = async (code: string) => {
    const res = await adminCall('POST', '/systems', {
      code,
      systemKey: 'hrss',
      name: `${code} 系统`,
      department: 'hrss',
      baseUrl: 'http://127.0.0.1:9/dept',
      clientId: `${code}-client`,
      auth: { kind: 'hmac', secret: 'a-shared-secret-of-at-least-32-chars!' },
      active: false,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.data.id as string;
  };
  systemId = await register('console-a');
  otherSystemId = await register('console-b');

  // A real case, for the rows that belong to one.
  const agent = await signIn(env.app, 'agent.sanguanqiao');
  const liu = await demoApplicant(env, agent, '刘卫东', '430922101220');
  const res = await agent.submit(await allowanceBody(agent, liu));
  assert.equal(res.statusCode, 201, res.body);
  applicationId = res.data.id;
  applicationNo = res.data.applicationNo;

  // The dispatcher's traces, written as it leaves them; due far ahead so nothing sends them.
  const later = new Date(Date.now() + 86_400_000);
  await env.db
    .insertInto('outbox')
    .values([
      {
        topic: 'department',
        target_id: systemId,
        application_id: applicationId,
        payload: '{}',
        attempts: 3,
        last_error: 'HTTP 503 from hrss',
        next_attempt_at: later,
      },
      { topic: 'department', target_id: systemId, payload: '{}', next_attempt_at: later },
      {
        topic: 'department',
        target_id: systemId,
        payload: '{}',
        status: 'dead',
        attempts: 10,
        last_error: 'timeout after 5000 ms',
        next_attempt_at: later,
      },
      {
        topic: 'department',
        target_id: otherSystemId,
        payload: '{}',
        status: 'dead',
        attempts: 10,
        last_error: 'connection refused',
        next_attempt_at: later,
      },
    ])
    .execute();
});
after(() => env.close());

function adminCall(method: 'GET' | 'POST', url: string, payload?: unknown, token = admin) {
  return call(env.app, {
    method,
    url: `/api/v1/integrations${url}`,
    headers: bearer(token),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

describe('the connectors page', () => {
  it('shows each connector’s backlog, failing messages and last error', async () => {
    const res = await adminCall('GET', '/systems');
    assert.equal(res.statusCode, 200, res.body);
    const a = res.data.items.find((s: { id: string }) => s.id === systemId);
    const b = res.data.items.find((s: { id: string }) => s.id === otherSystemId);
    assert.deepEqual(a.backlog, {
      pending: 2,
      dead: 1,
      failing: 1,
      lastError: 'timeout after 5000 ms',
    });
    assert.deepEqual(b.backlog, {
      pending: 0,
      dead: 1,
      failing: 0,
      lastError: 'connection refused',
    });
    const one = await adminCall('GET', `/systems/${systemId}`);
    assert.equal(one.data.backlog.failing, 1);
  });

  it('narrows the outbox to one connector, or to one case', async () => {
    const dead = await adminCall('GET', `/outbox?status=dead&targetId=${systemId}`);
    assert.equal(dead.statusCode, 200, dead.body);
    assert.deepEqual(
      dead.data.items.map((r: { lastError: string }) => r.lastError),
      ['timeout after 5000 ms'],
    );
    assert.equal(dead.data.items[0].target, 'console-a');
    const ofCase = await adminCall('GET', `/outbox?status=pending&applicationNo=${applicationNo}`);
    const mine = ofCase.data.items.filter(
      (r: { target: string | null }) => r.target === 'console-a',
    );
    assert.equal(mine.length, 1);
    assert.equal(mine[0].applicationNo, applicationNo);
    assert.ok(
      ofCase.data.items.every((r: { applicationNo: string }) => r.applicationNo === applicationNo),
    );
    const none = await adminCall('GET', '/outbox?status=pending&applicationNo=NO-SUCH-CASE');
    assert.deepEqual(none.data.items, []);
    const bad = await adminCall('GET', '/outbox?targetId=not-a-uuid');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.data.error.fields[0].field, 'query.targetId');
  });

  it('is for city and system administrators only', async () => {
    const res = await adminCall('GET', '/systems', undefined, countyAdmin);
    assert.equal(res.statusCode, 403);
  });
});
