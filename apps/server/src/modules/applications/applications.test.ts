import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type RawBuilder, sql } from 'kysely';
import { purgeIdempotencyKeys } from '../../db/idempotency.repo.ts';
import { seedDemo } from '../../seed/seed.ts';
import {
  type Applicant,
  allowanceBody as allowanceOf,
  CaseClient,
  demoApplicant,
  signIn,
} from '../../test/cases.ts';
import { bearer, createCitizen, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, TEST_KEYS, type TestEnv } from '../../test/harness.ts';
import { assertLogsExplainStatuses } from '../../test/replay.ts';

/** Correctness under real conditions: retries, races, bad transitions, corrections, ratings. */
let env: TestEnv;
let agent: CaseClient;
let approver: CaseClient;
let liu: Applicant;
before(async () => {
  env = await createTestEnv();
  await seedDemo(env.db, TEST_KEYS);
  agent = await signIn(env.app, 'agent.sanguanqiao');
  approver = await signIn(env.app, 'approver.xiushan');
  liu = await demoApplicant(env, agent, '刘卫东', '430922101220');
});
after(() => env.close());

const allowanceBody = (c: CaseClient, over: Record<string, unknown> = {}, withAll = true) =>
  allowanceOf(c, liu, over, withAll);

async function countApplications() {
  const r = await env.db
    .selectFrom('application')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('retries and races', () => {
  it('a retried submission with the same key creates one case and answers the same', async () => {
    const body = await allowanceBody(agent);
    const key = randomUUID();
    const before_ = await countApplications();
    const first = await agent.submit(body, key);
    const again = await agent.submit(body, key);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.data.id, first.data.id);
    assert.equal(await countApplications(), before_ + 1);
    const reused = await agent.submit(
      { ...body, formData: { ...body.formData, ageGroup: '90-99' } },
      key,
    );
    assert.equal(reused.statusCode, 422);
    assert.equal(reused.data.error.code, 'IDEMPOTENCY_KEY_REUSED');
    const noKey = await call(env.app, {
      method: 'POST',
      url: '/api/v1/applications',
      headers: bearer(agent.token),
      payload: body,
    });
    assert.equal(noKey.statusCode, 400);
    assert.equal(noKey.data.error.fields[0].field, 'headers.idempotency-key');
  });

  it('a retried action is taken once', async () => {
    const { data } = await agent.submit(await allowanceBody(agent));
    const key = randomUUID();
    const a = await agent.actAt(data.id, 'accept', data.version, {}, key);
    const b = await agent.actAt(data.id, 'accept', data.version, {}, key);
    assert.equal(a.statusCode, 200, a.body);
    assert.equal(b.statusCode, 200);
    assert.equal(b.data.version, a.data.version);
    const accepts = b.data.history.filter((h: { action: string }) => h.action === 'accept');
    assert.equal(accepts.length, 1);
  });

  it('two clerks acting on one version at once: one wins, the other gets 409 with the current state', async () => {
    const { data } = await agent.submit(await allowanceBody(agent));
    const other = new CaseClient(
      env.app,
      (await createStaff(env.db, { roles: ['village_agent'], servicePointCode: '430922101220' }))
        .token,
    );
    const [x, y] = await Promise.all([
      agent.actAt(data.id, 'accept', data.version),
      other.actAt(data.id, 'requestCorrection', data.version, {
        missing: [{ item: '户口簿首页' }],
      }),
    ]);
    const codes = [x.statusCode, y.statusCode].sort();
    assert.deepEqual(codes, [200, 409]);
    const loser = x.statusCode === 409 ? x : y;
    assert.equal(loser.data.error.code, 'VERSION_CONFLICT');
    assert.match(loser.data.error.message, /第 2 版/);
  });
});

