import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../../test/harness.ts';
import { assertLogsExplainStatuses } from '../../test/replay.ts';
import {
  adminCall,
  caseWithDepartment,
  createHubEnv,
  type HubEnv,
  registerSimConnector,
  statusOf,
  waitForStatus,
} from './integrations.fixtures.ts';

/**
 * The department step end to end, over real HTTP: 就业失业登记 goes from the 修山镇 window to
 * the (simulated) HR & social security system, whose answer moves the case as its action.
 */
let env: HubEnv;
before(async () => {
  env = await createHubEnv({ systems: [{ key: 'hrss' }] });
  await registerSimConnector(env, 'hrss', { servicePointCode: '4309-HRSS' });
});
after(() => env.closeHub());

const historyOf = async (id: string) => (await env.clerk.get(id)).data.history;

describe('the department step', () => {
  it('an accepted case waits, visibly, with the department; a 200 moves it to the decision', async () => {
    env.sim.configure('hrss', { answer: 'accepted' });
    const c = await caseWithDepartment(env);
    const waiting = await env.clerk.get(c.id);
    assert.equal(waiting.data.statusLabel, '部门办理中');
    assert.ok(
      (await env.clerk.worklist('in_progress')).data.items.some(
        (a: { id: string }) => a.id === c.id,
      ),
    );

    await env.drain();
    const got = env.sim.received('hrss').filter((r) => r.applicationNo === c.applicationNo);
    assert.equal(got.length, 1, 'delivered once');
    assert.equal(await statusOf(env, c.id), 'pending_decision');
    const step = (await historyOf(c.id)).at(-1);
    assert.equal(step.action, 'departmentAccept');
    assert.equal(step.actor.kind, 'department');
    assert.equal(step.actor.servicePoint, 'hrss-test');
    assert.equal(step.payload.reference, `HRSS-${c.applicationNo}`);

    // The deciding unit takes it from there: approve, issue, hand over.
    assert.equal((await env.approver.act(c.id, 'approve')).statusCode, 200);
    const issued = await env.approver.act(c.id, 'issue');
    assert.equal(issued.statusCode, 200, issued.body);
    assert.ok(issued.data.certificateNo);
  });

  it('signs the call, sends the case in full, and logs it with personal data masked', async () => {
    env.sim.configure('hrss', { answer: 'accepted' });
    const c = await caseWithDepartment(env);
    await env.drain();
    const log = await adminCall(env, 'GET', `/messages?applicationNo=${c.applicationNo}`);
    assert.equal(log.statusCode, 200, log.body);
    const out = log.data.items.find((m: { channel: string }) => m.channel === 'department');
    assert.ok(out, 'the department call is in the message log');
    assert.equal(out.statusCode, 200);
    assert.equal(out.outcome, 'accepted');
    assert.match(out.requestSha256, /^[0-9a-f]{64}$/);
    assert.match(out.responseSha256, /^[0-9a-f]{64}$/);
    assert.equal(out.requestHeaders['x-yimen-application-no'], c.applicationNo);
    assert.ok(out.requestHeaders['x-request-id']);
    assert.equal(out.requestHeaders['x-yimen-signature'], '[signed]');
    assert.match(out.requestBody.application.applicant.idNumber, /\*{8}/, 'masked in the log');
    assert.ok(out.durationMs >= 0);
  });

  it('"later" leaves the case with the department until it calls back', async () => {
    env.sim.configure('hrss', { answer: 'later', laterMs: 30, laterOutcome: 'accepted' });
    const c = await caseWithDepartment(env);
    await env.drain();
    const actions = (await historyOf(c.id)).map((h: { action: string }) => h.action);
    assert.ok(actions.includes('departmentLater'));
    await waitForStatus(env, c.id, 'pending_decision');
    const last = (await historyOf(c.id)).at(-1);
    assert.equal(last.action, 'departmentAccept');
    assert.equal(last.payload.via, 'callback');
  });

  it('a department may decide and issue: its result comes back as a sealed e-certificate', async () => {
    env.sim.configure('hrss', { answer: 'later', laterMs: 30, laterOutcome: 'result' });
    const c = await caseWithDepartment(env);
    await env.drain();
    await waitForStatus(env, c.id, 'issued');
    const detail = (await env.clerk.get(c.id)).data;
    assert.ok(detail.certificateNo);
    assert.match(detail.certificateNo, /^4309-HRSS-/, 'under the seal of the department’s office');
    assert.equal(
      detail.history.at(-1).payload.departmentCertificate.number,
      `HRSS-${c.applicationNo}-C`,
    );
    const verify = await call(env.app, {
      method: 'GET',
      url: `/api/v1/verify/${detail.certificateNo}`,
    });
    assert.equal(verify.data.genuine, true);
    // Handed over at the window like any other result.
    assert.ok(
      (await env.clerk.worklist('to_hand_over')).data.items.some(
        (a: { id: string }) => a.id === c.id,
      ),
    );
  });

  it('a rejection with a verdict of correction asks the applicant once; the resubmission goes back', async () => {
    env.sim.configure('hrss', { answer: 'correction' });
    const c = await caseWithDepartment(env);
    await env.drain();
    const asked = await env.clerk.get(c.id);
    assert.equal(asked.data.status, 'correction_requested');
    assert.equal(asked.data.correction.missing[0].item, '户口簿首页复印件');
    env.sim.configure('hrss', { answer: 'accepted' });
    const back = await env.clerk.act(c.id, 'resubmit');
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(back.data.status, 'with_department');
    await env.drain();
    assert.equal(await statusOf(env, c.id), 'pending_decision');
    const toDept = env.sim.received('hrss').filter((r) => r.applicationNo === c.applicationNo);
    assert.equal(
      new Set(toDept.map((r) => r.messageId)).size,
      2,
      'a second message for the resubmission',
    );
  });

  it('a rejection with reasons concludes the case, denied, and tells the applicant', async () => {
    env.sim.configure('hrss', { answer: 'rejected' });
    const c = await caseWithDepartment(env);
    await env.drain();
    const done = await env.clerk.get(c.id);
    assert.equal(done.data.status, 'concluded');
    assert.equal(done.data.history.at(-1).action, 'departmentReject');
    assert.equal(done.data.history.at(-1).payload.reasons, '不符合办理条件（模拟）');
    const notice = await env.db
      .selectFrom('notification')
      .select('kind')
      .where('application_id', '=', c.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(notice.kind, 'denied');
  });

  it('staff cannot take the department’s actions', async () => {
    env.sim.configure('hrss', { answer: 'later', laterMs: 60_000 });
    const c = await caseWithDepartment(env);
    const forged = await env.approver.act(c.id, 'departmentAccept');
    assert.equal(forged.statusCode, 409, forged.body);
    const allowed = (await env.approver.get(c.id)).data.allowedActions;
    assert.deepEqual(allowed, []);
  });
});

describe('the action log', () => {
  it('leads every case through the department step to its stored status', async () => {
    assert.ok((await assertLogsExplainStatuses(env.db)) > 0);
  });
});
