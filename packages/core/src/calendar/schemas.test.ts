import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarYearBody, checkYearArrangement, workingDaysQuery } from './schemas.ts';

const fields = (year: number, holidays: string[], workdays: string[]) =>
  checkYearArrangement(year, {
    holidays: holidays.map((date) => ({ date })),
    workdays: workdays.map((date) => ({ date })),
  }).map((i) => `${i.field}: ${i.message.en}`);

describe('checkYearArrangement', () => {
  it('accepts a year as published, weekend holidays included', () => {
    assert.deepEqual(fields(2026, ['2026-02-15', '2026-02-16'], ['2026-02-14', '2026-02-28']), []);
  });

  it('names each bad date', () => {
    assert.deepEqual(
      fields(2027, ['2027-01-01', '2026-12-31', '2027-01-01'], ['2027-01-06', '2027-01-01']),
      [
        'holidays.1.date: the date is not in 2027',
        'holidays.2.date: the date is listed twice',
        'workdays.0.date: a make-up workday falls on a Saturday or Sunday',
        'workdays.1.date: a date cannot be both a holiday and a make-up workday',
      ],
    );
  });
});

describe('calendar schemas', () => {
  it('refuse unknown fields, impossible dates and too many entries', () => {
    const base = { source: '通知', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] };
    assert.equal(calendarYearBody.safeParse(base).success, true);
    assert.equal(calendarYearBody.safeParse({ ...base, extra: 1 }).success, false);
    assert.equal(
      calendarYearBody.safeParse({ ...base, holidays: [{ date: '2027-02-29' }] }).success,
      false,
    );
    const many = Array.from({ length: 61 }, () => ({ date: '2027-01-01' }));
    assert.equal(calendarYearBody.safeParse({ ...base, holidays: many }).success, false);
    assert.equal(calendarYearBody.safeParse({ ...base, holidays: [] }).success, false);
  });

  it('read the working-days query from strings', () => {
    assert.deepEqual(workingDaysQuery.parse({ from: '2026-12-30', days: '2' }), {
      from: '2026-12-30',
      days: 2,
    });
    assert.equal(workingDaysQuery.safeParse({ days: '-1' }).success, false);
  });
});
