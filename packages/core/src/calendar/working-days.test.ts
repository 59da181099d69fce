import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { addCalendarDays, isIsoDate, todayInChina } from './dates.ts';
import { packageYear, packageYears } from './package-data.ts';
import { test2027Calendar as test2027 } from './test-calendar.ts';
import { WorkingCalendar } from './working-days.ts';

const pkg = new WorkingCalendar();

const working = (cal: WorkingCalendar, from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) if (cal.isWorkingDay(d)) out.push(d);
  return out;
};

describe('what the chinese-days package knows', () => {
  it('covers 2004 to 2026 and not 2027', () => {
    const years = packageYears();
    assert.equal(years[0], 2004);
    assert.equal(years.at(-1), 2026);
    assert.equal(packageYear(2027), null);
    assert.equal(pkg.sourceOf(2026), 'package');
    assert.equal(pkg.sourceOf(2027), 'none');
    assert.equal(pkg.hasOfficialData(2003), false);
  });

  it('has the 2026 make-up workdays as the State Council published them in November 2025', () => {
    assert.deepEqual(
      packageYear(2026)!.workdays.map((d) => `${d.date} ${d.name}`),
      [
        '2026-01-04 元旦',
        '2026-02-14 春节',
        '2026-02-28 春节',
        '2026-05-09 劳动节',
        '2026-09-20 国庆节',
        '2026-10-10 国庆节',
      ],
    );
  });

  it('answers the same whatever the host time zone', () => {
    const file = fileURLToPath(new URL('./package-data.ts', import.meta.url));
    const script = `import { packageYear } from ${JSON.stringify(file)};
      console.log(JSON.stringify(packageYear(2026).workdays.map((d) => d.date)));`;
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        env: { ...process.env, TZ: 'America/Los_Angeles' },
        encoding: 'utf8',
      },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      JSON.parse(run.stdout),
      packageYear(2026)!.workdays.map((d) => d.date),
    );
  });
});

describe('2026 Spring Festival: off 15–23 February, make-up Saturdays 14 and 28 February', () => {
  it('knows which days are worked', () => {
    assert.deepEqual(working(pkg, '2026-02-12', '2026-03-02'), [
      '2026-02-12',
      '2026-02-13',
      '2026-02-14', // Saturday, worked
      '2026-02-24',
      '2026-02-25',
      '2026-02-26',
      '2026-02-27',
      '2026-02-28', // Saturday, worked
      '2026-03-02',
    ]);
  });

  it('counts across the holiday from the day after acceptance', () => {
    assert.deepEqual(pkg.addWorkingDays('2026-02-13', 1), { date: '2026-02-14', estimate: false });
    assert.equal(pkg.addWorkingDays('2026-02-14', 1).date, '2026-02-24');
    assert.equal(pkg.addWorkingDays('2026-02-12', 5).date, '2026-02-26');
    assert.equal(pkg.addWorkingDays('2026-02-24', 4).date, '2026-02-28');
    assert.equal(pkg.addWorkingDays('2026-02-10', 20).date, '2026-03-16');
    // accepted on a holiday (a village station open at New Year): counting starts after it
    assert.equal(pkg.addWorkingDays('2026-02-20', 3).date, '2026-02-26');
  });

  it('n = 0 is the start day itself, even a holiday (即办)', () => {
    assert.deepEqual(pkg.addWorkingDays('2026-02-16', 0), { date: '2026-02-16', estimate: false });
  });

  it('counts working days in (from, to]', () => {
    assert.equal(pkg.workingDaysBetween('2026-02-13', '2026-02-28'), 6);
    assert.equal(pkg.workingDaysBetween('2026-02-14', '2026-02-23'), 0);
    assert.equal(pkg.workingDaysBetween('2026-02-14', '2026-02-14'), 0);
    assert.equal(pkg.workingDaysBetween('2026-02-28', '2026-02-14'), 0);
  });
});

