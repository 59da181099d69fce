import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, createStaff, TEST_PASSWORD } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
let taojiangAdmin: { id: string; token: string };
let heshanAgent: { id: string; token: string };
before(async () => {
  env = await createTestEnv();
  taojiangAdmin = await createStaff(env.db, {
    roles: ['county_admin'],
    servicePointCode: '430922',
  });
  heshanAgent = await createStaff(env.db, {
    roles: ['village_agent'],
    servicePointCode: '430903105237',
  });
});
after(() => env.close());

const newUser = (over: Record<string, unknown> = {}) => ({
  username: `agent.${Math.random().toString(36).slice(2, 8)}`,
  displayName: '代办员',
  password: 'Village-agent-1',
  servicePointCode: '430922101220',
  roles: ['village_agent'],
  ...over,
});

/** The county admin asks for a new account. */
const postUser = (payload: Record<string, unknown>) =>
  call(env.app, {
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(taojiangAdmin.token),
    payload,
  });

describe('user administration within a jurisdiction', () => {
  it('a county admin creates a village agent in the county, who can then sign in', async () => {
    const body = newUser();
    const res = await postUser(body);
    assert.equal(res.statusCode, 201);
    assert.equal(res.data.servicePoint.code, '430922101220');
    assert.deepEqual(res.data.roles, ['village_agent']);
    const login = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: body.username, password: body.password, tokenType: 'bearer' },
    });
    assert.equal(login.statusCode, 200);
    const audit = await env.db
      .selectFrom('audit_log')
      .select(['after', 'region_code'])
      .where('action', '=', 'user.create')
      .where('target_id', '=', res.data.id)
      .executeTakeFirstOrThrow();
    assert.equal(audit.region_code, '430922101220');
    assert.ok(!JSON.stringify(audit.after).includes(body.password), 'no password in the trail');
  });

  it('cannot place staff outside the county, nor grant a role above its own', async () => {
    const outside = await postUser(newUser({ servicePointCode: '430903105237' }));
    assert.equal(outside.statusCode, 404);
    assert.equal(outside.data.error.code, 'SERVICE_POINT_NOT_FOUND');
    const tooHigh = await postUser(newUser({ roles: ['city_admin'] }));
    assert.equal(tooHigh.statusCode, 403);
    assert.equal(tooHigh.data.error.code, 'ROLE_NOT_GRANTABLE');
  });

  it('checks the password policy and the username', async () => {
    const weak = await postUser(newUser({ password: 'short' }));
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.data.error.fields[0].field, 'body.password');
    const badName = await postUser(newUser({ username: 'A b' }));
    assert.equal(badName.statusCode, 400);
    assert.equal(badName.data.error.fields[0].field, 'body.username');
    const body = newUser();
    await postUser(body);
    const dup = await postUser(body);
    assert.equal(dup.statusCode, 409);
  });

  it('lists only the users inside the jurisdiction; outside ones are not found', async () => {
    const list = await call(env.app, {
      method: 'GET',
      url: '/api/v1/users?limit=200',
      headers: bearer(taojiangAdmin.token),
    });
    assert.equal(list.statusCode, 200);
    assert.ok(list.data.items.length > 0);
    for (const u of list.data.items)
      assert.ok(u.servicePoint.regionCode.startsWith('430922'), u.servicePoint.regionCode);
    const foreign = await call(env.app, {
      method: 'GET',
      url: `/api/v1/users/${heshanAgent.id}`,
      headers: bearer(taojiangAdmin.token),
    });
    assert.equal(foreign.statusCode, 404);
    const within = await call(env.app, {
      method: 'GET',
      url: '/api/v1/users?within=430903',
      headers: bearer(taojiangAdmin.token),
    });
    assert.equal(within.statusCode, 404);
  });

  it('disabling a user signs them out; a village agent cannot manage users', async () => {
    const agent = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: '430922101224',
    });
    const forbidden = await call(env.app, {
      method: 'GET',
      url: '/api/v1/users',
      headers: bearer(agent.token),
    });
    assert.equal(forbidden.statusCode, 403);
    const off = await call(env.app, {
      method: 'PATCH',
      url: `/api/v1/users/${agent.id}`,
      headers: bearer(taojiangAdmin.token),
      payload: { active: false },
    });
    assert.equal(off.statusCode, 200);
    assert.equal(off.data.active, false);
    assert.equal(
      (await call(env.app, { method: 'GET', url: '/api/v1/me', headers: bearer(agent.token) }))
        .statusCode,
      401,
    );
    const login = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: agent.username, password: TEST_PASSWORD },
    });
    assert.equal(login.statusCode, 403);
    const audit = await env.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'user.update')
      .where('target_id', '=', agent.id)
      .executeTakeFirstOrThrow();
    assert.equal((audit.before as { active: boolean }).active, true);
    assert.equal((audit.after as { active: boolean }).active, false);
  });

  it('resets a password, which ends the user’s sessions', async () => {
    const clerk = await createStaff(env.db, {
      roles: ['township_clerk'],
      servicePointCode: '430922101',
    });
    const res = await call(env.app, {
      method: 'POST',
      url: `/api/v1/users/${clerk.id}/password`,
      headers: bearer(taojiangAdmin.token),
      payload: { newPassword: 'Fresh-start-2026' },
    });
    assert.equal(res.statusCode, 204);
    assert.equal(
      (await call(env.app, { method: 'GET', url: '/api/v1/me', headers: bearer(clerk.token) }))
        .statusCode,
      401,
    );
  });
});
