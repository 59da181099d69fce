import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../../canonical-json.ts';
import { bearer, createCitizen, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, TEST_KEYS, type TestEnv } from '../../test/harness.ts';
import { pdfText } from '../../test/pdf-text.ts';
import {
  CANGSHUIPU,
  createResidentRow,
  type IssuedFixture,
  issueTestCertificate,
  JINSHAN,
  servicePoint,
} from './certificates.fixtures.ts';
import { holderIdHash, issueCertificate } from './certificates.issue.ts';
import { clientKey, VERIFY_RATE_LIMIT } from './certificates.routes.ts';
import { currentCertificateOf } from './certificates.service.ts';
import { spkiPemFromX } from './seal-crypto.ts';

let env: TestEnv;
let cert: IssuedFixture;
let holder: { token: string };
let stranger: { token: string };
const staff: Record<string, { token: string }> = {};

const get = (url: string, token?: string) =>
  call(env.app, { method: 'GET', url, headers: token ? bearer(token) : {} });

before(async () => {
  env = await createTestEnv();
  cert = await issueTestCertificate(env.db);
  holder = await createCitizen(env.db, { residentId: cert.holder.id });
  const other = await createResidentRow(env.db, '赵六');
  stranger = await createCitizen(env.db, { residentId: other.id });
  staff.approver = await createStaff(env.db, {
    roles: ['township_approver'],
    servicePointCode: CANGSHUIPU,
  });
  staff.agent = await createStaff(env.db, { roles: ['village_agent'], servicePointCode: JINSHAN });
  staff.farApprover = await createStaff(env.db, {
    roles: ['township_approver'],
    servicePointCode: '430922101',
  });
});
after(() => env.close());

describe('issuing', () => {
  it('numbers per unit and year and signs canonical JSON holding only masked personal data', async () => {
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    assert.match(cert.certificateNo, new RegExp(`^${CANGSHUIPU}-${year}-\\d{6}$`));
    const next = await issueTestCertificate(env.db);
    assert.equal(Number(next.certificateNo.slice(-6)), Number(cert.certificateNo.slice(-6)) + 1);
    assert.match(cert.keyId, new RegExp(`^${CANGSHUIPU}-\\d{8}-[0-9a-f]{6}$`));
    const row = await env.db
      .selectFrom('certificate')
      .selectAll()
      .where('certificate_no', '=', cert.certificateNo)
      .executeTakeFirstOrThrow();
    assert.equal(row.payload_canonical, canonicalJson(cert.payload));
    assert.equal(row.signature, cert.signature);
    const p = cert.payload;
    assert.equal(p.title.zh, '生育登记服务证');
    assert.deepEqual(p.holder, {
      name: '王*国',
      idNumberMasked: cert.holder.id_number_masked,
      idHash: holderIdHash(cert.holder.id_number_hmac, cert.certificateNo),
    });
    assert.notEqual(next.payload.holder.idHash, p.holder.idHash); // not linkable publicly
    assert.deepEqual(p.fields, {
      wifeName: '李*菊',
      wifeIdNumber: '430903********1234',
      husbandName: '王*国',
      husbandIdNumber: cert.holder.id_number_masked,
      childOrder: '1',
      expectedDate: '2026-10-01',
    });
    assert.equal(p.issuer.code, CANGSHUIPU);
    assert.ok(
      !row.payload_canonical.includes('王建国') && !row.payload_canonical.includes('李秋菊'),
    );
  });

  it('answers the existing certificate when an application is issued twice', async () => {
    const again = await env.db
      .transaction()
      .execute((trx) => issueCertificate(trx, TEST_KEYS, cert.input));
    assert.equal(again.certificateNo, cert.certificateNo);
    assert.equal(again.signature, cert.signature);
    const found = await currentCertificateOf(env.db, cert.holder.id, cert.input.itemCode);
    assert.ok(found?.certificateNo.startsWith(`${CANGSHUIPU}-`));
  });

  it('makes a unit’s first key once, even when two issue at the same time', async () => {
    const xiushan = await servicePoint(env.db, '430922101');
    const [a, b] = await Promise.all([
      issueTestCertificate(env.db, { decidingCode: xiushan.code }),
      issueTestCertificate(env.db, { decidingCode: xiushan.code }),
    ]);
    assert.equal(a.keyId, b.keyId);
    const keys = await env.db
      .selectFrom('seal_key')
      .select('key_id')
      .where('service_point_id', '=', xiushan.id)
      .execute();
    assert.equal(keys.length, 1);
  });

  it('keeps the private key encrypted: neither the PKCS#8 nor the seed is in the table', async () => {
    const rows = await env.db.selectFrom('seal_key').selectAll().execute();
    assert.ok(rows.length >= 2);
    for (const row of rows) {
      const pkcs8 = TEST_KEYS.seal.decrypt(row.private_key_cipher, row.key_id);
      const seed = pkcs8.subarray(pkcs8.length - 32);
      const dump = JSON.stringify(row);
      for (const secret of [pkcs8, seed]) {
        for (const enc of ['base64', 'base64url', 'hex'] as const) {
          assert.ok(!dump.includes(secret.toString(enc)), `${row.key_id}: ${enc} in clear`);
        }
      }
      assert.throws(() => TEST_KEYS.seal.decrypt(row.private_key_cipher, 'another-key-id'));
    }
  });
});

