import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestEnv, TEST_BACKEND, type TestEnv } from '../../test/harness.ts';
import { databaseSmsProvider } from '../accounts/sms.ts';
import { backoffMs, dispatchOnce } from './dispatcher.ts';
import { type OutboxRow, QUEUED_BEHIND } from './outbox.repo.ts';
import { smsHandler } from './sms.handler.ts';

let env: TestEnv;
before(async () => {
  env = await createTestEnv();
});
after(() => env.close());

async function enqueue(topic: string, payload: unknown, orderingKey: string | null = null) {
  const row = await env.db
    .insertInto('outbox')
    .values({ topic, payload: JSON.stringify(payload), ordering_key: orderingKey })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
const statusOf = async (id: number) =>
  env.db
    .selectFrom('outbox')
    .select(['status', 'attempts', 'next_attempt_at', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const dueNow = (ids: number[]) =>
  env.db
    .updateTable('outbox')
    .set({ next_attempt_at: new Date(0) })
    .where('id', 'in', ids)
    .execute();

describe('the outbox dispatcher', () => {
  it('sends SMS notices through the provider and marks them sent', async () => {
    const id = await enqueue('sms', {
      mobile: '13700000099',
      body: '【一门】测试通知',
      purpose: 'test',
    });
    const provider = databaseSmsProvider({ demo: false, log: { info() {} } as never });
    const n = await dispatchOnce(env.db, { sms: smsHandler(env.db, provider) });
    assert.ok(n >= 1);
    assert.equal((await statusOf(id)).status, 'sent');
    const sent = await env.db
      .selectFrom('sms_message')
      .select('body')
      .where('mobile', '=', '13700000099')
      .execute();
    assert.deepEqual(
      sent.map((s) => s.body),
      ['【一门】测试通知'],
    );
  });

  it('retries with backoff, then dead-letters after the budget', async () => {
    const id = await enqueue('flaky', { x: 1 });
    const handlers = { flaky: async () => ({ ok: false as const, error: 'department down' }) };
    for (let i = 1; i <= 3; i++) {
      await dueNow([id]);
      await dispatchOnce(env.db, handlers, { maxAttempts: 3 });
      const s = await statusOf(id);
      assert.equal(s.attempts, i);
      assert.equal(s.status, i < 3 ? 'pending' : 'dead');
      if (i < 3) assert.ok(s.next_attempt_at.getTime() > Date.now(), 'waits before the next try');
    }
    assert.equal((await statusOf(id)).last_error, 'department down');
  });

  it('keeps one case’s messages in order: a later one waits for an earlier one', async () => {
    const first = await enqueue('ordered', { n: 1 }, 'application:A');
    const second = await enqueue('ordered', { n: 2 }, 'application:A');
    const seen: number[] = [];
    let fail = true;
    const handlers = {
      ordered: async (m: OutboxRow) => {
        seen.push((m.payload as { n: number }).n);
        if (fail && (m.payload as { n: number }).n === 1)
          return { ok: false as const, error: 'not yet' };
        return { ok: true as const };
      },
    };
    await dispatchOnce(env.db, handlers);
    assert.deepEqual(seen, [1], 'the second waits while the first is pending');
    fail = false;
    await dueNow([first]);
    await dispatchOnce(env.db, handlers);
    await dispatchOnce(env.db, handlers);
    assert.deepEqual(seen, [1, 1, 2]);
    assert.equal((await statusOf(second)).status, 'sent');
  });

  it('a message queued behind another is not due until that one is settled, even as a dead letter', async () => {
    const first = await enqueue('queued', { n: 1 }, 'application:Q');
    const second = await enqueue('queued', { n: 2 }, 'application:Q');
    assert.equal((await statusOf(first)).next_attempt_at.getTime() <= Date.now(), true);
    assert.deepEqual((await statusOf(second)).next_attempt_at, QUEUED_BEHIND);
    const seen: number[] = [];
    const handlers = {
      queued: async (m: OutboxRow) => {
        const n = (m.payload as { n: number }).n;
        seen.push(n);
        return n === 1
          ? { ok: false as const, error: 'refused', retryable: false }
          : { ok: true as const };
      },
    };
    await dispatchOnce(env.db, handlers);
    assert.equal((await statusOf(first)).status, 'dead');
    assert.ok((await statusOf(second)).next_attempt_at.getTime() <= Date.now(), 'woken');
    await dispatchOnce(env.db, handlers);
    assert.deepEqual(seen, [1, 2]);
    assert.equal((await statusOf(second)).status, 'sent');
  });

  it('a claim whose worker died is sent again when its lease runs out', async () => {
    const id = await enqueue('lease', { n: 1 });
    const crash = { lease: async () => new Promise<never>(() => {}) };
    void dispatchOnce(env.db, crash, { leaseMs: 50 }).catch(() => {});
    await new Promise((r) => setTimeout(r, 150));
    const sent: number[] = [];
    await dispatchOnce(env.db, {
      lease: async (m) => {
        sent.push(m.id);
        return { ok: true };
      },
    });
    assert.deepEqual(sent, [id]);
  });

  it('gives way to a case enqueuing on the same queues instead of deadlocking with it', {
    skip: TEST_BACKEND === 'pglite' && 'PGlite has one connection: nothing waits for a lock',
  }, async () => {
    // Two cases' queues, each a head being delivered and a message queued behind it.
    const [k1, k2] = [`dl:${process.pid}:1`, `dl:${process.pid}:2`];
    const x1 = await enqueue('dl', { n: 1 }, k1);
    const y1 = await enqueue('dl', { n: 2 }, k2);
    const x2 = await enqueue('dl', { n: 3 }, k1);
    const y2 = await enqueue('dl', { n: 4 }, k2);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let bothClaimed!: () => void;
    const claimed = new Promise<void>((r) => {
      bothClaimed = r;
    });
    let calls = 0;
    const handlers = {
      dl: async () => {
        if (++calls === 2) bothClaimed();
        await gate;
        return { ok: true as const };
      },
    };
    const dispatching = dispatchOnce(env.db, handlers, { concurrency: 2 });
    await claimed;
    // A case's transaction enqueues for the second case (its trigger holds FOR SHARE on
    // that queue), lets the batch settle — which marks x1 and must wait for y1 — then
    // enqueues for the first case and so waits for x1: a cycle. This transaction checks for
    // deadlocks sooner than the server's default (the test runs as a superuser), so
    // without giving way the case would be the one to fail.
    const enqueuing = env.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL deadlock_timeout = '400ms'`.execute(trx);
      await trx
        .insertInto('outbox')
        .values({ topic: 'dl', payload: '{}', ordering_key: k2 })
        .execute();
      release();
      await new Promise((r) => setTimeout(r, 300));
      await trx
        .insertInto('outbox')
        .values({ topic: 'dl', payload: '{}', ordering_key: k1 })
        .execute();
    });
    const [sent] = await Promise.all([dispatching, enqueuing]);
    assert.equal(sent, 2);
    for (const id of [x1, y1]) assert.equal((await statusOf(id)).status, 'sent');
    // The next of each queue is due; the case's new messages wait behind them.
    for (const id of [x2, y2]) {
      const row = await statusOf(id);
      assert.equal(row.status, 'pending');
      assert.notEqual(row.next_attempt_at.getTime(), QUEUED_BEHIND.getTime());
    }
    const behind = await env.db
      .selectFrom('outbox')
      .select('next_attempt_at')
      .where('topic', '=', 'dl')
      .where('id', '>', y2)
      .execute();
    assert.equal(behind.length, 2);
    for (const r of behind) assert.equal(r.next_attempt_at.getTime(), QUEUED_BEHIND.getTime());
  });

  it('backs off exponentially with jitter, within a cap', () => {
    const o = { batchSize: 1, leaseMs: 1, maxAttempts: 9, baseDelayMs: 1000, maxDelayMs: 8000 };
    assert.equal(
      backoffMs(1, o, () => 1),
      1000,
    );
    assert.equal(
      backoffMs(3, o, () => 1),
      4000,
    );
    assert.equal(
      backoffMs(10, o, () => 1),
      8000,
    );
    assert.equal(
      backoffMs(3, o, () => 0),
      2000,
    );
  });
});
