import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  adminCall,
  caseWithDepartment,
  createHubEnv,
  type HubEnv,
  registerSimConnector,
  statusOf,
  submitUnemployment,
} from './integrations.fixtures.ts';

/**
 * Faults, as tests: a department that is down for a while, and one that fails half its
 * calls. Cases wait, nothing is lost, nothing happens twice to a case, order holds.
 */
let env: HubEnv;
before(async () => {
  env = await createHubEnv({ systems: [{ key: 'hrss' }] });
  await registerSimConnector(env, 'hrss', { events: ['submitted', 'accepted'] });
});
after(() => env.closeHub());

async function departmentSteps(id: string): Promise<string[]> {
  const history = (await env.clerk.get(id)).data.history as { action: string }[];
  return history.map((h) => h.action).filter((a) => a.startsWith('department'));
}

describe('faults', () => {
  it('the department is down for a while: cases wait, the backlog drains in order, nothing lost or doubled', async () => {
    env.sim.configure('hrss', { down: true, answer: 'accepted' });
    const cases: { id: string; applicationNo: string }[] = [];
    for (let i = 0; i < 6; i++) cases.push(await caseWithDepartment(env));
    // A generous budget: how many retries fit in a drain depends on the machine's speed,
    // and while the department is down no call may turn into a dead letter.
    for (let round = 0; round < 3; round++) {
      await env.drain({ maxAttempts: 1000 });
      await env.dueNow();
    }
    for (const c of cases) assert.equal(await statusOf(env, c.id), 'with_department');
    const backlog = await adminCall(env, 'GET', '/outbox?status=pending&topic=department');
    const waiting = backlog.data.items.filter((r: { applicationNo: string }) =>
      cases.some((c) => c.applicationNo === r.applicationNo),
    );
    assert.equal(waiting.length, cases.length, 'every call waits in the backlog');
    for (const w of waiting) {
      assert.ok(w.attempts >= 3);
      assert.match(w.lastError, /fetch failed|socket|closed|ECONNRESET/i);
    }
    assert.equal(env.sim.received('hrss').length, 0, 'nothing got through');

    env.sim.configure('hrss', { down: false });
    await env.dueNow();
    await env.drain({ concurrency: 1, maxAttempts: 1000 });

    const arrived = env.sim.received('hrss');
    const calls = arrived.filter((r) => r.kind === 'case').map((r) => r.applicationNo);
    assert.deepEqual(
      calls,
      cases.map((c) => c.applicationNo),
      'the backlog drains in the order it was written',
    );
    for (const c of cases) {
      assert.equal(await statusOf(env, c.id), 'pending_decision');
      assert.deepEqual(await departmentSteps(c.id), ['departmentAccept'], 'once, not twice');
      const events = arrived
        .filter((r) => r.kind === 'event' && r.applicationNo === c.applicationNo)
        .map((r) => r.event);
      assert.deepEqual(events, ['submitted', 'accepted'], 'each case’s events in order');
    }
    const counts = env.sim.countsByMessageId();
    assert.ok(
      [...counts.values()].every((n) => n === 1),
      'no message arrived twice',
    );
  });

  it('a department failing half its calls: retries with backoff until every case is answered', async () => {
    env.sim.configure('hrss', { down: false, errorRate: 0.5, answer: 'accepted' });
    const cases: { id: string; applicationNo: string }[] = [];
    for (let i = 0; i < 5; i++) cases.push(await caseWithDepartment(env));
    for (let round = 0; round < 40; round++) {
      await env.drain({ maxAttempts: 100 });
      const left = await env.db
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('topic', '=', 'department')
        .execute();
      if (left.length === 0) break;
      const retried = await env.db
        .selectFrom('outbox')
        .select(['attempts', 'next_attempt_at'])
        .where('status', '=', 'pending')
        .where('topic', '=', 'department')
        .executeTakeFirstOrThrow();
      assert.ok(
        retried.next_attempt_at.getTime() > Date.now(),
        'a failed call waits before the next try',
      );
      await env.dueNow();
    }
    env.sim.configure('hrss', { errorRate: 0 });
    for (const c of cases) {
      assert.equal(await statusOf(env, c.id), 'pending_decision');
      assert.deepEqual(await departmentSteps(c.id), ['departmentAccept']);
    }
  });

  it('a department that refuses our signature: the call becomes a dead letter, not a loop', async () => {
    const sys = (await adminCall(env, 'GET', '/systems')).data.items.find(
      (s: { code: string }) => s.code === 'hrss-test',
    );
    await adminCall(env, 'PATCH', `/systems/${sys.id}`, {
      auth: { kind: 'hmac', secret: 'a-secret-the-department-does-not-know-000' },
    });
    const c = await submitUnemployment(env);
    await env.clerk.act(c.id, 'accept');
    await env.drain();
    const dead = await adminCall(env, 'GET', '/outbox?status=dead&topic=department');
    const letter = dead.data.items.find(
      (r: { applicationNo: string }) => r.applicationNo === c.applicationNo,
    );
    assert.ok(letter);
    assert.match(letter.lastError, /HTTP 401/);
    assert.equal(await statusOf(env, c.id), 'with_department', 'the case waits, visibly');
  });
});
