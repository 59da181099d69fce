import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { clockOf, JINSHAN, runningCase, YEAR_2027 } from './calendar.fixtures.ts';

let env: TestEnv;
let cityAdmin: string;
let systemAdmin: string;
let countyAdmin: string;
let agent: string;
let caseId: string;

const put = (token: string | null, year: number | string, payload: object) =>
  call(env.app, {
    method: 'PUT',
    url: `/api/v1/calendar/years/${year}`,
    headers: { ...(token ? bearer(token) : {}), 'accept-language': 'en' },
    payload,
  });
const get = (url: string) => call(env.app, { method: 'GET', url });
const dueAfter = (from: string, days: number) =>
  get(`/api/v1/calendar/working-days?from=${from}&days=${days}`);

async function auditRows(action: string) {
  return env.db
    .selectFrom('audit_log')
    .select(['action', 'target_id', 'before', 'after', 'actor_user_id'])
    .where('action', '=', action)
    .orderBy('occurred_at')
    .execute();
}

before(async () => {
  env = await createTestEnv();
  const staff = async (
    role: 'city_admin' | 'system_admin' | 'county_admin' | 'village_agent',
    sp: string,
  ) => (await createStaff(env.db, { roles: [role], servicePointCode: sp })).token;
  cityAdmin = await staff('city_admin', '4309');
  systemAdmin = await staff('system_admin', '4309');
  countyAdmin = await staff('county_admin', '430922');
  agent = await staff('village_agent', JINSHAN);
});
after(() => env.close());

describe('the calendar before 2027 is loaded', () => {
  it('lists where each year comes from, last year to the year after next', async () => {
    const res = await get('/api/v1/calendar/years');
    assert.equal(res.statusCode, 200, res.body);
    const current = Number(res.data.today.slice(0, 4));
    assert.deepEqual(
      res.data.items.map((y: { year: number }) => y.year),
      [current - 1, current, current + 1, current + 2],
    );
    for (const y of res.data.items) {
      const expected = y.year <= 2026 && y.year >= 2004 ? 'package' : 'none';
      assert.equal(y.source, expected, String(y.year));
      assert.equal(y.official, expected === 'package');
    }
  });

  it('shows the 2026 arrangement from the package', async () => {
    const res = await get('/api/v1/calendar/years/2026');
    assert.equal(res.statusCode, 200);
    assert.equal(res.data.source, 'package');
    assert.ok(
      res.data.holidays.some(
        (h: { date: string; name: string }) => h.date === '2026-02-16' && h.name === '春节',
      ),
    );
    assert.deepEqual(
      res.data.workdays.map((w: { date: string }) => w.date),
      ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    );
  });

  it('says 2027 has no official data and counts 1 January as a workday', async () => {
    const year = await get('/api/v1/calendar/years/2027');
    assert.deepEqual(
      { source: year.data.source, official: year.data.official, holidays: year.data.holidays },
      { source: 'none', official: false, holidays: [] },
    );
    const res = await dueAfter('2026-12-30', 2);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.data, {
      from: '2026-12-30',
      days: 2,
      dueDate: '2027-01-01',
      estimate: true,
      yearsWithoutData: [2027],
    });
  });

  it('is documented under the calendar tag', async () => {
    const spec = (await get('/api/openapi.json')).data;
    assert.deepEqual(Object.keys(spec.paths['/api/v1/calendar/years/{year}']).sort(), [
      'delete',
      'get',
      'put',
    ]);
    assert.ok(spec.tags.some((t: { name: string }) => t.name === 'calendar'));
  });

  it('refuses a year outside 2000–2100 and a bad query', async () => {
    assert.equal((await get('/api/v1/calendar/years/1999')).statusCode, 400);
    const res = await get('/api/v1/calendar/working-days?from=2026-02-30&days=2');
    assert.equal(res.statusCode, 400);
    assert.equal(res.data.error.fields[0].field, 'query.from');
  });
});

