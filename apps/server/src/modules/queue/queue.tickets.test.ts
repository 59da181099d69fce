import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { createStaff } from '../../test/factories.ts';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import {
  api,
  buildHall,
  CANGSHUIPU,
  callNext,
  type Hall,
  issue,
  resetClock,
  SANGUANQIAO,
  seatedStaff,
  setClock,
  step,
  XIUSHAN,
} from './queue.fixtures.ts';

/** Tickets at the windows: numbering, interleaving, concurrency, the steps and their refusals. */
let env: TestEnv;
let hall: Hall;
let desk: string;
before(async () => {
  env = await createTestEnv();
  hall = await buildHall(env, XIUSHAN, {
    groups: [
      { prefix: 'A', name: '综合窗口' },
      { prefix: 'B', name: '社保医保', priorityEvery: 1 },
      { prefix: 'C', name: '户籍' },
      { prefix: 'D', name: '不动产' },
    ],
    windows: [
      { name: '1号窗口', groups: ['A'] },
      { name: '2号窗口', groups: ['A'] },
      { name: '3号窗口', groups: ['B'] },
      { name: '4号窗口', groups: ['C', 'D'] },
    ],
  });
  desk = await seatedStaff(env, hall);
});
afterEach(() => resetClock());
after(() => env.close());

describe('numbering', () => {
  it('numbers per group per day with the group’s prefix, and starts again the next China day', async () => {
    // 15:59 UTC is 23:59 in Yiyang; a minute later it is the next day there.
    setClock('2031-03-02T15:58:00Z');
    const a1 = await issue(env, desk, hall, 'C');
    const a2 = await issue(env, desk, hall, 'C');
    const d1 = await issue(env, desk, hall, 'D');
    assert.deepEqual([a1.number, a2.number, d1.number], ['C001', 'C002', 'D001']);
    assert.equal(a1.day, '2031-03-02');
    setClock('2031-03-02T16:00:30Z');
    const next = await issue(env, desk, hall, 'C');
    assert.equal(next.number, 'C001');
    assert.equal(next.day, '2031-03-03');
    // Yesterday's waiting tickets are not called today.
    const w4 = await seatedStaff(env, hall, '4号窗口');
    const called = await callNext(env, w4, hall, '4号窗口');
    assert.equal(called?.id, next.id);
    assert.equal((await step(env, w4, next.id, 'skip')).statusCode, 200);
    assert.equal(await callNext(env, w4, hall, '4号窗口'), null);
  });
});

describe('priority interleaving', () => {
  it('calls a waiting priority ticket after every N normal calls (N = 2 by default)', async () => {
    setClock('2031-04-01T01:00:00Z');
    const w1 = await seatedStaff(env, hall, '1号窗口');
    const issued = [];
    for (const p of [null, null, null, 'elderly', 'disabled', null] as const) {
      issued.push(await issue(env, desk, hall, 'A', p));
    }
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const t = await callNext(env, w1, hall, '1号窗口');
      assert.ok(t);
      order.push(t.number);
      assert.equal((await step(env, w1, t.id, 'skip')).statusCode, 200);
    }
    // normal, normal, priority (A004), normal (A003), normal (A006), priority (A005)
    assert.deepEqual(order, ['A001', 'A002', 'A004', 'A003', 'A006', 'A005']);
    assert.equal(await callNext(env, w1, hall, '1号窗口'), null);
  });

  it('follows the group’s own N, and serves priority at once when nobody else waits', async () => {
    setClock('2031-04-02T01:00:00Z');
    const w3 = await seatedStaff(env, hall, '3号窗口');
    const order: string[] = [];
    await issue(env, desk, hall, 'B', 'elderly');
    let t = await callNext(env, w3, hall, '3号窗口');
    order.push(t!.number);
    await step(env, w3, t!.id, 'skip');
    for (const p of [null, null, 'disabled', 'elderly'] as const)
      await issue(env, desk, hall, 'B', p);
    for (let i = 0; i < 4; i++) {
      t = await callNext(env, w3, hall, '3号窗口');
      order.push(t!.number);
      await step(env, w3, t!.id, 'skip');
    }
    // B: N = 1 → normal, priority, normal, priority
    assert.deepEqual(order, ['B001', 'B002', 'B004', 'B003', 'B005']);
  });
});

describe('two windows calling at once', () => {
  it('never get the same ticket', async () => {
    setClock('2031-04-03T01:00:00Z');
    const w1 = await seatedStaff(env, hall, '1号窗口');
    const w2 = await seatedStaff(env, hall, '2号窗口');
    for (let i = 0; i < 6; i++) await issue(env, desk, hall, 'A');
    const got: string[] = [];
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([
        callNext(env, w1, hall, '1号窗口'),
        callNext(env, w2, hall, '2号窗口'),
      ]);
      assert.ok(a && b);
      assert.notEqual(a.id, b.id);
      got.push(a.number, b.number);
      await Promise.all([step(env, w1, a.id, 'skip'), step(env, w2, b.id, 'skip')]);
    }
    assert.deepEqual([...got].sort(), ['A001', 'A002', 'A003', 'A004', 'A005', 'A006']);
  });
});

