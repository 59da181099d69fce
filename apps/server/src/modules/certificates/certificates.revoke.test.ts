import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, createCitizen, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';
import {
  CANGSHUIPU,
  type IssuedFixture,
  issueTestCertificate,
  JINSHAN,
} from './certificates.fixtures.ts';

let env: TestEnv;
let cert: IssuedFixture;
let holder: { token: string };
const staff: Record<string, { token: string }> = {};

const get = (url: string, token?: string) =>
  call(env.app, { method: 'GET', url, headers: token ? bearer(token) : {} });
const post = (url: string, token: string, payload?: object) =>
  call(env.app, { method: 'POST', url, headers: bearer(token), ...(payload ? { payload } : {}) });

async function auditRows(action: string, targetId: string) {
  return env.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .execute();
}

before(async () => {
  env = await createTestEnv();
  cert = await issueTestCertificate(env.db);
  holder = await createCitizen(env.db, { residentId: cert.holder.id });
  const make = async (
    name: string,
    roles: Parameters<typeof createStaff>[1]['roles'],
    code: string,
  ) => {
    staff[name] = await createStaff(env.db, { roles, servicePointCode: code });
  };
  await make('approver', ['township_approver'], CANGSHUIPU);
  await make('clerk', ['township_clerk'], CANGSHUIPU);
  await make('agent', ['village_agent'], JINSHAN);
  await make('farApprover', ['township_approver'], '430922101');
  await make('countyAdmin', ['county_admin'], '430903');
  await make('farCountyAdmin', ['county_admin'], '430922');
  await make('sysAdmin', ['system_admin'], '4309');
});
after(() => env.close());

describe('revocation', () => {
  const reason = '女方姓名登记错误，已按更正后的信息重新办理';

  it('is refused to those who did not issue it', async () => {
    const url = `/api/v1/certificates/${cert.certificateNo}/revoke`;
    const body = { reason, category: 'issued_in_error' };
    assert.equal((await post(url, staff.clerk!.token, body)).statusCode, 403); // may not issue
    assert.equal((await post(url, holder.token, body)).statusCode, 403);
    assert.equal((await post(url, staff.farApprover!.token, body)).statusCode, 404);
    const bad = await post(url, staff.approver!.token, { reason: '' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.data.error.code, 'VALIDATION_FAILED');
    assert.equal((await get(`/api/v1/verify/${cert.certificateNo}`)).data.status, 'valid');
  });

  it('revokes once, audited with the reason; the public sees only the category', async () => {
    const url = `/api/v1/certificates/${cert.certificateNo}/revoke`;
    const res = await post(url, staff.approver!.token, { reason, category: 'issued_in_error' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.data.status, 'revoked');
    assert.equal(res.data.revokeReason, reason);
    assert.equal(res.data.revokeCategory, 'issued_in_error');

    const audit = await auditRows('certificate.revoke', cert.certificateNo);
    assert.equal(audit.length, 1);
    assert.equal((audit[0]!.after as { reason: string }).reason, reason);
    assert.equal(audit[0]!.region_code, CANGSHUIPU);

    const pub = await get(`/api/v1/verify/${cert.certificateNo}`);
    assert.equal(pub.data.genuine, true);
    assert.equal(pub.data.status, 'revoked');
    assert.equal(pub.data.current, false);
    assert.ok(pub.data.revokedAt);
    assert.deepEqual(pub.data.revokeReason, {
      category: 'issued_in_error',
      zh: '证照信息有误',
      en: 'Issued with wrong details',
    });
    assert.ok(!pub.body.includes(reason));
    const page = await get(`/verify/${cert.certificateNo}`);
    assert.match(page.body, /✘/);
    assert.match(page.body, /已撤销/);
    assert.ok(!page.body.includes(reason));

    const mine = await get(`/api/v1/certificates/${cert.certificateNo}`, holder.token);
    assert.equal(mine.data.revokeReason, reason);

    const again = await post(url, staff.approver!.token, { reason: 'again' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.data.error.code, 'CERTIFICATE_ALREADY_REVOKED');
    assert.equal((await auditRows('certificate.revoke', cert.certificateNo)).length, 1);
  });

  it('lets a system administrator revoke anywhere', async () => {
    const other = await issueTestCertificate(env.db);
    const res = await post(
      `/api/v1/certificates/${other.certificateNo}/revoke`,
      staff.sysAdmin!.token,
      {
        reason: '持证人申请注销',
        category: 'holder_request',
      },
    );
    assert.equal(res.statusCode, 200, res.body);
  });
});

describe('seal rotation', () => {
  const url = `/api/v1/seals/${CANGSHUIPU}/rotate`;

  it('is for administrators of the unit’s region', async () => {
    assert.equal((await post(url, staff.approver!.token)).statusCode, 403);
    assert.equal((await post(url, staff.farCountyAdmin!.token)).statusCode, 404);
    assert.equal(
      (await post('/api/v1/seals/999999999/rotate', staff.sysAdmin!.token)).statusCode,
      404,
    );
  });

  it('signs new certificates with the new key; old ones still verify; both stay published', async () => {
    const before = await issueTestCertificate(env.db);
    const res = await post(url, staff.countyAdmin!.token);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.data.retiredKeyId, before.keyId);
    assert.equal(res.data.key.status, 'active');
    assert.notEqual(res.data.key.kid, before.keyId);

    const audit = await auditRows('seal.rotate', res.data.key.kid);
    assert.equal(audit.length, 1);
    assert.equal((audit[0]!.after as { retiredKeyId: string }).retiredKeyId, before.keyId);

    const afterRotation = await issueTestCertificate(env.db);
    assert.equal(afterRotation.keyId, res.data.key.kid);
    for (const c of [before, afterRotation]) {
      const v = await get(`/api/v1/verify/${c.certificateNo}`);
      assert.equal(v.data.genuine, true, c.certificateNo);
      assert.equal(v.data.keyId, c.keyId);
    }

    const seals = await get('/api/v1/seals');
    const mine = seals.data.keys.filter(
      (k: { servicePoint: { code: string } }) => k.servicePoint.code === CANGSHUIPU,
    );
    const byKid = Object.fromEntries(mine.map((k: { kid: string }) => [k.kid, k]));
    assert.equal(byKid[before.keyId].status, 'retired');
    assert.ok(byKid[before.keyId].retiredAt);
    assert.equal(byKid[res.data.key.kid].status, 'active');
    assert.equal(mine.filter((k: { status: string }) => k.status === 'active').length, 1);
    assert.equal(seals.headers['cache-control'], 'public, max-age=300');
  });

  it('lets a system administrator rotate anywhere, twice in a row', async () => {
    const first = await post(url, staff.sysAdmin!.token);
    const second = await post(url, staff.sysAdmin!.token);
    assert.equal(second.statusCode, 200);
    assert.equal(second.data.retiredKeyId, first.data.key.kid);
  });
});