describe('2026 National Day: off 1–7 October, make-up Sunday 20 September and Saturday 10 October', () => {
  it('knows which days are worked', () => {
    assert.equal(pkg.isWorkingDay('2026-09-20'), true);
    assert.equal(pkg.isWorkingDay('2026-09-25'), false, 'Mid-autumn Festival, a Friday');
    for (let d = '2026-10-01'; d <= '2026-10-07'; d = addCalendarDays(d, 1)) {
      assert.equal(pkg.isWorkingDay(d), false, d);
    }
    assert.equal(pkg.isWorkingDay('2026-10-08'), true);
    assert.equal(pkg.isWorkingDay('2026-10-10'), true);
    assert.equal(pkg.isWorkingDay('2026-10-11'), false);
  });

  it('counts across the Golden Week', () => {
    assert.equal(pkg.addWorkingDays('2026-09-18', 1).date, '2026-09-20');
    assert.equal(pkg.addWorkingDays('2026-09-29', 3).date, '2026-10-09');
    assert.equal(pkg.addWorkingDays('2026-09-29', 4).date, '2026-10-10');
    assert.equal(pkg.addWorkingDays('2026-09-29', 5).date, '2026-10-12');
    assert.equal(pkg.workingDaysBetween('2026-09-24', '2026-10-12'), 7);
  });

  it('goes back as well as forward', () => {
    assert.equal(pkg.addWorkingDays('2026-10-12', -3).date, '2026-10-08');
    assert.equal(pkg.addWorkingDays('2026-10-08', -1).date, '2026-09-30');
  });
});

describe('2027: not in the package, loaded by an administrator', () => {
  it('the package counts 1 January 2027 as a workday, and says the count is an estimate', () => {
    assert.equal(pkg.isWorkingDay('2027-01-01'), true);
    assert.deepEqual(pkg.addWorkingDays('2026-12-30', 2), { date: '2027-01-01', estimate: true });
    // no day of 2027 was counted: the answer is exact
    assert.deepEqual(pkg.addWorkingDays('2026-12-30', 1), { date: '2026-12-31', estimate: false });
  });

  it('once loaded, 1 January is a holiday and the due date is official', () => {
    const cal = test2027();
    assert.equal(cal.sourceOf(2027), 'admin');
    assert.equal(cal.isWorkingDay('2027-01-01'), false);
    assert.deepEqual(cal.addWorkingDays('2026-12-30', 2), { date: '2027-01-04', estimate: false });
    assert.equal(cal.isWorkingDay('2027-02-20'), true, 'the make-up Saturday');
    assert.equal(cal.addWorkingDays('2027-02-04', 1).date, '2027-02-15');
    assert.deepEqual(cal.addWorkingDays('2027-12-30', 2), { date: '2028-01-03', estimate: true });
  });

  it('a loaded year replaces the package for that year entirely', () => {
    const cal = new WorkingCalendar({
      years: new Set([2026]),
      days: new Map([['2026-01-01', 'holiday']]),
    });
    assert.equal(cal.sourceOf(2026), 'admin');
    assert.equal(cal.isWorkingDay('2026-01-01'), false);
    assert.equal(cal.isWorkingDay('2026-02-16'), true, 'not in the loaded data');
    assert.equal(cal.isWorkingDay('2026-02-14'), false, 'a plain Saturday now');
    assert.equal(cal.isWorkingDay('2025-01-01'), false, 'other years still from the package');
  });

  it('ignores loaded days of a year not marked as loaded', () => {
    const cal = new WorkingCalendar({
      years: new Set(),
      days: new Map([['2027-01-01', 'holiday']]),
    });
    assert.equal(cal.isWorkingDay('2027-01-01'), true);
  });
});

describe('counting, in general', () => {
  it('addWorkingDays and workingDaysBetween are inverse', () => {
    for (const cal of [pkg, test2027()]) {
      for (let s = '2026-12-20'; s <= '2027-02-25'; s = addCalendarDays(s, 3)) {
        for (const n of [0, 1, 2, 5, 9, 20]) {
          const due = cal.addWorkingDays(s, n).date;
          assert.equal(cal.workingDaysBetween(s, due), n, `${s} + ${n}`);
          assert.equal(n === 0 || cal.isWorkingDay(due), true);
        }
      }
    }
  });

  it('refuses nonsense', () => {
    assert.throws(() => pkg.addWorkingDays('2026-02-30', 1), RangeError);
    assert.throws(() => pkg.addWorkingDays('2026-02-01', 1.5), RangeError);
    assert.throws(() => pkg.isWorkingDay('20260201'), RangeError);
  });

  it('knows real dates', () => {
    assert.equal(isIsoDate('2028-02-29'), true);
    assert.equal(isIsoDate('2027-02-29'), false);
    assert.equal(isIsoDate('2027-2-1'), false);
  });

  it('todayInChina is UTC+8', () => {
    assert.equal(todayInChina(new Date('2026-12-31T15:59:59Z')), '2026-12-31');
    assert.equal(todayInChina(new Date('2026-12-31T16:00:00Z')), '2027-01-01');
  });
});
