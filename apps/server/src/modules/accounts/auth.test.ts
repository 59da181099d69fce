import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { bearer, createStaff, TEST_PASSWORD } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
before(async () => {
  env = await createTestEnv();
});
after(() => env.close());

const login = (
  username: string,
  password: string,
  tokenType: 'cookie' | 'bearer' = 'bearer',
  headers = {},
) =>
  call(env.app, {
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password, tokenType },
    headers,
  });

async function deniedAudits(action: string) {
  const rows = await env.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'after'])
    .where('action', '=', action)
    .where('outcome', '=', 'denied')
    .execute();
  return rows;
}

describe('staff sign-in', () => {
  it('signs in with a bearer token and shows who one is', async () => {
    const staff = await createStaff(env.db, {
      roles: ['township_approver'],
      servicePointCode: '430922101',
    });
    const res = await login(staff.username, TEST_PASSWORD);
    assert.equal(res.statusCode, 200);
    assert.ok(res.data.token);
    assert.equal(res.data.csrfToken, undefined);
    const me = await call(env.app, {
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(res.data.token),
    });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.data.roles, [{ role: 'township_approver', label: '乡镇审批（一枚印章）' }]);
    assert.equal(me.data.servicePoint.code, '430922101');
    assert.equal(me.data.servicePoint.kind, 'township_centre');
    assert.deepEqual(
      me.data.regionPath.map((r: { name: string }) => r.name),
      ['湖南省', '益阳市', '桃江县', '修山镇'],
    );
    const audit = await env.db
      .selectFrom('audit_log')
      .select(['action', 'chain'])
      .where('action', '=', 'auth.login')
      .execute();
    assert.ok(audit.some((a) => a.chain === 'sp:430922101'));
  });

  it('answers a wrong password and an unknown user alike, and audits both', async () => {
    const staff = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: '430922101220',
    });
    const wrong = await login(staff.username, 'not-the-password-1');
    const unknown = await login('nobody.here', 'not-the-password-1');
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.equal(wrong.data.error.code, 'INVALID_CREDENTIALS');
    assert.equal(wrong.data.error.message, unknown.data.error.message);
    assert.ok((await deniedAudits('refused:POST /api/v1/auth/login')).length >= 2);
  });

  it('locks the account after five failures, even against the right password', async () => {
    const staff = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: '430922101220',
    });
    for (let i = 0; i < 5; i++)
      assert.equal((await login(staff.username, `wrong-pass-${i}x`)).statusCode, 401);
    const locked = await login(staff.username, TEST_PASSWORD);
    assert.equal(locked.statusCode, 423);
    assert.equal(locked.data.error.code, 'ACCOUNT_LOCKED');
    assert.ok(Number(locked.headers['retry-after']) > 0);
    await env.db
      .updateTable('app_user')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('id', '=', staff.id)
      .execute();
    assert.equal((await login(staff.username, TEST_PASSWORD)).statusCode, 200);
    const row = await env.db
      .selectFrom('app_user')
      .select('failed_logins')
      .where('id', '=', staff.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.failed_logins, 0);
  });

  it('web sessions use an HttpOnly cookie and demand the CSRF token on changes', async () => {
    const staff = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: '430903105237',
    });
    const res = await login(staff.username, TEST_PASSWORD, 'cookie');
    assert.equal(res.statusCode, 200);
    assert.equal(res.data.token, undefined);
    const cookies = res.cookies as {
      name: string;
      value: string;
      httpOnly?: boolean;
      sameSite?: string;
    }[];
    const session = cookies.find((c) => c.name === 'yimen_session')!;
    const csrf = cookies.find((c) => c.name === 'yimen_csrf')!;
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.notEqual(csrf.httpOnly, true);
    assert.equal(csrf.value, res.data.csrfToken);
    const cookie = { cookie: `yimen_session=${session.value}; yimen_csrf=${csrf.value}` };
    assert.equal(
      (await call(env.app, { method: 'GET', url: '/api/v1/me', headers: cookie })).statusCode,
      200,
    );
    const noCsrf = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: cookie,
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.data.error.code, 'CSRF_FAILED');
    const badCsrf = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { ...cookie, 'x-csrf-token': 'x'.repeat(43) },
    });
    assert.equal(badCsrf.statusCode, 403);
    assert.ok((await deniedAudits('refused:POST /api/v1/auth/logout')).length >= 2);
    const out = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { ...cookie, 'x-csrf-token': csrf.value },
    });
    assert.equal(out.statusCode, 204);
    const after = await call(env.app, { method: 'GET', url: '/api/v1/me', headers: cookie });
    assert.equal(after.statusCode, 401);
    assert.equal(after.data.error.code, 'INVALID_TOKEN');
  });

  it('refuses forged, malformed and expired tokens with 401', async () => {
    const noAuth = await call(env.app, { method: 'GET', url: '/api/v1/me' });
    assert.equal(noAuth.data.error.code, 'UNAUTHENTICATED');
    for (const authorization of [
      `Bearer ${'A'.repeat(43)}`,
      'Bearer short',
      'Basic dXNlcjpwYXNz',
    ]) {
      const res = await call(env.app, {
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization },
      });
      assert.equal(res.statusCode, 401, authorization);
      assert.equal(res.data.error.code, 'INVALID_TOKEN');
    }
    const staff = await createStaff(env.db, { roles: ['leader'], servicePointCode: '4309' });
    await env.db
      .updateTable('user_session')
      .set({ expires_at: new Date(Date.now() - 1) })
      .where('user_id', '=', staff.id)
      .execute();
    const expired = await call(env.app, {
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(staff.token),
    });
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.data.error.code, 'INVALID_TOKEN');
    // Public endpoints still answer a client holding a stale credential.
    const health = await call(env.app, {
      method: 'GET',
      url: '/health',
      headers: bearer(staff.token),
    });
    assert.equal(health.statusCode, 200);
  });

  it('changes a password under the policy and signs out the other sessions', async () => {
    const staff = await createStaff(env.db, {
      roles: ['township_clerk'],
      servicePointCode: '430903105',
    });
    const other = await login(staff.username, TEST_PASSWORD);
    const change = (newPassword: string, currentPassword = TEST_PASSWORD) =>
      call(env.app, {
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { ...bearer(staff.token), 'accept-language': 'en' },
        payload: { currentPassword, newPassword },
      });
    const short = await change('abc');
    assert.equal(short.statusCode, 400);
    assert.ok(
      short.data.error.fields.every((f: { field: string }) => f.field === 'body.newPassword'),
    );
    assert.match(short.data.error.fields[0].message, /at least 10/);
    const lettersOnly = await change('onlyletterslong');
    assert.equal(lettersOnly.statusCode, 400);
    const wrongCurrent = await change('Good-new-pass-1', 'Not-my-password-1');
    assert.deepEqual(
      wrongCurrent.data.error.fields.map((f: { field: string }) => f.field),
      ['body.currentPassword'],
    );
    assert.equal((await change('Good-new-pass-1')).statusCode, 204);
    const otherNow = await call(env.app, {
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(other.data.token),
    });
    assert.equal(otherNow.statusCode, 401);
    assert.equal(
      (await call(env.app, { method: 'GET', url: '/api/v1/me', headers: bearer(staff.token) }))
        .statusCode,
      200,
    );
    assert.equal((await login(staff.username, 'Good-new-pass-1')).statusCode, 200);
  });

  it('lists and revokes one’s own sessions, and no one else’s', async () => {
    const a = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: '430922101224',
    });
    const b = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: '430922101224',
    });
    const second = await login(a.username, TEST_PASSWORD);
    const list = await call(env.app, {
      method: 'GET',
      url: '/api/v1/me/sessions',
      headers: bearer(a.token),
    });
    assert.equal(list.data.items.length, 2);
    assert.equal(list.data.items.filter((s: { current: boolean }) => s.current).length, 1);
    const bSessions = await call(env.app, {
      method: 'GET',
      url: '/api/v1/me/sessions',
      headers: bearer(b.token),
    });
    const foreign = await call(env.app, {
      method: 'DELETE',
      url: `/api/v1/me/sessions/${bSessions.data.items[0].id}`,
      headers: bearer(a.token),
    });
    assert.equal(foreign.statusCode, 404);
    const target = list.data.items.find((s: { current: boolean }) => !s.current);
    const del = await call(env.app, {
      method: 'DELETE',
      url: `/api/v1/me/sessions/${target.id}`,
      headers: bearer(a.token),
    });
    assert.equal(del.statusCode, 204);
    assert.equal(
      (
        await call(env.app, {
          method: 'GET',
          url: '/api/v1/me',
          headers: bearer(second.data.token),
        })
      ).statusCode,
      401,
    );
  });
});