describe('idempotency keys are kept for their retries, then forgotten', () => {
  it('purges keys older than the configured hours and keeps the recent ones', async () => {
    const old = randomUUID();
    const fresh = randomUUID();
    assert.equal((await agent.submit(await allowanceBody(agent), old)).statusCode, 201);
    const freshBody = await allowanceBody(agent);
    assert.equal((await agent.submit(freshBody, fresh)).statusCode, 201);
    await sql`UPDATE idempotency_key SET created_at = now() - interval '25 hours' WHERE key = ${old}`.execute(
      env.db,
    );
    assert.ok((await purgeIdempotencyKeys(env.db, 24)) >= 1);
    const left = await env.db
      .selectFrom('idempotency_key')
      .select('key')
      .where('key', 'in', [old, fresh])
      .execute();
    assert.deepEqual(
      left.map((r) => r.key),
      [fresh],
    );
    // A retry with the fresh key still replays its first answer.
    const again = await agent.submit(freshBody, fresh);
    assert.equal(again.headers['idempotent-replayed'], 'true');
  });
});

describe('worklist boxes that span every role of a service point', () => {
  const box = async (c: CaseClient, name: string, query = 'limit=100') => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(env.app, {
        method: 'GET',
        url: `/api/v1/worklist?box=${name}&${query}${cursor ? `&cursor=${cursor}` : ''}`,
        headers: bearer(c.token),
      });
      assert.equal(res.statusCode, 200, res.body);
      ids.push(...res.data.items.map((i: { id: string }) => i.id));
      cursor = res.data.nextCursor;
      assert.ok(ids.length < 5_000, `${name}: the cursor moves on`);
    } while (cursor);
    return ids;
  };

  it('in progress, overdue and done hold a case at the station and at the township alike', async () => {
    const { data } = await agent.submit(await allowanceBody(agent));
    await agent.act(data.id, 'accept');
    for (const c of [agent, approver]) {
      assert.ok((await box(c, 'in_progress')).includes(data.id));
      assert.ok(!(await box(c, 'overdue')).includes(data.id));
      assert.ok(!(await box(c, 'done')).includes(data.id));
    }
    // Its time runs out: both the station that received it and the deciding township see it.
    await env.db
      .updateTable('application')
      .set({ due_date: '2020-01-02', warn_date: '2020-01-01' })
      .where('id', '=', data.id)
      .execute();
    for (const c of [agent, approver]) assert.ok((await box(c, 'overdue')).includes(data.id));
    // Decided, issued and handed over: concluded, it leaves both boxes for "done".
    for (const [c, action] of [
      [approver, 'approve'],
      [approver, 'issue'],
    ] as const) {
      const res = await c.act(data.id, action);
      assert.equal(res.statusCode, 200, res.body);
    }
    const handed = await agent.act(data.id, 'handOver', {
      recipient: { name: '刘卫东', idNumber: liu.idNumber },
    });
    assert.equal(handed.statusCode, 200, handed.body);
    assert.equal(handed.data.status, 'concluded');
    for (const c of [agent, approver]) {
      assert.ok(!(await box(c, 'in_progress')).includes(data.id));
      assert.ok(!(await box(c, 'overdue')).includes(data.id));
      assert.ok((await box(c, 'done')).includes(data.id));
    }
  });
  it('pages of two, in either order, give every case of the box once and in order', async () => {
    // Cases at the township in every role; due dates that tie, differ and are missing.
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { data } = await agent.submit(await allowanceBody(agent));
      if (i < 4) await agent.act(data.id, 'accept');
      ids.push(data.id);
    }
    const dues = ['2030-05-01', '2030-04-01', '2030-05-01', null, '2030-04-01'];
    for (const [i, id] of ids.entries()) {
      await env.db
        .updateTable('application')
        .set({ due_date: dues[i] ?? null })
        .where('id', '=', id)
        .execute();
    }
    // The approver's township centre decides them all; the agent submitted them all.
    const { deciding_sp_id: sp, submitted_by: agentUser } = await env.db
      .selectFrom('application')
      .select(['deciding_sp_id', 'submitted_by'])
      .where('id', '=', ids[0]!)
      .executeTakeFirstOrThrow();
    const DUE_ORDER = `COALESCE(due_date, '9999-12-31'), submitted_at, id`;
    const atSp = sql`${sp} IN (received_sp_id, accepting_sp_id, deciding_sp_id, deliver_sp_id)`;
    const idsWhere = async (where: RawBuilder<unknown>, order = DUE_ORDER) =>
      (
        await sql<{ id: string }>`SELECT id FROM application WHERE ${where}
          ORDER BY ${sql.raw(order)}`.execute(env.db)
      ).rows.map((r) => r.id);
    const expected = (order: string) =>
      idsWhere(sql`status NOT IN ('concluded', 'refused', 'withdrawn') AND ${atSp}`, order);
    const byDue = await expected(DUE_ORDER);
    assert.ok(byDue.length >= 5);
    assert.deepEqual(await box(approver, 'in_progress', 'limit=2'), byDue);
    assert.deepEqual(await box(approver, 'in_progress', 'limit=100'), byDue);
    assert.deepEqual(
      await box(approver, 'in_progress', 'limit=2&sort=submitted_at'),
      await expected('submitted_at DESC, id DESC'),
    );
    // "Done" and "mine" page too (each once ignored its cursor or took the open-case path).
    await approver.act(ids[0]!, 'approve');
    await approver.act(ids[0]!, 'issue');
    await agent.act(ids[0]!, 'handOver', { recipient: { name: '刘卫东', idNumber: liu.idNumber } });
    await agent.act(ids[4]!, 'withdraw', { reasons: '申请人撤回' });
    const done = await idsWhere(sql`status IN ('concluded', 'refused', 'withdrawn') AND ${atSp}`);
    assert.ok(done.length >= 2);
    assert.deepEqual(await box(approver, 'done', 'limit=1'), done);
    const mine = await idsWhere(sql`submitted_by = ${agentUser}`);
    assert.ok(mine.length > 2);
    assert.deepEqual(await box(agent, 'mine', 'limit=2'), mine);
  });

  it('a cursor that was not handed out is refused, naming the field', async () => {
    const forged = (k: string) =>
      Buffer.from(JSON.stringify({ k, id: randomUUID() })).toString('base64url');
    for (const cursor of [
      'not-base64-json',
      forged('2026-02-30 2026-01-01T00:00:00.000000'),
      forged('2026-01-01'),
      forged("2026-01-01 x' OR 1=1"),
      forged('2026-01-01 2026-01-01T25:61:99.000000'),
      forged('0000-01-01 2026-01-01T00:00:00.000000'),
      Buffer.from(
        JSON.stringify({ k: '2026-01-01 2026-01-01T00:00:00.000000', id: '-'.repeat(36) }),
      ).toString('base64url'),
    ]) {
      const res = await call(env.app, {
        method: 'GET',
        url: `/api/v1/worklist?box=in_progress&cursor=${cursor}`,
        headers: bearer(approver.token),
      });
      assert.equal(res.statusCode, 400, cursor);
      assert.deepEqual(
        res.data.error.fields.map((f: { field: string }) => f.field),
        ['query.cursor'],
      );
    }
  });
});

