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
import { bucketOf, percentile, percentileFromHistogram } from './queue.histogram.ts';

/**
 * The figures, against values worked out by hand. A morning at 修山镇 on 2031-05-06 (times in
 * UTC; 01:00Z is 09:00 in Yiyang), one visit at 三官桥村, one at 沧水铺镇 in another county,
 * and a no-show in June.
 *
 *   A001 issued 01:00:00, called 01:02:00 (wait 120), served 01:02:30–01:07:30 (300)
 *   A002 issued 01:01:00, called 01:08:00 (wait 420), served 01:08:00–01:10:00 (120)
 *   A003 issued 01:03:00, called 01:10:30, no-show
 *   A004 issued 01:04:00, called at 1号窗口 01:12:00, transferred to B 01:13:00, called at
 *        3号窗口 01:20:00 (wait 960 from the first issue), served 01:20:00–01:30:00 (600)
 *   B001 issued 01:05:00, called 01:31:00 (wait 1560), served 01:31:00–01:33:00 (120)
 *   A005 issued 01:06:00, still waiting
 */
let env: TestEnv;
let xs: Hall;
let leader: string;
const at = (hhmmss: string, day = '2031-05-06') => setClock(`${day}T${hhmmss}Z`);

before(async () => {
  env = await createTestEnv();
  leader = (await createStaff(env.db, { roles: ['leader'], servicePointCode: '4309' })).token;
  xs = await buildHall(env, XIUSHAN, {
    groups: [
      { prefix: 'A', name: '综合窗口' },
      { prefix: 'B', name: '社保医保' },
    ],
    windows: [
      { name: '1号窗口', groups: ['A'] },
      { name: '3号窗口', groups: ['B'] },
    ],
  });
  const desk = await seatedStaff(env, xs);
  const w1 = await seatedStaff(env, xs, '1号窗口');
  const w3 = await seatedStaff(env, xs, '3号窗口');
  const t: Record<string, { id: string }> = {};
  for (const [n, time, g] of [
    ['A001', '01:00:00', 'A'],
    ['A002', '01:01:00', 'A'],
    ['A003', '01:03:00', 'A'],
    ['A004', '01:04:00', 'A'],
    ['B001', '01:05:00', 'B'],
    ['A005', '01:06:00', 'A'],
  ] as const) {
    at(time);
    t[n] = await issue(env, desk, xs, g);
  }
  const serve = async (w: string, id: string, call: string, start: string, end: string) => {
    at(call);
    assert.equal((await callNext(env, w === '1号窗口' ? w1 : w3, xs, w))?.id, id);
    at(start);
    assert.equal((await step(env, w === '1号窗口' ? w1 : w3, id, 'start')).statusCode, 200);
    at(end);
    assert.equal((await step(env, w === '1号窗口' ? w1 : w3, id, 'finish')).statusCode, 200);
  };
  await serve('1号窗口', t.A001!.id, '01:02:00', '01:02:30', '01:07:30');
  await serve('1号窗口', t.A002!.id, '01:08:00', '01:08:00', '01:10:00');
  at('01:10:30');
  await callNext(env, w1, xs, '1号窗口');
  at('01:12:00');
  assert.equal((await step(env, w1, t.A003!.id, 'skip')).statusCode, 200);
  await callNext(env, w1, xs, '1号窗口');
  at('01:13:00');
  const moved = await step(env, w1, t.A004!.id, 'transfer', { groupId: xs.groups.B });
  await serve('3号窗口', moved.data.ticket.id, '01:20:00', '01:20:00', '01:30:00');
  await serve('3号窗口', t.B001!.id, '01:31:00', '01:31:00', '01:33:00');

  // 三官桥村: wait 45, serve 20. 沧水铺镇 (赫山区): wait 10, serve 10, the next day.
  for (const [code, day, times] of [
    [SANGUANQIAO, '2031-05-06', ['01:00:00', '01:00:45', '01:01:00', '01:01:20']],
    [CANGSHUIPU, '2031-05-07', ['02:00:00', '02:00:10', '02:00:10', '02:00:20']],
  ] as const) {
    const hall = await buildHall(env, code, {
      groups: [{ prefix: 'A', name: '综合窗口' }],
      windows: [{ name: '1号窗口', groups: ['A'] }],
    });
    const roles =
      code === SANGUANQIAO ? (['village_agent'] as const) : (['township_clerk'] as const);
    const w = await seatedStaff(env, hall, '1号窗口', [...roles]);
    at(times[0], day);
    const one = await issue(env, w, hall, 'A');
    at(times[1], day);
    await callNext(env, w, hall, '1号窗口');
    at(times[2], day);
    await step(env, w, one.id, 'start');
    at(times[3], day);
    assert.equal((await step(env, w, one.id, 'finish')).statusCode, 200);
  }
  // June at 修山镇: one no-show.
  at('01:00:00', '2031-06-02');
  const june = await issue(env, desk, xs, 'A');
  await callNext(env, w1, xs, '1号窗口');
  await step(env, w1, june.id, 'skip');
  resetClock();
});
afterEach(() => resetClock());
after(() => env.close());

