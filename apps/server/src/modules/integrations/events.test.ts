import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { residentByName } from '../../test/cases.ts';
import { bearer, createCitizen } from '../../test/factories.ts';
import { call, TEST_KEYS } from '../../test/harness.ts';
import { purgeExpired } from './hub.ts';
import {
  adminCall,
  createHubEnv,
  type HubEnv,
  registerSimConnector,
  submitUnemployment,
} from './integrations.fixtures.ts';
import { checkSignature, H } from './signing.ts';

/**
 * Case events for subscribers, and what administrators see and do: connectors with
 * write-only secrets, the backlog and dead letters with a one-click replay, retention.
 */
let env: HubEnv;
const SECRET = 'webhook-secret-of-the-city-platform-0001';
before(async () => {
  env = await createHubEnv({ systems: [{ key: 'hrss' }] });
});
after(() => env.closeHub());

const hooksFor = (name: string, applicationNo: string) =>
  env.sim.hooks.filter(
    (h) =>
      h.name === name &&
      (h.body as { application: { applicationNo: string } }).application.applicationNo ===
        applicationNo,
  );

describe('case events for subscribers', () => {
  it('every step of a case reaches a webhook, in order, signed, with an id to deduplicate on', async () => {
    const sub = await adminCall(env, 'POST', '/webhooks', {
      name: '桃江县数据中心',
      url: `${env.sim.url}/_hooks/w1`,
      secret: SECRET,
      events: ['submitted', 'accepted', 'decided', 'issued', 'concluded', 'rated'],
      regionCode: '430922',
    });
    assert.equal(sub.statusCode, 201, sub.body);
    assert.equal(sub.data.secret, undefined, 'secrets are write-only');
    const elsewhere = await adminCall(env, 'POST', '/webhooks', {
      name: '赫山区',
      url: `${env.sim.url}/_hooks/heshan`,
      secret: SECRET,
      events: ['submitted'],
      regionCode: '430903',
    });
    assert.equal(elsewhere.statusCode, 201);

    const c = await submitUnemployment(env);
    const chen = await residentByName(env.app, env.clerk, '陈志强', '430922101224');
    const idNumber = TEST_KEYS.personalData.decrypt(
      (
        await env.db
          .selectFrom('resident')
          .select('id_number_cipher')
          .where('id', '=', chen)
          .executeTakeFirstOrThrow()
      ).id_number_cipher,
    );
    for (const [who, action, body] of [
      [env.clerk, 'accept', {}],
      [env.approver, 'review', {}],
      [env.approver, 'approve', {}],
      [env.approver, 'issue', {}],
      [env.clerk, 'handOver', { recipient: { name: '陈志强', idNumber, relation: 'self' } }],
    ] as const) {
      const r = await who.act(c.id, action, body);
      assert.equal(r.statusCode, 200, r.body);
    }
    const citizen = await createCitizen(env.db, { residentId: chen });
    const rated = await call(env.app, {
      method: 'POST',
      url: `/api/v1/applications/${c.id}/rating`,
      headers: bearer(citizen.token),
      payload: { grade: 5 },
    });
    assert.equal(rated.statusCode, 201, rated.body);

    await env.drain();
    const got = hooksFor('w1', c.applicationNo);
    assert.deepEqual(
      got.map((h) => (h.body as { event: string }).event),
      ['submitted', 'accepted', 'decided', 'issued', 'concluded', 'rated'],
    );
    for (const h of got) {
      const body = h.body as { eventId: string };
      assert.equal(h.messageId, body.eventId, 'the event id is the message id');
      const problem = checkSignature(
        h.headers,
        { method: 'POST', path: '/_hooks/w1', body: JSON.stringify(h.body) },
        { kind: 'hmac', secret: SECRET },
      );
      assert.equal(problem, null);
      assert.equal(h.headers[H.applicationNo], c.applicationNo);
    }
    assert.equal(hooksFor('heshan', c.applicationNo).length, 0, 'only the subscribed region');
  });

  it('connectors subscribed to events get those of their items at {baseUrl}/events', async () => {
    await registerSimConnector(env, 'hrss', { events: ['submitted'], items: ['4309-RS-GG-001'] });
    const c = await submitUnemployment(env);
    await env.drain();
    const got = env.sim.received('hrss').filter((r) => r.applicationNo === c.applicationNo);
    assert.deepEqual(
      got.map((r) => r.kind),
      ['event'],
    );
  });
});

