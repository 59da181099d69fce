import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { todayInChina } from '@yimen/core';
import { sql } from 'kysely';
import { seedDemo } from '../../seed/seed.ts';
import { type CaseClient, residentByName, signIn } from '../../test/cases.ts';
import { bearer, createCitizen } from '../../test/factories.ts';
import { call, createTestEnv, TEST_KEYS, type TestEnv } from '../../test/harness.ts';
import { countersOf } from '../applications/effects/effects.ts';

/**
 * The rollups agree with the cases. After a mix of steps in two townships of two counties
 * (concluded, denied, refused, withdrawn, corrected and resubmitted, running, overdue,
 * rated well and badly, a follow-up closed), every figure the overview gives equals the same
 * figure counted afresh from the cases; the overview reads no case at all; and the rollups
 * stay right through a rebuild and a bulk load with foreign-key triggers off.
 */
let env: TestEnv;
let leader: string;
const today = todayInChina();

interface Place {
  agent: CaseClient;
  approver: CaseClient;
  residentId: string;
  idNumber: string;
  name: string;
  village: string;
}
let xiushan: Place;
let cangshuipu: Place;

async function place(agentName: string, approverName: string, name: string, village: string) {
  const agent = await signIn(env.app, agentName);
  const approver = await signIn(env.app, approverName);
  const residentId = await residentByName(env.app, agent, name, village);
  const row = await env.db
    .selectFrom('resident')
    .select('id_number_cipher')
    .where('id', '=', residentId)
    .executeTakeFirstOrThrow();
  const idNumber = TEST_KEYS.personalData.decrypt(row.id_number_cipher);
  return { agent, approver, residentId, idNumber, name, village };
}

before(async () => {
  env = await createTestEnv();
  await seedDemo(env.db, TEST_KEYS);
  leader = (await signIn(env.app, 'leader')).token;
  xiushan = await place('agent.sanguanqiao', 'approver.xiushan', '刘卫东', '430922101220');
  cangshuipu = await place('agent.jinshan', 'approver.cangshuipu', '王建国', '430903105237');
});
after(() => env.close());