describe('the histogram', () => {
  it('puts a duration in the bucket below its upper edge, and estimates within the bucket', () => {
    assert.equal(bucketOf(0), 0);
    assert.equal(bucketOf(29), 0);
    assert.equal(bucketOf(30), 1);
    assert.equal(bucketOf(120), 4);
    assert.equal(bucketOf(99_999), 20);
    assert.equal(percentileFromHistogram([0, 0, 0], 0.5), null);
    const open = new Array(21).fill(0);
    open[20] = 3;
    assert.equal(percentileFromHistogram(open, 0.9), 14400);
    assert.equal(percentile([120, 420, 960, 1560], 0.5), 690);
    assert.equal(percentile([120, 420, 960, 1560], 0.9), 1380);
  });
});

describe('a hall’s day', () => {
  it('counts tickets and gives exact medians and p90 per group and window', async () => {
    const res = await api(
      env,
      leader,
      'GET',
      `/hall/figures?servicePoint=${XIUSHAN}&date=2031-05-06`,
    );
    assert.equal(res.statusCode, 200, res.body);
    const f = res.data;
    assert.deepEqual(f.totals, {
      tickets: 6,
      served: 4,
      noShow: 1,
      waitingNow: 1,
      waitMedianSec: 690,
      waitP90Sec: 1380,
      serveMedianSec: 210,
      serveP90Sec: 510,
    });
    const byPrefix = Object.fromEntries(f.groups.map((g: { prefix: string }) => [g.prefix, g]));
    const { groupId: _id, name: _name, nameEn: _en, ...a } = byPrefix.A;
    assert.deepEqual(a, {
      prefix: 'A',
      tickets: 5,
      served: 2,
      noShow: 1,
      transferredIn: 0,
      transferredOut: 1,
      waitMedianSec: 270,
      waitP90Sec: 390,
      serveMedianSec: 210,
      serveP90Sec: 282,
    });
    assert.equal(byPrefix.B.tickets, 1);
    assert.equal(byPrefix.B.transferredIn, 1);
    assert.equal(byPrefix.B.served, 2);
    assert.equal(byPrefix.B.waitMedianSec, 1260);
    assert.equal(byPrefix.B.waitP90Sec, 1500);
    assert.equal(byPrefix.B.serveMedianSec, 360);
    assert.equal(byPrefix.B.serveP90Sec, 552);
    const byWindow = Object.fromEntries(f.windows.map((w: { name: string }) => [w.name, w]));
    assert.equal(byWindow['1号窗口'].tickets, 4);
    assert.equal(byWindow['1号窗口'].served, 2);
    assert.equal(byWindow['1号窗口'].noShow, 1);
    assert.equal(byWindow['1号窗口'].transferredOut, 1);
    assert.equal(byWindow['3号窗口'].tickets, 2);
    assert.equal(byWindow['3号窗口'].waitMedianSec, 1260);
  });

  it('is for the hall’s staff, its managers and leaders over it', async () => {
    const hs = await createStaff(env.db, { roles: ['county_admin'], servicePointCode: '430903' });
    const far = await api(env, hs.token, 'GET', `/hall/figures?servicePoint=${XIUSHAN}`);
    assert.equal(far.statusCode, 404);
    const bad = await api(env, leader, 'GET', `/hall/figures?servicePoint=${XIUSHAN}&date=May`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.data.error.fields[0].field, 'query.date');
  });
});