describe('bad transitions', () => {
  it('approving what was never accepted names the allowed actions; nothing changes', async () => {
    const { data } = await agent.submit(await allowanceBody(agent));
    const res = await approver.actAt(data.id, 'approve', data.version);
    assert.equal(res.statusCode, 409);
    assert.equal(res.data.error.code, 'ACTION_NOT_ALLOWED');
    assert.match(res.data.error.message, /待受理/);
    const after_ = await agent.get(data.id);
    assert.equal(after_.data.version, data.version);
    assert.equal(after_.data.history.length, 1);
  });

  it('handing over before the result is issued, or by the wrong role, is refused', async () => {
    const { data } = await agent.submit(await allowanceBody(agent));
    await agent.act(data.id, 'accept');
    const early = await agent.act(data.id, 'handOver', {
      recipient: { name: '刘卫东', idNumber: liu.idNumber },
    });
    assert.equal(early.statusCode, 409);
    const agentApproves = await agent.act(data.id, 'approve');
    assert.equal(agentApproves.statusCode, 409, 'a village agent holds no seal');
    const elsewhere = await signIn(env.app, 'approver.cangshuipu');
    const foreign = await elsewhere.act(data.id, 'approve').catch(() => null);
    assert.ok(foreign === null || foreign.statusCode === 404);
    const look = await elsewhere.get(data.id);
    assert.equal(look.statusCode, 404, 'another township does not see it at all');
  });

  it('acceptance needs the required materials; refusing needs reasons', async () => {
    const { data } = await agent.submit(await allowanceBody(agent, {}, false));
    assert.deepEqual(data.missingMaterials.sort(), [
      'householdRegister',
      'idCard',
      'payoutAccount',
    ]);
    const accept = await agent.act(data.id, 'accept');
    assert.equal(accept.statusCode, 422);
    assert.equal(accept.data.error.code, 'MATERIALS_MISSING');
    const refuse = await agent.act(data.id, 'refuse');
    assert.equal(refuse.statusCode, 400);
    assert.deepEqual(
      refuse.data.error.fields.map((f: { field: string }) => f.field),
      ['body.reasons'],
    );
    const ok = await agent.act(data.id, 'refuse', { reasons: '申请人不符合高龄津贴年龄条件' });
    assert.equal(ok.data.status, 'refused');
  });

  it('a form that does not match the item is refused field by field', async () => {
    const body = await allowanceBody(agent);
    const res = await agent.submit({
      ...body,
      formData: {
        ...body.formData,
        ageGroup: '70-79',
        idNumber: '430922195603120011',
        surprise: 1,
      },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.data.error.fields.map((f: { field: string }) => f.field).sort(), [
      'body.formData.ageGroup',
      'body.formData.idNumber',
      'body.formData.surprise',
    ]);
  });
});

describe('correction, clocks and notices', () => {
  it('one notice lists everything missing, stops the clock, and the resubmission resumes it', async () => {
    const { data } = await agent.submit(await allowanceBody(agent));
    const accepted = await agent.act(data.id, 'accept');
    assert.ok(accepted.data.dueDate, 'the clock runs from acceptance');
    assert.notEqual(accepted.data.light, 'none');
    const corr = await approver.act(data.id, 'requestCorrection', {
      missing: [{ item: '户口簿本人页', detail: '需清晰扫描' }, { item: '社保卡复印件' }],
    });
    assert.equal(corr.statusCode, 200, corr.body);
    assert.equal(corr.data.status, 'correction_requested');
    assert.equal(corr.data.light, 'none', 'the clock is stopped');
    const notice = await call(env.app, {
      method: 'GET',
      url: `/api/v1/applications/${data.id}/correction-notice`,
      headers: bearer(agent.token),
    });
    assert.match(notice.body, /补正材料一次性告知书/);
    assert.match(notice.body, /户口簿本人页/);
    assert.match(notice.body, /社保卡复印件/);
    const back = await agent.act(data.id, 'resubmit', {
      materials: [{ key: 'householdRegister', sha256: await agent.upload() }],
    });
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(back.data.status, 'under_review');
    assert.ok(back.data.dueDate >= accepted.data.dueDate);
    const sms = await env.db
      .selectFrom('outbox')
      .select('payload')
      .where('application_id', '=', data.id)
      .where('topic', '=', 'sms')
      .execute();
    assert.ok(
      sms.some((m) => JSON.stringify(m.payload).includes('补正')),
      'the applicant is told by SMS, through the outbox',
    );
  });
});

describe('citizens online', () => {
  it('applies online, follows the case, withdraws it, and cannot see others’ cases', async () => {
    const citizen = await createCitizen(env.db, { residentId: liu.id, mobile: '13911112222' });
    const c = new CaseClient(env.app, citizen.token);
    const body = await allowanceBody(c, { channel: 'online', applicantId: undefined });
    const res = await c.submit(body);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.data.status, 'pending_pre_review');
    assert.equal(res.data.received.code, '430922101220', 'received by the home village station');
    const mine = await call(env.app, {
      method: 'GET',
      url: '/api/v1/me/applications',
      headers: bearer(citizen.token),
    });
    assert.ok(mine.data.items.some((a: { id: string }) => a.id === res.data.id));
    const notes = await call(env.app, {
      method: 'GET',
      url: '/api/v1/me/notifications',
      headers: bearer(citizen.token),
    });
    assert.ok(notes.data.items.some((n: { title: string }) => n.title === '申请已提交'));
    assert.ok(res.data.allowedActions.includes('withdraw'));
    const w = await c.act(res.data.id, 'withdraw', { comment: '不需要了' });
    assert.equal(w.data.status, 'withdrawn');
    const stranger = await createCitizen(env.db);
    const peek = await call(env.app, {
      method: 'GET',
      url: `/api/v1/applications/${res.data.id}`,
      headers: bearer(stranger.token),
    });
    assert.equal(peek.statusCode, 404);
  });

  it('rates once after conclusion; a bad rating opens a follow-up due in 15 working days', async () => {
    const citizen = await createCitizen(env.db, { residentId: liu.id, mobile: '13911113333' });
    const { data } = await agent.submit(await allowanceBody(agent));
    const rateEarly = await call(env.app, {
      method: 'POST',
      url: `/api/v1/applications/${data.id}/rating`,
      headers: bearer(citizen.token),
      payload: { grade: 5 },
    });
    assert.equal(rateEarly.statusCode, 409);
    await agent.act(data.id, 'accept');
    await approver.act(data.id, 'approve');
    await approver.act(data.id, 'issue');
    await agent.act(data.id, 'handOver', { recipient: { name: '刘卫东', idNumber: liu.idNumber } });
    const rate = await call(env.app, {
      method: 'POST',
      url: `/api/v1/applications/${data.id}/rating`,
      headers: bearer(citizen.token),
      payload: { grade: 2, comment: '等了很久' },
    });
    assert.equal(rate.statusCode, 201, rate.body);
    assert.equal(rate.data.label, '不满意');
    assert.ok(rate.data.followUp);
    const twice = await call(env.app, {
      method: 'POST',
      url: `/api/v1/applications/${data.id}/rating`,
      headers: bearer(citizen.token),
      payload: { grade: 5 },
    });
    assert.equal(twice.statusCode, 409);
    const list = await call(env.app, {
      method: 'GET',
      url: '/api/v1/follow-ups',
      headers: bearer(agent.token),
    });
    const f = list.data.items.find((x: { applicationId: string }) => x.applicationId === data.id);
    assert.ok(f);
    const close = await call(env.app, {
      method: 'POST',
      url: `/api/v1/follow-ups/${f.id}/close`,
      headers: bearer(agent.token),
      payload: { note: '已电话回访，解释了审核流程' },
    });
    assert.equal(close.statusCode, 204);
  });

  it('proxy consent by SMS: a wrong code is refused, the right one accepted', async () => {
    const send = await call(env.app, {
      method: 'POST',
      url: '/api/v1/applications/proxy-consent',
      headers: bearer(agent.token),
      payload: { applicantId: liu.id },
    });
    assert.equal(send.statusCode, 202, send.body);
    // The villager who reads the code out may sign in at once: the wait between codes is per kind.
    const { mobile } = await env.db
      .selectFrom('resident')
      .select('mobile')
      .where('id', '=', liu.id)
      .executeTakeFirstOrThrow();
    const signIn = await call(env.app, {
      method: 'POST',
      url: '/api/v1/auth/sms-code',
      payload: { mobile },
    });
    assert.equal(signIn.statusCode, 202, signIn.body);
    const sms = await env.db
      .selectFrom('sms_message')
      .select('body')
      .where('purpose', '=', 'proxy-consent')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const code = /(\d{6})/.exec(sms.body)![1]!;
    const body = await allowanceBody(agent, { channel: 'proxy' });
    const wrong = await agent.submit({
      ...body,
      proxyConsent: { method: 'sms', code: code === '000000' ? '111111' : '000000' },
    });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.data.error.code, 'CONSENT_INVALID');
    const right = await agent.submit({ ...body, proxyConsent: { method: 'sms', code } });
    assert.equal(right.statusCode, 201, right.body);
    assert.equal(right.data.history[0].payload.consent.method, 'sms');
  });
});