async function submit(p: Place): Promise<string> {
  const res = await p.agent.submit({
    itemCode: '4309-MZ-JF-005',
    channel: 'counter',
    applicantId: p.residentId,
    formData: {
      applicantName: p.name,
      idNumber: p.idNumber,
      residenceVillage: p.village,
      ageGroup: '80-89',
      payoutAccountType: 'one_card',
      contactName: p.name,
      mobile: '13800000005',
    },
    materials: [
      { key: 'idCard', sha256: await p.agent.upload() },
      { key: 'householdRegister', sha256: await p.agent.upload() },
      { key: 'payoutAccount', sha256: await p.agent.upload() },
    ],
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.data.id;
}

async function step(c: CaseClient, id: string, action: string, body: Record<string, unknown> = {}) {
  const res = await c.act(id, action, body);
  assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
  return res.data;
}

async function conclude(p: Place, id: string) {
  await step(p.agent, id, 'accept');
  await step(p.approver, id, 'approve');
  await step(p.approver, id, 'issue');
  await step(p.agent, id, 'handOver', { recipient: { name: p.name, idNumber: p.idNumber } });
}

let mobiles = 0;
async function rate(p: Place, id: string, grade: number) {
  const citizen = await createCitizen(env.db, {
    residentId: p.residentId,
    mobile: `139000000${String(++mobiles).padStart(2, '0')}`,
  });
  const res = await call(env.app, {
    method: 'POST',
    url: `/api/v1/applications/${id}/rating`,
    headers: bearer(citizen.token),
    payload: { grade },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.data;
}

const overview = async (region: string) => {
  const res = await call(env.app, {
    method: 'GET',
    url: `/api/v1/stats/overview?region=${region}`,
    headers: bearer(leader),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.data;
};

interface Recount {
  submitted: number;
  accepted: number;
  concluded: number;
  approved: number;
  denied: number;
  refused: number;
  withdrawn: number;
  onTime: number;
  late: number;
  crossRegion: number;
  r1: number;
  r2: number;
  r3: number;
  r4: number;
  r5: number;
  running: number;
  overdue: number;
  followUpsOpen: number;
  followUpsOverdue: number;
}

/** The figures counted afresh from the cases themselves, for the region `code`. */
async function recount(code: string): Promise<Recount> {
  const like = `${code}%`;
  const r = await sql<Recount>`
    SELECT
      count(*)::int AS submitted,
      count(*) FILTER (WHERE a.accepted_at IS NOT NULL)::int AS accepted,
      count(*) FILTER (WHERE a.concluded_at IS NOT NULL)::int AS concluded,
      count(*) FILTER (WHERE a.outcome = 'approved')::int AS approved,
      count(*) FILTER (WHERE a.outcome = 'denied')::int AS denied,
      count(*) FILTER (WHERE a.outcome = 'refused')::int AS refused,
      count(*) FILTER (WHERE a.outcome = 'withdrawn')::int AS withdrawn,
      count(*) FILTER (WHERE a.outcome IN ('approved', 'denied')
        AND a.working_days_used <= a.promised_days)::int AS "onTime",
      count(*) FILTER (WHERE a.outcome IN ('approved', 'denied')
        AND a.working_days_used > a.promised_days)::int AS late,
      count(*) FILTER (WHERE a.cross_region)::int AS "crossRegion",
      count(*) FILTER (WHERE r.grade = 1)::int AS r1, count(*) FILTER (WHERE r.grade = 2)::int AS r2,
      count(*) FILTER (WHERE r.grade = 3)::int AS r3, count(*) FILTER (WHERE r.grade = 4)::int AS r4,
      count(*) FILTER (WHERE r.grade = 5)::int AS r5,
      (SELECT count(*) FROM application WHERE clock_running_since IS NOT NULL
         AND deciding_region LIKE ${like})::int AS running,
      (SELECT count(*) FROM application WHERE clock_running_since IS NOT NULL
         AND deciding_region LIKE ${like} AND due_date < ${today}::date)::int AS overdue,
      (SELECT count(*) FROM follow_up f JOIN service_point sp ON sp.id = f.service_point_id
         WHERE f.status = 'open' AND sp.region_code LIKE ${like})::int AS "followUpsOpen",
      (SELECT count(*) FROM follow_up f JOIN service_point sp ON sp.id = f.service_point_id
         WHERE f.status = 'open' AND sp.region_code LIKE ${like}
           AND f.due_date < ${today}::date)::int AS "followUpsOverdue"
    FROM application a LEFT JOIN rating r ON r.application_id = a.id
    WHERE a.received_region LIKE ${like}`.execute(env.db);
  return r.rows[0]!;
}

type Figures = {
  submitted: number;
  accepted: number;
  concluded: number;
  approved: number;
  denied: number;
  refused: number;
  withdrawn: number;
  onTime: number;
  late: number;
  crossRegion: number;
  ratings: { distribution: Record<string, number> };
  open?: { running: number; overdue: number };
  followUps?: { open: number; overdue: number };
};

function asRecount(f: Figures, open = f.open, followUps = f.followUps): Recount {
  const d = f.ratings.distribution;
  return {
    submitted: f.submitted,
    accepted: f.accepted,
    concluded: f.concluded,
    approved: f.approved,
    denied: f.denied,
    refused: f.refused,
    withdrawn: f.withdrawn,
    onTime: f.onTime,
    late: f.late,
    crossRegion: f.crossRegion,
    r1: d['1']!,
    r2: d['2']!,
    r3: d['3']!,
    r4: d['4']!,
    r5: d['5']!,
    running: open!.running,
    overdue: open!.overdue,
    followUpsOpen: followUps!.open,
    followUpsOverdue: followUps!.overdue,
  };
}

/** Every level the leader can see agrees with the cases: totals and each child, item. */
async function assertAgreement(label: string) {
  for (const code of ['4309', '430922', '430903', '430922101', '430903105']) {
    const o = await overview(code);
    assert.deepEqual(
      asRecount(o.totals, o.open, o.followUps),
      await recount(code),
      `${label}: ${code}`,
    );
    for (const child of o.byChild)
      assert.deepEqual(asRecount(child), await recount(child.code), `${label}: ${child.code}`);
    const all = o.byItem.find((i: { itemCode: string }) => i.itemCode === '4309-MZ-JF-005');
    assert.equal(all?.submitted ?? 0, (await recount(code)).submitted, `${label}: item ${code}`);
  }
}

/** The coarser rollups equal their sums of stats_monthly, row for row. */
async function assertRollupsMatchMonthly() {
  const counters = sql.raw(
    'sum(submitted) s, sum(accepted) a, sum(concluded) c, sum(approved) ap, sum(denied) dn, sum(refused) rf, sum(withdrawn) wd, sum(on_time) ot, sum(late) lt, sum(cross_region) cr, sum(rating_1) r1, sum(rating_2) r2, sum(rating_3) r3, sum(rating_4) r4, sum(rating_5) r5',
  );
  const diff = async (a: ReturnType<typeof sql>, b: ReturnType<typeof sql>) => {
    const r = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ((${a} EXCEPT ${b}) UNION ALL (${b} EXCEPT ${a})) x`.execute(
      env.db,
    );
    return r.rows[0]!.n;
  };
  const nonZero = sql.raw('HAVING sum(submitted) + sum(accepted) + sum(concluded) > 0');
  assert.equal(
    await diff(
      sql`SELECT region_code, month, ${counters} FROM stats_monthly GROUP BY 1, 2 ${nonZero}`,
      sql`SELECT region_code, month, ${counters} FROM stats_area_monthly GROUP BY 1, 2 ${nonZero}`,
    ),
    0,
    'stats_area_monthly',
  );
  assert.equal(
    await diff(
      sql`SELECT substr(region_code, 1, 6), month, item_code, ${counters} FROM stats_monthly GROUP BY 1, 2, 3 ${nonZero}`,
      sql`SELECT region_code, month, item_code, ${counters} FROM stats_item_monthly GROUP BY 1, 2, 3 ${nonZero}`,
    ),
    0,
    'stats_item_monthly',
  );
  assert.equal(
    await diff(
      sql`SELECT 'case', substr(deciding_region, 1, 9), coalesce(due_date, 'infinity'), count(*)::int
          FROM application WHERE clock_running_since IS NOT NULL GROUP BY 1, 2, 3`,
      sql`SELECT kind, region_code, due_date, n FROM stats_open WHERE kind = 'case'`,
    ),
    0,
    'stats_open (cases)',
  );
}

describe('the rollups agree with the cases', () => {
  it('after a mix of steps, every figure equals its count from the cases', async () => {
    const done = await submit(xiushan);
    await conclude(xiushan, done);
    await rate(xiushan, done, 5);

    const denied = await submit(xiushan);
    await step(xiushan.agent, denied, 'accept');
    await step(xiushan.approver, denied, 'deny', {
      reasons: '年龄不符合条件',
      legalBasis: '《益阳市高龄津贴发放办法》第五条',
    });
    const bad = await rate(xiushan, denied, 1);
    assert.ok(bad.followUp, 'a bad rating opens a follow-up');

    const refused = await submit(xiushan);
    await step(xiushan.agent, refused, 'refuse', { reasons: '不属于本事项受理范围' });

    const corrected = await submit(xiushan);
    await step(xiushan.agent, corrected, 'accept');
    const stopped = await step(xiushan.approver, corrected, 'requestCorrection', {
      missing: [{ item: '户口簿本人页' }],
    });
    assert.equal(stopped.status, 'correction_requested');
    await assertAgreement('clock stopped for a correction');
    await step(xiushan.agent, corrected, 'resubmit', {
      materials: [{ key: 'householdRegister', sha256: await xiushan.agent.upload() }],
    });

    const late = await submit(xiushan);
    await step(xiushan.agent, late, 'accept');
    const withdrawn = await submit(xiushan);
    await step(xiushan.agent, withdrawn, 'withdraw', { comment: '不需要了' });

    const there = await submit(cangshuipu);
    await conclude(cangshuipu, there);
    const unhappy = await rate(cangshuipu, there, 2);
    await submit(cangshuipu);
    const running = await submit(cangshuipu);
    await step(cangshuipu.agent, running, 'accept');
    await assertAgreement('after the steps');

    // Time passes: the running case in 修山镇 is now past its due date (as when days go by,
    // or a calendar change moves due dates), and the bad rating in 沧水铺镇 is followed up.
    await env.db
      .updateTable('application')
      .set({ due_date: '2020-01-06' })
      .where('id', '=', late)
      .execute();
    const closed = await call(env.app, {
      method: 'POST',
      url: `/api/v1/follow-ups/${unhappy.followUp.id}/close`,
      headers: bearer(cangshuipu.agent.token),
      payload: { note: '已电话回访' },
    });
    assert.equal(closed.statusCode, 204, closed.body);
    await env.db
      .updateTable('follow_up')
      .set({ due_date: '2020-01-06' })
      .where('id', '=', bad.followUp.id)
      .execute();
    await assertAgreement('after time passed');

    const city = await overview('4309');
    assert.equal(city.totals.submitted, 9);
    assert.equal(city.totals.concluded, 5, 'two handed over, one denied, refused, withdrawn');
    assert.equal(city.totals.denied, 1);
    assert.deepEqual(city.open, { running: 3, overdue: 1 });
    assert.deepEqual(city.followUps, { open: 1, overdue: 1 });
    assert.deepEqual(city.totals.ratings.distribution, { 5: 1, 4: 0, 3: 0, 2: 1, 1: 1 });
    const taojiang = city.byChild.find((c: { code: string }) => c.code === '430922');
    assert.deepEqual(taojiang.open, { running: 2, overdue: 1 });
    await assertRollupsMatchMonthly();
  });

  it('the overview reads the rollups only, never the cases', async () => {
    const before_ = await overview('4309');
    const township = await overview('430922101');
    // Hide the cases, ratings and follow-ups: a figure that scanned them would now fail.
    await sql`ALTER TABLE application RENAME TO application_hidden`.execute(env.db);
    await sql`ALTER TABLE follow_up RENAME TO follow_up_hidden`.execute(env.db);
    await sql`ALTER TABLE rating RENAME TO rating_hidden`.execute(env.db);
    try {
      assert.deepEqual(await overview('4309'), before_);
      assert.deepEqual(await overview('430922101'), township);
    } finally {
      await sql`ALTER TABLE application_hidden RENAME TO application`.execute(env.db);
      await sql`ALTER TABLE follow_up_hidden RENAME TO follow_up`.execute(env.db);
      await sql`ALTER TABLE rating_hidden RENAME TO rating`.execute(env.db);
    }
  });

  it('stay right through a rebuild of stats_monthly and a bulk load without FK triggers', async () => {
    const before_ = await overview('4309');
    // A rebuild (as the benchmark's bulk loader does): empty the monthly rollup, fill it again.
    await env.db.transaction().execute(async (trx) => {
      await sql`CREATE TEMP TABLE stats_copy ON COMMIT DROP AS SELECT * FROM stats_monthly`.execute(
        trx,
      );
      await sql`TRUNCATE stats_monthly`.execute(trx);
      const emptied = await sql<{ n: number }>`
        SELECT (SELECT count(*) FROM stats_area_monthly) + (SELECT count(*) FROM stats_item_monthly) AS n`.execute(
        trx,
      );
      assert.equal(Number(emptied.rows[0]!.n), 0, 'TRUNCATE empties the coarser rollups too');
      await sql`INSERT INTO stats_monthly SELECT * FROM stats_copy`.execute(trx);
    });
    assert.deepEqual(await overview('4309'), before_);
    await assertRollupsMatchMonthly();

    // A bulk load of running cases with foreign-key triggers off (session_replication_role =
    // replica), in a data-modifying CTE: the ALWAYS statement trigger still counts them.
    const loaded = await env.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      const r = await sql<{ n: number }>`
        WITH ins AS (
          INSERT INTO application
          SELECT (jsonb_populate_record(a, jsonb_build_object(
            'id', gen_random_uuid(), 'application_no', a.application_no || '-B'))).*
          FROM application a WHERE a.clock_running_since IS NOT NULL
          RETURNING 1)
        SELECT count(*)::int AS n FROM ins`.execute(trx);
      return r.rows[0]!.n;
    });
    assert.equal(loaded, 3);
    const after_ = await overview('4309');
    assert.deepEqual(after_.open, { running: 6, overdue: 2 });
    await assertRollupsMatchMonthly();
  });

  it('count a department’s rejection as a denial, like the township’s', () => {
    const step = {
      app: { cross_region: false, promised_days: 10 },
      to: 'concluded' as const,
      workingDaysUsed: 4,
    };
    assert.deepEqual(countersOf('departmentReject', step), countersOf('deny', step));
    assert.deepEqual(countersOf('deny', step), { denied: 1, concluded: 1, on_time: 1 });
  });
});
