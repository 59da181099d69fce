import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';

/** The console's user list: by service point and by active or disabled, inside one's county. */
let env: TestEnv;
let taojiangAdmin: { token: string };
let sanguanqiao: { id: string; username: string };
let disabled: { id: string; username: string };
let heshanAgent: { id: string; username: string };
before(async () => {
  env = await createTestEnv();
  taojiangAdmin = await createStaff(env.db, {
    roles: ['county_admin'],
    servicePointCode: '430922',
  });
  sanguanqiao = await createStaff(env.db, {
    roles: ['village_agent'],
    servicePointCode: '430922101220',
  });
  disabled = await createStaff(env.db, {
    roles: ['village_agent'],
    servicePointCode: '430922101220',
  });
  await env.db
    .updateTable('app_user')
    .set({ active: false })
    .where('id', '=', disabled.id)
    .execute();
  await createStaff(env.db, { roles: ['township_clerk'], servicePointCode: '430922101' });
  heshanAgent = await createStaff(env.db, {
    roles: ['village_agent'],
    servicePointCode: '430903105237',
  });
});
after(() => env.close());

const list = (query: string) =>
  call(env.app, {
    method: 'GET',
    url: `/api/v1/users?${query}`,
    headers: bearer(taojiangAdmin.token),
  });
const names = (res: { data: { items: { username: string }[] } }) =>
  res.data.items.map((u) => u.username).sort();

describe('GET /api/v1/users filters', () => {
  it('narrows to one service point, and to active or disabled accounts', async () => {
    const atPoint = await list('servicePointCode=430922101220');
    assert.equal(atPoint.statusCode, 200, atPoint.body);
    assert.deepEqual(names(atPoint), [sanguanqiao.username, disabled.username].sort());
    const active = await list('servicePointCode=430922101220&active=true');
    assert.deepEqual(names(active), [sanguanqiao.username]);
    const off = await list('servicePointCode=430922101220&active=false');
    assert.deepEqual(names(off), [disabled.username]);
    assert.equal(off.data.items[0].active, false);
  });

  it('a service point in another county lists nobody; a bad flag names the field', async () => {
    const other = await list('servicePointCode=430903105237');
    assert.equal(other.statusCode, 200);
    assert.deepEqual(other.data.items, []);
    const all = await list('limit=200');
    assert.ok(!names(all).includes(heshanAgent.username), 'no staff of another county');
    const bad = await list('active=yes');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.data.error.fields[0].field, 'query.active');
  });
});