describe('public verification', () => {
  it('says genuine and valid, and shows no full name or ID number', async () => {
    const res = await get(`/api/v1/verify/${cert.certificateNo}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.data.genuine, true);
    assert.equal(res.data.status, 'valid');
    assert.equal(res.data.current, true);
    assert.equal(res.data.revokeReason, null);
    assert.equal(res.data.holderName, '王*国');
    assert.equal(res.data.idNumberMasked, cert.holder.id_number_masked);
    assert.equal(res.data.payload, canonicalJson(cert.payload));
    for (const secret of ['王建国', '李秋菊', cert.holder.idNumber]) {
      assert.ok(!res.body.includes(secret), secret);
    }
    const page = await get(`/verify/${cert.certificateNo}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.match(page.body, /✔/);
    assert.match(page.body, /真实有效/);
    assert.ok(page.body.includes('王*国') && !page.body.includes('王建国'));
    assert.ok(!page.body.includes(cert.holder.idNumber));
  });

  it('answers 404 for unknown numbers and 400 for malformed ones, as JSON and as a page', async () => {
    const unknown = `${CANGSHUIPU}-2020-999999`;
    const res = await get(`/api/v1/verify/${unknown}`);
    assert.equal(res.statusCode, 404);
    assert.equal(res.data.error.code, 'CERTIFICATE_NOT_FOUND');
    assert.equal((await get('/api/v1/verify/not-a-number')).statusCode, 400);
    const page = await get(`/verify/${unknown}`);
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /未找到该证照/);
    const bad = await get(`/verify/${encodeURIComponent('<script>x</script>')}`);
    assert.equal(bad.statusCode, 400);
    assert.ok(!bad.body.includes('<script>x'));
  });

  it('limits each address to 60 checks a minute, then answers 429 with Retry-After', async () => {
    const unknown = `${CANGSHUIPU}-2020-999998`;
    const from = (remoteAddress: string, url: string) =>
      call(env.app, { method: 'GET', url, remoteAddress, headers: { 'accept-language': 'en' } });
    for (let i = 0; i < VERIFY_RATE_LIMIT.max; i++) {
      assert.equal((await from('203.0.113.7', `/api/v1/verify/${unknown}`)).statusCode, 404);
    }
    const over = await from('203.0.113.7', `/api/v1/verify/${unknown}`);
    assert.equal(over.statusCode, 429);
    assert.equal(over.data.error.code, 'RATE_LIMITED');
    assert.match(over.data.error.message, /Too many requests/);
    assert.ok(Number(over.headers['retry-after']) > 0, 'says when to come back');
    // The page counts with the JSON check: no second 60 by asking for HTML.
    assert.equal((await from('203.0.113.7', `/verify/${unknown}`)).statusCode, 429);
    // Another address is not held back by the first.
    assert.equal((await from('203.0.113.8', `/api/v1/verify/${unknown}`)).statusCode, 404);
  });

  it('counts an IPv6 client by its /64, an IPv4 one by its address', () => {
    const k = clientKey('2001:db8:1:2:aaaa::1');
    assert.equal(k, '2001:db8:1:2::/64');
    assert.equal(clientKey('2001:0db8:0001:0002:ffff:1:2:3'), k);
    assert.equal(clientKey('2001:DB8:1:2::9%eth0'), k);
    assert.notEqual(clientKey('2001:db8:1:3::1'), k);
    assert.equal(clientKey('::ffff:198.51.100.4'), '198.51.100.4');
    assert.equal(clientKey('198.51.100.4'), '198.51.100.4');
    assert.equal(clientKey('::1'), '0:0:0:0::/64');
  });

  it('publishes the key as JWK, and openssl alone verifies the signature', async () => {
    const seals = await get('/api/v1/seals');
    assert.equal(seals.statusCode, 200);
    const jwk = seals.data.keys.find((k: { kid: string }) => k.kid === cert.keyId);
    assert.equal(jwk.kty, 'OKP');
    assert.equal(jwk.crv, 'Ed25519');
    assert.equal(jwk.alg, 'EdDSA');
    assert.equal(jwk.status, 'active');
    assert.equal(jwk.servicePoint.code, CANGSHUIPU);
    // openssl alone must verify it: without openssl the check proves nothing (.ci/run installs it).
    if (spawnSync('openssl', ['version']).status !== 0)
      assert.fail('openssl did not run: install it');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yimen-cert-'));
    try {
      const res = await get(`/api/v1/verify/${cert.certificateNo}`);
      fs.writeFileSync(path.join(dir, 'pub.pem'), spkiPemFromX(jwk.x));
      fs.writeFileSync(path.join(dir, 'sig.bin'), Buffer.from(res.data.signature, 'base64url'));
      const check = (payload: string) => {
        fs.writeFileSync(path.join(dir, 'payload.json'), payload, 'utf8');
        const args = ['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin'];
        const r = spawnSync('openssl', [...args, '-in', 'payload.json', '-sigfile', 'sig.bin'], {
          cwd: dir,
          encoding: 'utf8',
        });
        return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
      };
      const good = check(res.data.payload);
      assert.ok(good.ok, good.out);
      assert.match(good.out, /Signature Verified Successfully/);
      const forged = check(res.data.payload.replace('王*国', '张*国'));
      assert.equal(forged.ok, false);
      assert.doesNotMatch(forged.out, /Signature Verified Successfully/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says "not genuine" when the stored payload was altered', async () => {
    const forged = await issueTestCertificate(env.db);
    const row = await env.db
      .selectFrom('certificate')
      .select('payload_canonical')
      .where('certificate_no', '=', forged.certificateNo)
      .executeTakeFirstOrThrow();
    await env.db
      .updateTable('certificate')
      .set({
        payload_canonical: row.payload_canonical.replace('"childOrder":"1"', '"childOrder":"2"'),
      })
      .where('certificate_no', '=', forged.certificateNo)
      .execute();
    const res = await get(`/api/v1/verify/${forged.certificateNo}`);
    assert.equal(res.data.genuine, false);
    assert.equal(res.data.current, false);
    const page = await get(`/verify/${forged.certificateNo}`);
    assert.match(page.body, /签名验证失败/);
  });
});

describe('holders and staff', () => {
  it('lists a citizen’s own certificates only; staff are refused', async () => {
    const mine = await get('/api/v1/me/certificates', holder.token);
    assert.equal(mine.statusCode, 200);
    assert.ok(
      mine.data.items.some(
        (c: { certificateNo: string }) => c.certificateNo === cert.certificateNo,
      ),
    );
    const theirs = await get('/api/v1/me/certificates', stranger.token);
    assert.deepEqual(theirs.data.items, []);
    assert.equal((await get('/api/v1/me/certificates', staff.approver!.token)).statusCode, 403);
    assert.equal((await get('/api/v1/me/certificates')).statusCode, 401);
  });

  it('shows details to the holder and to staff of the region, 404 to anyone else', async () => {
    const url = `/api/v1/certificates/${cert.certificateNo}`;
    const res = await get(url, holder.token);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.data.genuine, true);
    const byKey = Object.fromEntries(
      res.data.fields.map((f: { key: string; label: { zh: string }; value: string }) => [f.key, f]),
    );
    assert.equal(byKey.wifeName.label.zh, '女方姓名');
    assert.equal(byKey.wifeName.value, '李*菊');
    assert.equal(byKey.childOrder.value, '第一个子女');
    for (const who of ['approver', 'agent']) {
      assert.equal((await get(url, staff[who]!.token)).statusCode, 200, who);
    }
    assert.equal((await get(url, stranger.token)).statusCode, 404);
    assert.equal((await get(url, staff.farApprover!.token)).statusCode, 404);
    assert.equal((await get(`${url}/pdf`, stranger.token)).statusCode, 404);
  });

  it('renders a PDF with the title, the masked holder, the seal and a QR code', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: `/api/v1/certificates/${cert.certificateNo}/pdf`,
      headers: { ...bearer(holder.token), host: 'yimen.example.cn' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const pdf = res.rawPayload;
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.toString('latin1'), /\/Subtype\s*\/Image/);
    const text = pdfText(pdf);
    assert.match(text, /生育登记服务证/);
    assert.match(text, /王\*国/);
    assert.ok(text.includes(cert.certificateNo));
    assert.ok(text.includes(`http://yimen.example.cn/verify/${cert.certificateNo}`));
    assert.ok(!text.includes('王建国') && !text.includes(cert.holder.idNumber));
  });
});