describe('citizen sign-in by SMS', () => {
  const mobile = '13912345678';
  async function lastCode(m: string): Promise<string> {
    const row = await env.db
      .selectFrom('sms_message')
      .select('body')
      .where('mobile', '=', m)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    return /(\d{6})/.exec(row.body)![1]!;
  }

  it('sends a code, refuses a wrong one, and signs in with the right one', async () => {
    const sent = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { mobile: `+86 ${mobile}` },
    });
    assert.equal(sent.statusCode, 202);
    assert.equal(sent.data.expiresInSeconds, 300);
    const code = await lastCode(mobile);
    const codes = await env.db
      .selectFrom('sms_code')
      .select('code_hash')
      .where('mobile', '=', mobile)
      .execute();
    assert.ok(
      codes.every((c) => !c.code_hash.includes(code)),
      'only a hash of the code is kept',
    );
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const bad = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/sms-login',
      payload: { mobile, code: wrong, tokenType: 'bearer' },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.data.error.code, 'SMS_CODE_INVALID');
    const ok = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/sms-login',
      payload: { mobile, code, tokenType: 'bearer' },
    });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.data.user.kind, 'citizen');
    assert.equal(ok.data.user.mobileMasked, '139****5678');
    const reuse = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/sms-login',
      payload: { mobile, code, tokenType: 'bearer' },
    });
    assert.equal(reuse.statusCode, 400, 'a code works once');
    // Citizens cannot use staff endpoints.
    const users = await call(env.app, {
      method: 'GET',
      url: '/api/v1/users',
      headers: bearer(ok.data.token),
    });
    assert.equal(users.statusCode, 403);
  });

  it('rate-limits codes per number, saying when to retry', async () => {
    const m = '13700000002';
    assert.equal(
      (
        await call(env.app, {
          method: 'POST',
          url: '/api/v1/auth/sms-code',
          payload: { mobile: m },
        })
      ).statusCode,
      202,
    );
    const again = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { mobile: m },
    });
    assert.equal(again.statusCode, 429);
    assert.ok(Number(again.headers['retry-after']) > 0);
  });

  it('gives up on a code after five wrong tries', async () => {
    const m = '13700000003';
    await call(env.app, { method: 'POST', url: '/api/v1/auth/sms-code', payload: { mobile: m } });
    const code = await lastCode(m);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) {
      await call(env.app, {
        method: 'POST',
        url: '/api/v1/auth/sms-login',
        payload: { mobile: m, code: wrong },
      });
    }
    const right = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/sms-login',
      payload: { mobile: m, code },
    });
    assert.equal(right.statusCode, 400);
  });

  it('rejects numbers that are not mainland mobiles, naming the field', async () => {
    const res = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { mobile: '12345' },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(
      res.data.error.fields.map((f: { field: string }) => f.field),
      ['body.mobile'],
    );
    const count = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM sms_code WHERE mobile = '12345'`.execute(env.db);
    assert.equal(count.rows[0]!.n, 0);
  });
});