describe('materials', () => {
  it('takes PDF, JPEG and PNG by content and refuses anything else', async () => {
    const png = await call(env.app, {
      method: 'POST',
      url: '/api/v1/files',
      headers: { ...bearer(agent.token), 'content-type': 'application/octet-stream' },
      payload: Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.from('rest'),
      ]),
    });
    assert.equal(png.statusCode, 201);
    assert.equal(png.data.mime, 'image/png');
    const fake = await call(env.app, {
      method: 'POST',
      url: '/api/v1/files',
      headers: { ...bearer(agent.token), 'content-type': 'application/pdf' },
      payload: Buffer.from('MZ not a pdf'),
    });
    assert.equal(fake.statusCode, 415);
  });

  it('attaches an e-certificate the applicant already holds (免提交)', async () => {
    const clerk = await signIn(env.app, 'clerk.xiushan');
    const county = new CaseClient(
      env.app,
      (await createStaff(env.db, { roles: ['township_approver'], servicePointCode: '430922' }))
        .token,
    );
    const idCard = await clerk.submit({
      itemCode: '4309-GA-QR-001',
      channel: 'counter',
      applicantId: liu.id,
      formData: {
        applicantName: '刘卫东',
        idNumber: liu.idNumber,
        gender: 'male',
        ethnicity: '汉族',
        registeredAddress: '三官桥村刘家组 12 号',
        mobile: '13800000005',
        reason: 'voluntary',
        pickup: 'village',
      },
      materials: [
        { key: 'householdRegister', sha256: await clerk.upload() },
        { key: 'idPhoto', sha256: await clerk.upload() },
        { key: 'fingerprints', sha256: await clerk.upload() },
      ],
    });
    assert.equal(idCard.statusCode, 201, idCard.body);
    await clerk.act(idCard.data.id, 'accept');
    await county.act(idCard.data.id, 'approve');
    const issued = await county.act(idCard.data.id, 'issue');
    assert.ok(issued.data.certificateNo);
    const body = await allowanceBody(agent);
    const res = await agent.submit({
      ...body,
      materials: body.materials.filter((m) => m.key !== 'idCard'),
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = res.data.materials.find((m: { key: string }) => m.key === 'idCard');
    assert.equal(id.source, 'eCertificate');
    assert.equal(id.certificateNo, issued.data.certificateNo);
    assert.deepEqual(res.data.missingMaterials, []);
  });
});

describe('the action log', () => {
  it('leads every case of these tests (retries, races, refusals, corrections) to its stored status', async () => {
    assert.ok((await assertLogsExplainStatuses(env.db)) > 0);
  });

  it('and the check notices a status its log does not explain', async () => {
    const any = await env.db
      .selectFrom('application')
      .select(['id', 'status'])
      .where('status', '=', 'pending_acceptance')
      .executeTakeFirstOrThrow();
    // The log is append-only; the case row is not: a status set behind the workflow's back.
    await env.db
      .updateTable('application')
      .set({ status: 'approved' })
      .where('id', '=', any.id)
      .execute();
    await assert.rejects(assertLogsExplainStatuses(env.db), /not where its log leads/);
    await env.db
      .updateTable('application')
      .set({ status: any.status })
      .where('id', '=', any.id)
      .execute();
  });
});