describe('loading a year', () => {
  it('is for city and system administrators only', async () => {
    assert.equal((await put(null, 2027, YEAR_2027)).statusCode, 401);
    for (const token of [agent, countyAdmin]) {
      const res = await put(token, 2027, YEAR_2027);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.data.error.code, 'FORBIDDEN');
    }
  });

  it('refuses bad arrangements naming each field, and writes nothing', async () => {
    const cases: [object, string, RegExp][] = [
      [
        { workdays: [{ date: '2027-01-06', name: '' }] },
        'body.workdays.0.date',
        /Saturday or Sunday/,
      ],
      [
        { holidays: [...YEAR_2027.holidays, { date: '2026-12-31', name: '' }] },
        `body.holidays.${YEAR_2027.holidays.length}.date`,
        /not in 2027/,
      ],
      [{ workdays: [{ date: '2027-01-02', name: '' }] }, 'body.workdays.0.date', /both/],
      [{ holidays: [{ date: '2027-13-01', name: '' }] }, 'body.holidays.0.date', /real date/],
      [{ source: '' }, 'body.source', /empty/],
      [{ extra: true }, 'body.extra', /unknown field/],
    ];
    for (const [change, field, message] of cases) {
      const res = await put(cityAdmin, 2027, { ...YEAR_2027, ...change });
      assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
      assert.equal(res.data.error.code, 'VALIDATION_FAILED');
      const found = res.data.error.fields.find((f: { field: string }) => f.field === field);
      assert.ok(found, `${field} in ${res.body}`);
      assert.match(found.message, message);
    }
    const rows = await env.db.selectFrom('calendar_year').selectAll().execute();
    assert.deepEqual(rows, []);
    assert.deepEqual(await auditRows('calendar.year.load'), []);
  });

  it('takes precedence over the package, recomputes running clocks and is audited', async () => {
    caseId = await runningCase(env.db, 2);
    assert.deepEqual(await clockOf(env.db, caseId), {
      due_date: '2027-01-01',
      warn_date: '2027-01-01',
      due_is_estimate: true,
    });
    const res = await put(cityAdmin, 2027, YEAR_2027);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.data.source, 'admin');
    assert.equal(res.data.official, true);
    assert.equal(res.data.sourceNote, YEAR_2027.source);
    assert.equal(res.data.holidays.length, 12);
    assert.deepEqual(res.data.workdays, [{ date: '2027-02-20', name: '春节' }]);

    const due = await dueAfter('2026-12-30', 2);
    assert.deepEqual(
      {
        dueDate: due.data.dueDate,
        estimate: due.data.estimate,
        without: due.data.yearsWithoutData,
      },
      { dueDate: '2027-01-04', estimate: false, without: [] },
    );
    assert.deepEqual(await clockOf(env.db, caseId), {
      due_date: '2027-01-04',
      warn_date: '2027-01-04',
      due_is_estimate: false,
    });

    const [audit, ...more] = await auditRows('calendar.year.load');
    assert.equal(more.length, 0);
    assert.equal(audit!.target_id, '2027');
    assert.equal(audit!.before, null);
    assert.deepEqual(audit!.after, {
      source: YEAR_2027.source,
      holidays: 12,
      workdays: 1,
      clocksRecomputed: 1,
    });
    const list = await get('/api/v1/calendar/years');
    const y2027 = list.data.items.find((y: { year: number }) => y.year === 2027);
    assert.deepEqual([y2027.source, y2027.official, y2027.holidays], ['admin', true, 12]);
  });

  it('replaces what was loaded before, with before and after counts', async () => {
    const fewer = { ...YEAR_2027, holidays: YEAR_2027.holidays.slice(0, 3), workdays: [] };
    const res = await put(systemAdmin, 2027, fewer);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.data.holidays.length, 3);
    assert.equal((await dueAfter('2027-02-04', 1)).data.dueDate, '2027-02-05');
    const second = (await auditRows('calendar.year.load'))[1]!;
    assert.deepEqual(second.before, { source: YEAR_2027.source, holidays: 12, workdays: 1 });
    assert.deepEqual(second.after, {
      source: YEAR_2027.source,
      holidays: 3,
      workdays: 0,
      clocksRecomputed: 0,
    });
  });
});

describe('removing a loaded year', () => {
  const del = (token: string, year: number) =>
    call(env.app, {
      method: 'DELETE',
      url: `/api/v1/calendar/years/${year}`,
      headers: bearer(token),
    });

  it('is refused to a village agent', async () => {
    assert.equal((await del(agent, 2027)).statusCode, 403);
  });

  it('falls back to weekends alone for 2027, and is audited', async () => {
    const res = await del(cityAdmin, 2027);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.data.source, res.data.official], ['none', false]);
    const due = await dueAfter('2026-12-30', 2);
    assert.deepEqual([due.data.dueDate, due.data.estimate], ['2027-01-01', true]);
    const [row] = await auditRows('calendar.year.unload');
    assert.deepEqual(row!.before, { source: YEAR_2027.source, holidays: 3, workdays: 0 });
    assert.deepEqual(row!.after, { source: 'none', clocksRecomputed: 1 });
    assert.deepEqual(await clockOf(env.db, caseId), {
      due_date: '2027-01-01',
      warn_date: '2027-01-01',
      due_is_estimate: true,
    });
    assert.equal((await env.db.selectFrom('calendar_day').selectAll().execute()).length, 0);
  });

  it('answers 404 for a year that was not loaded', async () => {
    const res = await del(cityAdmin, 2027);
    assert.equal(res.statusCode, 404);
    assert.equal(res.data.error.code, 'CALENDAR_YEAR_NOT_LOADED');
  });
});
