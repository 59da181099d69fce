import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  adminCall,
  caseWithDepartment,
  createHubEnv,
  type HubEnv,
  registerSimConnector,
} from './integrations.fixtures.ts';
import { H, type SigningKey, signedHeaders } from './signing.ts';

/**
 * The inbound API as a department system uses it — and as an attacker would try it. Every
 * refusal is a 401 that is logged; a case the system does not own is 404.
 */
let env: HubEnv;
let hrssSecret: string;
before(async () => {
  env = await createHubEnv({ systems: [{ key: 'hrss', answer: 'later', laterMs: 3_600_000 }] });
  await registerSimConnector(env, 'hrss');
  hrssSecret = env.sim.config('hrss').secret;
});
after(() => env.closeHub());

async function signed(
  path: string,
  o: {
    method?: 'GET' | 'POST';
    body?: unknown;
    system?: string;
    key?: SigningKey;
    messageId?: string;
    tamper?: (h: Record<string, string>) => void;
    now?: number;
  } = {},
) {
  const method = o.method ?? 'POST';
  const body = o.body === undefined ? '' : JSON.stringify(o.body);
  const headers = signedHeaders({
    system: o.system ?? 'hrss-sim',
    key: o.key ?? { kind: 'hmac', secret: hrssSecret },
    method,
    path,
    body,
    messageId: method === 'POST' ? (o.messageId ?? randomUUID()) : undefined,
    ...(o.now ? { now: o.now } : {}),
  });
  o.tamper?.(headers);
  const res = await fetch(`${env.url}${path}`, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    data: text ? JSON.parse(text) : null,
    sent: headers,
  };
}

const statusPath = (no: string) => `/api/v1/dept/applications/${no}/status`;

async function refusalsLogged(reason: string): Promise<number> {
  const rows = await env.db
    .selectFrom('message_log')
    .select('id')
    .where('direction', '=', 'inbound')
    .where('outcome', '=', 'refused')
    .where('error', '=', reason)
    .execute();
  return rows.length;
}