describe('the steps at a window', () => {
  it('recall, start, finish with the application, and history for each', async () => {
    setClock('2031-04-04T01:00:00Z');
    const w1 = await seatedStaff(env, hall, '1号窗口');
    const t = await issue(env, desk, hall, 'A');
    assert.equal((await callNext(env, w1, hall, '1号窗口'))?.id, t.id);
    const again = await api(
      env,
      w1,
      'POST',
      `/hall/windows/${hall.windows['1号窗口']}/call-next`,
      {},
    );
    assert.equal(again.statusCode, 409);
    assert.equal(again.data.error.code, 'QUEUE_WINDOW_BUSY');
    const recalled = await step(env, w1, t.id, 'recall');
    assert.equal(recalled.data.ticket.callCount, 2);
    assert.equal((await step(env, w1, t.id, 'finish')).data.error.code, 'QUEUE_TICKET_STATE');
    assert.equal((await step(env, w1, t.id, 'start')).data.ticket.status, 'serving');
    const bad = await step(env, w1, t.id, 'finish', { applicationNo: 'no such' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.data.error.fields[0].field, 'body.applicationNo');
    const unknown = await step(env, w1, t.id, 'finish', {
      applicationNo: '430922101-20310404-0999',
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.data.error.fields[0].field, 'body.applicationNo');
    const done = await step(env, w1, t.id, 'finish');
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.data.ticket.status, 'done');
    const detail = await api(env, w1, 'GET', `/hall/tickets/${t.id}`);
    assert.deepEqual(
      detail.data.history.map((h: { event: string }) => h.event),
      ['issue', 'call', 'recall', 'start', 'finish'],
    );
    const audit = await env.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', t.id)
      .where('action', 'like', 'queue.ticket.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      [
        'queue.ticket.issue',
        'queue.ticket.call',
        'queue.ticket.recall',
        'queue.ticket.start',
        'queue.ticket.finish',
      ],
    );
  });

  it('transfers a called ticket with its number and first issue time; a finished one cannot move', async () => {
    setClock('2031-04-05T01:00:00Z');
    const w1 = await seatedStaff(env, hall, '1号窗口');
    const w3 = await seatedStaff(env, hall, '3号窗口');
    const early = await issue(env, desk, hall, 'A');
    setClock('2031-04-05T01:05:00Z');
    const laterB = await issue(env, desk, hall, 'B');
    assert.equal((await callNext(env, w1, hall, '1号窗口'))?.id, early.id);
    const same = await step(env, w1, early.id, 'transfer', { groupId: hall.groups.A });
    assert.equal(same.statusCode, 422);
    const badGroup = await step(env, w1, early.id, 'transfer', { groupId: 'x' });
    assert.equal(badGroup.statusCode, 400);
    assert.equal(badGroup.data.error.fields[0].field, 'body.groupId');
    // Only the window that called it may move a called ticket.
    const notMine = await step(env, w3, early.id, 'transfer', { groupId: hall.groups.B });
    assert.equal(notMine.statusCode, 403);
    assert.equal(notMine.data.error.code, 'QUEUE_NOT_AT_WINDOW');
    const moved = await step(env, w1, early.id, 'transfer', { groupId: hall.groups.B });
    assert.equal(moved.statusCode, 200, moved.body);
    const m = moved.data.ticket;
    assert.equal(m.number, early.number);
    assert.equal(m.groupId, hall.groups.B);
    assert.equal(m.status, 'waiting');
    assert.equal(m.issuedAt, '2031-04-05T01:00:00.000Z');
    assert.equal(m.transferredFrom, early.id);
    // Issued before B001, it is called first in B.
    setClock('2031-04-05T01:10:00Z');
    assert.equal((await callNext(env, w3, hall, '3号窗口'))?.id, m.id);
    await step(env, w3, m.id, 'start');
    setClock('2031-04-05T01:14:00Z');
    assert.equal((await step(env, w3, m.id, 'finish')).statusCode, 200);
    for (const id of [m.id, early.id]) {
      const refused = await step(env, w3, id, 'transfer', { groupId: hall.groups.A });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.data.error.code, 'QUEUE_TICKET_STATE');
      assert.match(refused.data.error.message, /不能转移/);
    }
    const en = await api(
      env,
      w3,
      'POST',
      `/hall/tickets/${m.id}/transfer`,
      { groupId: hall.groups.A },
      {
        'accept-language': 'en',
      },
    );
    assert.match(en.data.error.message, /is done; it cannot be transferred/);
    // A waiting ticket may be moved by the front desk.
    const fromDesk = await step(env, desk, laterB.id, 'transfer', { groupId: hall.groups.C });
    assert.equal(fromDesk.statusCode, 200, fromDesk.body);
    const history = await api(env, w3, 'GET', `/hall/tickets/${m.id}`);
    assert.deepEqual(
      history.data.history.map((h: { event: string }) => h.event),
      ['issue', 'call', 'transfer', 'transferIn', 'call', 'start', 'finish'],
    );
  });

  it('skips a no-show; a skipped ticket cannot be started', async () => {
    setClock('2031-04-06T01:00:00Z');
    const w1 = await seatedStaff(env, hall, '1号窗口');
    const t = await issue(env, desk, hall, 'A');
    await callNext(env, w1, hall, '1号窗口');
    assert.equal((await step(env, w1, t.id, 'skip')).data.ticket.status, 'no_show');
    const again = await step(env, w1, t.id, 'start');
    assert.equal(again.statusCode, 409);
    assert.equal((await step(env, w1, t.id, 'recall')).statusCode, 409);
  });
});