describe('the administrators’ side of the hub', () => {
  it('keeps connector secrets write-only and encrypted, and audits changes without them', async () => {
    const secret = 'a-very-secret-shared-key-for-civil-affairs-01';
    const res = await adminCall(env, 'POST', '/systems', {
      code: 'mz-admin-test',
      systemKey: 'civil-affairs',
      name: '民政',
      department: '民政',
      baseUrl: `${env.sim.url}/civil-affairs`,
      clientId: 'mz-admin-test',
      auth: { kind: 'hmac', secret },
      active: false,
    });
    assert.equal(res.statusCode, 201, res.body);
    const listed = await adminCall(env, 'GET', '/systems');
    assert.ok(!listed.body.includes(secret));
    assert.ok(!listed.body.includes('cipher'));
    const row = await env.db
      .selectFrom('department_system')
      .select('secret_cipher')
      .where('id', '=', res.data.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.secret_cipher && !row.secret_cipher.includes(secret));
    const audit = await env.db
      .selectFrom('audit_log')
      .select('after')
      .where('target_id', '=', res.data.id)
      .execute();
    assert.equal(audit.length, 1);
    assert.ok(!JSON.stringify(audit[0]!.after).includes(secret));
    const again = await adminCall(env, 'POST', '/systems', {
      ...res.data,
      auth: { kind: 'hmac', secret },
    });
    assert.equal(again.statusCode, 400, 'unknown fields are refused');
    const clash = await adminCall(env, 'POST', '/systems', {
      code: 'mz-admin-test',
      systemKey: 'civil-affairs',
      name: '民政',
      department: '民政',
      baseUrl: `${env.sim.url}/civil-affairs`,
      clientId: 'another',
      auth: { kind: 'hmac', secret },
    });
    assert.equal(clash.statusCode, 409);
    const clerk = await call(env.app, {
      method: 'GET',
      url: '/api/v1/integrations/systems',
      headers: bearer(env.clerk.token),
    });
    assert.equal(clerk.statusCode, 403);
  });

  it('shows dead letters and replays one with a click, audited, under the same message id', async () => {
    const sub = await adminCall(env, 'POST', '/webhooks', {
      name: 'broken',
      url: `${env.sim.url}/nowhere`,
      secret: SECRET,
      events: ['submitted'],
    });
    const c = await submitUnemployment(env);
    for (let i = 0; i < 3; i++) {
      await env.drain({ maxAttempts: 2 });
      await env.dueNow();
    }
    const dead = await adminCall(env, 'GET', '/outbox?status=dead&topic=webhook');
    assert.equal(dead.statusCode, 200, dead.body);
    const letter = dead.data.items.find(
      (r: { applicationNo: string }) => r.applicationNo === c.applicationNo,
    );
    assert.ok(letter, 'the dead letter is listed with its case');
    assert.equal(letter.target, 'broken');
    assert.match(letter.lastError, /HTTP 404/);
    assert.ok(dead.data.summary.find((s: { topic: string }) => s.topic === 'webhook').dead >= 1);

    const notDead = await adminCall(env, 'POST', '/outbox/999999999/replay');
    assert.equal(notDead.statusCode, 404);
    await adminCall(env, 'PATCH', `/webhooks/${sub.data.id}`, {
      url: `${env.sim.url}/_hooks/fixed`,
    });
    const replayed = await adminCall(env, 'POST', `/outbox/${letter.id}/replay`);
    assert.equal(replayed.statusCode, 200, replayed.body);
    assert.equal(replayed.data.messageId, letter.messageId);
    const twice = await adminCall(env, 'POST', `/outbox/${letter.id}/replay`);
    assert.equal(twice.statusCode, 409);
    await env.drain();
    const fixed = hooksFor('fixed', c.applicationNo);
    assert.equal(fixed.length, 1);
    assert.equal(fixed[0]!.messageId, letter.messageId);
    const audit = await env.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'integration.outbox.replay')
      .where('target_id', '=', String(letter.id))
      .execute();
    assert.equal(audit.length, 1);
  });

  it('purges the message log after the retention period', async () => {
    const old = new Date(Date.now() - 200 * 86_400_000);
    await env.db
      .insertInto('message_log')
      .values({
        direction: 'outbound',
        channel: 'webhook',
        url: 'http://old.example/',
        outcome: 'delivered',
        started_at: old,
        duration_ms: 1,
        created_at: old,
      })
      .execute();
    const before = await env.db.selectFrom('message_log').select('id').execute();
    const purged = await purgeExpired(env.ctx);
    assert.equal(purged.messages, 1);
    const left = await env.db.selectFrom('message_log').select('id').execute();
    assert.equal(left.length, before.length - 1);
  });
});