describe('the inbound API for department systems', () => {
  it('takes a signed status callback, once per message id', async () => {
    const c = await caseWithDepartment(env);
    await env.drain();
    const messageId = randomUUID();
    const first = await signed(statusPath(c.applicationNo), {
      body: { result: 'accepted', reference: 'HR-1' },
      messageId,
    });
    assert.equal(first.status, 200, JSON.stringify(first.data));
    assert.deepEqual(first.data, {
      applicationNo: c.applicationNo,
      status: 'pending_decision',
      action: 'departmentAccept',
    });
    const again = await signed(statusPath(c.applicationNo), {
      body: { result: 'accepted', reference: 'HR-1' },
      messageId,
    });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.data, first.data, 'the first answer');
    const accepts = (await env.clerk.get(c.id)).data.history.filter(
      (h: { action: string }) => h.action === 'departmentAccept',
    );
    assert.equal(accepts.length, 1, 'the case moved once');
    const other = await signed(statusPath(c.applicationNo), {
      body: { result: 'rejected', reasons: 'x' },
      messageId,
    });
    assert.equal(other.status, 422);
    assert.equal(other.data.error.code, 'MESSAGE_ID_REUSED');
    const log = await adminCall(env, 'GET', `/messages?applicationNo=${c.applicationNo}`);
    const inbound = log.data.items.filter((m: { direction: string }) => m.direction === 'inbound');
    assert.deepEqual(inbound.map((m: { outcome: string }) => m.outcome).sort(), [
      'failed',
      'processed',
      'replayed',
    ]);
  });

  it('refuses an unsigned, forged, stale or replayed callback, and logs each', async () => {
    const c = await caseWithDepartment(env);
    const path = statusPath(c.applicationNo);
    const body = JSON.stringify({ result: 'accepted' });
    const unsigned = await fetch(`${env.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [H.messageId]: randomUUID() },
      body,
    });
    assert.equal(unsigned.status, 401);
    assert.equal(
      ((await unsigned.json()) as { error: { code: string } }).error.code,
      'DEPARTMENT_AUTH_FAILED',
    );

    const forged = await signed(path, {
      body: { result: 'accepted' },
      key: { kind: 'hmac', secret: 'a-secret-the-attacker-guessed-0123456789' },
    });
    assert.equal(forged.status, 401);
    const tampered = await signed(path, {
      body: { result: 'accepted' },
      tamper: (h) => {
        h[H.timestamp] = String(Number(h[H.timestamp]) + 1);
      },
    });
    assert.equal(tampered.status, 401, 'the timestamp is signed');
    const stale = await signed(path, {
      body: { result: 'accepted' },
      now: Date.now() - 10 * 60_000,
    });
    assert.equal(stale.status, 401);
    const unknown = await signed(path, { body: { result: 'accepted' }, system: 'nobody' });
    assert.equal(unknown.status, 401);

    const genuine = await signed(path, { body: { result: 'later' } });
    assert.equal(genuine.status, 200, JSON.stringify(genuine.data));
    const replay = await fetch(`${env.url}${path}`, {
      method: 'POST',
      headers: { ...genuine.sent, 'content-type': 'application/json' },
      body: JSON.stringify({ result: 'later' }),
    });
    assert.equal(replay.status, 401);
    assert.match(
      ((await replay.json()) as { error: { message: string } }).error.message,
      /replayed nonce/,
    );

    assert.equal(await statusOf(c.id), 'with_department', 'nothing moved the case');
    for (const reason of [
      'unsigned',
      'bad signature',
      'stale timestamp',
      'unknown system',
      'replayed nonce',
    ])
      assert.ok((await refusalsLogged(reason)) >= 1, reason);
    const audited = await env.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'integration.inbound.refused')
      .execute();
    assert.ok(audited.length >= 5);
  });

  it('a callback for a case the system does not own is 404, like one that does not exist', async () => {
    const c = await caseWithDepartment(env);
    const other = generateKeyPairSync('ed25519');
    const x = other.publicKey.export({ format: 'jwk' }).x!;
    const res = await adminCall(env, 'POST', '/systems', {
      code: 'mi-ed25519',
      systemKey: 'medical-insurance',
      name: '医保（Ed25519）',
      department: '医保',
      baseUrl: 'http://127.0.0.1:9/none',
      clientId: 'mi-ed',
      auth: { kind: 'ed25519', publicKey: x },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.match(res.data.platformPublicKey, /^[A-Za-z0-9_-]{43}$/);
    const key: SigningKey = {
      kind: 'ed25519',
      pkcs8: other.privateKey.export({ format: 'der', type: 'pkcs8' }),
    };
    const notOwned = await signed(statusPath(c.applicationNo), {
      body: { result: 'accepted' },
      system: 'mi-ed',
      key,
    });
    assert.equal(notOwned.status, 404, 'an Ed25519-signed call is authenticated, then not found');
    assert.equal(notOwned.data.error.code, 'APPLICATION_NOT_FOUND');
    const none = await signed(statusPath('430922101-20990101-0001'), {
      body: { result: 'accepted' },
    });
    assert.equal(none.status, 404);
    const pull = await signed(`/api/v1/dept/applications/${c.applicationNo}`, {
      method: 'GET',
      system: 'mi-ed',
      key,
    });
    assert.equal(pull.status, 404);
  });

  it('a department pulls the cases assigned to it, in full', async () => {
    const c = await caseWithDepartment(env);
    const list = await signed('/api/v1/dept/applications?limit=200', { method: 'GET' });
    assert.equal(list.status, 200, JSON.stringify(list.data));
    const mine = list.data.items.find(
      (a: { applicationNo: string }) => a.applicationNo === c.applicationNo,
    );
    assert.ok(mine);
    assert.equal(mine.status, 'with_department');
    assert.match(
      mine.applicant.idNumber,
      /^\d{17}[\dX]$/,
      'the department gets the full ID number',
    );
    assert.match(mine.callback.status, /\/status$/);
    const one = await signed(`/api/v1/dept/applications/${c.applicationNo}`, { method: 'GET' });
    assert.equal(one.data.applicationNo, c.applicationNo);
    const tamperedQuery = await signed('/api/v1/dept/applications?limit=200', {
      method: 'GET',
      tamper: (h) => {
        h[H.nonce] = `${h[H.nonce]}x`;
      },
    });
    assert.equal(tamperedQuery.status, 401, 'the nonce is signed');
  });
});

async function statusOf(id: string) {
  return (await env.clerk.get(id)).data.status;
}
