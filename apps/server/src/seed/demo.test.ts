import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateIdNumber } from '@yimen/core';
import { bearer } from '../test/factories.ts';
import { call, createTestEnv, TEST_KEYS, type TestEnv } from '../test/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from './demo-accounts.ts';
import { seedDemo } from './seed.ts';

let env: TestEnv;
before(async () => {
  env = await createTestEnv();
  await seedDemo(env.db, TEST_KEYS);
});
after(() => env.close());

const login = (username: string) =>
  call(env.app, {
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: DEMO_PASSWORD, tokenType: 'bearer' },
  });

describe('demo data', () => {
  it('every demo staff account signs in with yimen-demo at its place', async () => {
    for (const s of DEMO_STAFF) {
      const res = await login(s.username);
      assert.equal(res.statusCode, 200, s.username);
      assert.equal(res.data.user.servicePoint.code, s.servicePointCode, s.username);
      assert.deepEqual(
        res.data.user.roles.map((r: { role: string }) => r.role),
        s.roles,
      );
    }
    const agent = await login('agent.sanguanqiao');
    assert.equal(agent.data.user.servicePoint.name, '三官桥村便民服务站');
  });

  it('is idempotent', async () => {
    const again = await seedDemo(env.db, TEST_KEYS);
    assert.equal(again.staff, 0);
    assert.equal(again.residents, 0);
  });

  it('老王 of 金山村 signs in by SMS, linked to his resident record and household', async () => {
    await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { mobile: '13800000001' },
    });
    const sms = await env.db
      .selectFrom('sms_message')
      .select('body')
      .where('mobile', '=', '13800000001')
      .executeTakeFirstOrThrow();
    const code = /(\d{6})/.exec(sms.body)![1]!;
    const res = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/sms-login',
      payload: { mobile: '13800000001', code, tokenType: 'bearer' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.data.user.resident.name, '王建国');
    const agent = await login('agent.jinshan');
    const detail = await call(env.app, {
      method: 'GET',
      url: `/api/v1/residents/${res.data.user.resident.id}`,
      headers: bearer(agent.data.token),
    });
    assert.equal(detail.statusCode, 200);
    assert.ok(validateIdNumber(detail.data.idNumber).ok);
    assert.equal(detail.data.household.members.length, 4);
  });

  it('holds a few dozen residents, every ID number valid', async () => {
    const rows = await env.db.selectFrom('resident').select(['id_number_cipher', 'name']).execute();
    assert.ok(rows.length >= 30, `${rows.length} residents`);
    for (const r of rows) {
      const v = validateIdNumber(TEST_KEYS.personalData.decrypt(r.id_number_cipher));
      assert.ok(v.ok, r.name);
    }
  });
});