describe('windows and jurisdiction', () => {
  it('calls only from the window one sits at; taking a held window needs takeOver', async () => {
    const a = await seatedStaff(env, hall, '2号窗口');
    const b = await seatedStaff(env, hall);
    const notSeated = await api(
      env,
      b,
      'POST',
      `/hall/windows/${hall.windows['2号窗口']}/call-next`,
      {},
    );
    assert.equal(notSeated.statusCode, 403);
    assert.equal(notSeated.data.error.code, 'QUEUE_NOT_AT_WINDOW');
    const taken = await api(env, b, 'POST', `/hall/windows/${hall.windows['2号窗口']}/sit`, {});
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.data.error.code, 'QUEUE_WINDOW_TAKEN');
    const took = await api(env, b, 'POST', `/hall/windows/${hall.windows['2号窗口']}/sit`, {
      takeOver: true,
    });
    assert.equal(took.statusCode, 200);
    const gone = await api(
      env,
      a,
      'POST',
      `/hall/windows/${hall.windows['2号窗口']}/call-next`,
      {},
    );
    assert.equal(gone.statusCode, 403);
    const me = await api(env, b, 'GET', '/hall/me');
    assert.equal(me.data.windowId, hall.windows['2号窗口']);
    assert.equal(me.data.can.serve, true);
  });

  it('refuses staff of another point (403) and hides other counties’ windows (404)', async () => {
    const agent = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: SANGUANQIAO,
    });
    const otherPoint = await api(
      env,
      agent.token,
      'POST',
      `/hall/service-points/${XIUSHAN}/tickets`,
      {
        groupId: hall.groups.A,
      },
    );
    assert.equal(otherPoint.statusCode, 403);
    assert.equal(otherPoint.data.error.code, 'QUEUE_NOT_YOUR_POINT');
    const clerk = await createStaff(env.db, {
      roles: ['township_clerk'],
      servicePointCode: CANGSHUIPU,
    });
    const far = await api(
      env,
      clerk.token,
      'POST',
      `/hall/windows/${hall.windows['1号窗口']}/sit`,
      {},
    );
    assert.equal(far.statusCode, 404);
    const approver = await createStaff(env.db, {
      roles: ['township_approver'],
      servicePointCode: XIUSHAN,
    });
    const noPerm = await api(
      env,
      approver.token,
      'POST',
      `/hall/service-points/${XIUSHAN}/tickets`,
      {
        groupId: hall.groups.A,
      },
    );
    assert.equal(noPerm.statusCode, 403);
    assert.equal(noPerm.data.error.code, 'FORBIDDEN');
  });

  it('names the bad field', async () => {
    const bad = await api(env, desk, 'POST', `/hall/service-points/${XIUSHAN}/tickets`, {
      groupId: hall.groups.A,
      priority: 'vip',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.data.error.fields[0].field, 'body.priority');
    const noGroup = await api(env, desk, 'POST', `/hall/service-points/${XIUSHAN}/tickets`, {});
    assert.equal(noGroup.data.error.fields[0].field, 'body.groupId');
    const otherGroup = await api(env, desk, 'POST', `/hall/service-points/${XIUSHAN}/tickets`, {
      groupId: '00000000-0000-4000-8000-000000000000',
    });
    assert.equal(otherGroup.statusCode, 404);
    assert.equal(otherGroup.data.error.fields[0].field, 'body.groupId');
  });

  it('answers a retried issue with the first ticket when it carries an Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'kiosk-retry-0001' };
    const body = { groupId: hall.groups.C };
    const url = `/hall/service-points/${XIUSHAN}/tickets`;
    const first = await api(env, desk, 'POST', url, body, headers);
    const retry = await api(env, desk, 'POST', url, body, headers);
    assert.equal(first.statusCode, 201);
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.data.ticket.id, first.data.ticket.id);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
  });
});