describe('a region over months (GET /stats/queue)', () => {
  it('keeps a rollup row per hall and month, histograms included', async () => {
    const row = await env.db
      .selectFrom('queue_stats_monthly as q')
      .innerJoin('service_point as sp', 'sp.id', 'q.service_point_id')
      .select(['q.tickets', 'q.served', 'q.no_show', 'q.wait_hist', 'q.serve_hist'])
      .where('sp.code', '=', XIUSHAN)
      .where('q.month', '=', '2031-05-01')
      .executeTakeFirstOrThrow();
    const hist = (at: Record<number, number>) => Array.from({ length: 21 }, (_, i) => at[i] ?? 0);
    assert.deepEqual(row, {
      tickets: 6,
      served: 4,
      no_show: 1,
      wait_hist: hist({ 4: 1, 8: 1, 10: 1, 12: 1 }),
      serve_hist: hist({ 4: 2, 7: 1, 9: 1 }),
    });
  });

  it('sums a county, its townships’ points and the months, percentiles from the histograms', async () => {
    const res = await api(env, leader, 'GET', '/stats/queue?region=430922&from=2031-05&to=2031-06');
    assert.equal(res.statusCode, 200, res.body);
    const s = res.data;
    assert.deepEqual(s.region, { code: '430922', name: '桃江县', level: 'county' });
    // waits: 修山镇 120, 420, 960, 1560 and 三官桥村 45; serves 300, 120, 600, 120 and 20
    assert.deepEqual(s.totals, {
      tickets: 8,
      served: 5,
      noShow: 2,
      waitMedianSec: 510,
      waitP90Sec: 1650,
      serveMedianSec: 165,
      serveP90Sec: 750,
    });
    assert.deepEqual(
      s.byChild.map((c: { code: string; name: string; tickets: number }) => [
        c.code,
        c.name,
        c.tickets,
      ]),
      [['430922101', '修山镇', 8]],
    );
    assert.deepEqual(
      s.trend.map((t: { month: string; tickets: number; served: number; noShow: number }) => [
        t.month,
        t.tickets,
        t.served,
        t.noShow,
      ]),
      [
        ['2031-05', 7, 5, 1],
        ['2031-06', 1, 0, 1],
      ],
    );
    assert.equal(s.trend[1].waitMedianSec, null);
  });

  it('gives a township its own centre and village stations together, the lowest level', async () => {
    const res = await api(
      env,
      leader,
      'GET',
      '/stats/queue?region=430922101&from=2031-05&to=2031-05',
    );
    assert.equal(res.data.region.level, 'township');
    assert.deepEqual(res.data.byChild, []);
    // waits 120, 420, 960, 1560, 45 and serves 300, 120, 600, 120, 20, as for the county in May
    const { tickets, served, noShow, waitMedianSec, serveP90Sec } = res.data.totals;
    assert.deepEqual([tickets, served, noShow, waitMedianSec, serveP90Sec], [7, 5, 1, 510, 750]);
    const village = await api(
      env,
      leader,
      'GET',
      `/stats/queue?region=${SANGUANQIAO}&from=2031-05&to=2031-05`,
    );
    assert.equal(village.data.totals.waitMedianSec, 45);
    assert.equal(village.data.totals.serveMedianSec, 15);
  });

  it('covers the city by county, stays in the jurisdiction and checks the months', async () => {
    const city = await api(env, leader, 'GET', '/stats/queue?from=2031-05&to=2031-05');
    assert.equal(city.data.region.code, '4309');
    assert.deepEqual(
      city.data.byChild.map((c: { code: string; tickets: number }) => [c.code, c.tickets]),
      [
        ['430903', 1],
        ['430922', 7],
      ],
    );
    assert.equal(city.data.byChild[0].waitMedianSec, 15);
    const hs = await createStaff(env.db, { roles: ['county_admin'], servicePointCode: '430903' });
    assert.equal((await api(env, hs.token, 'GET', '/stats/queue?region=430922')).statusCode, 404);
    const own = await api(env, hs.token, 'GET', '/stats/queue?from=2031-05&to=2031-05');
    assert.equal(own.data.region.code, '430903');
    const agent = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: SANGUANQIAO,
    });
    assert.equal((await api(env, agent.token, 'GET', '/stats/queue')).statusCode, 403);
    const bad = await api(env, leader, 'GET', '/stats/queue?from=2031-13');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.data.error.fields[0].field, 'query.from');
  });
});
