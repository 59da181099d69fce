import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  lightOf,
  refreshClock,
  resumeClock,
  startClock,
  stopClock,
  warnDaysOf,
  workingDaysLeft,
} from './clock.ts';
import { test2027Calendar } from './test-calendar.ts';
import { WorkingCalendar } from './working-days.ts';

const cal = new WorkingCalendar();

describe('starting the clock at acceptance', () => {
  it('sets due and warn dates across the 2026 Spring Festival', () => {
    assert.deepEqual(startClock(cal, 5, '2026-02-12'), {
      promisedDays: 5,
      usedDays: 0,
      runningSince: '2026-02-12',
      dueDate: '2026-02-26', // 13, 14 (make-up Saturday), 24, 25, 26
      warnDate: '2026-02-25', // 4 of 5 working days
      estimate: false,
    });
  });

  it('即办 (0 days) is due the day of acceptance', () => {
    const clock = startClock(cal, 0, '2026-02-16');
    assert.equal(clock.dueDate, '2026-02-16');
    assert.equal(clock.warnDate, '2026-02-16');
    assert.equal(lightOf(clock, '2026-02-16'), 'yellow');
    assert.equal(lightOf(clock, '2026-02-17'), 'red');
  });

  it('refuses a negative or fractional limit', () => {
    assert.throws(() => startClock(cal, -1, '2026-02-12'), RangeError);
    assert.throws(() => startClock(cal, 2.5, '2026-02-12'), RangeError);
  });
});

describe('the light', () => {
  it('is green, then yellow from 80% of the time, then red after the due date', () => {
    const clock = startClock(cal, 5, '2026-02-12');
    const lights = ['2026-02-12', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27'].map((d) =>
      lightOf(clock, d),
    );
    assert.deepEqual(lights, ['green', 'green', 'yellow', 'yellow', 'red']);
  });

  it('rounds 80% up', () => {
    const table = [0, 1, 2, 3, 4, 5, 10, 15, 20, 60].map(warnDaysOf);
    assert.deepEqual(table, [0, 1, 2, 3, 4, 4, 8, 12, 16, 48]);
  });

  it('is none without a clock', () => {
    assert.equal(lightOf(null, '2026-02-12'), 'none');
  });

  it('keeps its colour while the clock is stopped', () => {
    const clock = startClock(cal, 5, '2026-02-12');
    assert.equal(lightOf(stopClock(cal, clock, '2026-02-24'), '2026-03-30'), 'green');
    assert.equal(lightOf(stopClock(cal, clock, '2026-02-25'), '2026-03-30'), 'yellow');
    assert.equal(lightOf(stopClock(cal, clock, '2026-03-02'), '2026-03-30'), 'red');
  });
});

describe('stopping for correction (补正) and resuming', () => {
  // Accepted Monday 9 February 2026 with 10 working days: due Saturday 28 February, a
  // make-up workday.
  const accepted = startClock(cal, 10, '2026-02-09');

  it('banks the working days used and drops the dates', () => {
    assert.equal(accepted.dueDate, '2026-02-28');
    const stopped = stopClock(cal, accepted, '2026-02-11');
    assert.deepEqual(stopped, {
      promisedDays: 10,
      usedDays: 2, // 10 and 11 February: the day it stops counts
      runningSince: null,
      dueDate: null,
      warnDate: null,
      estimate: false,
    });
    assert.equal(workingDaysLeft(cal, stopped, '2026-03-20'), 8);
  });

  it('resumes after the holiday with the days that remain', () => {
    const stopped = stopClock(cal, accepted, '2026-02-11');
    const resumed = resumeClock(cal, stopped, '2026-02-25');
    assert.equal(resumed.runningSince, '2026-02-25');
    assert.equal(resumed.dueDate, '2026-03-06'); // 26, 27, 28 Feb, 2–6 Mar
    assert.equal(resumed.warnDate, '2026-03-04'); // 8 of 10 used: 6 after resuming
    assert.equal(resumed.usedDays + cal.workingDaysBetween('2026-02-25', '2026-03-06'), 10);
    assert.equal(lightOf(resumed, '2026-03-03'), 'green');
    assert.equal(lightOf(resumed, '2026-03-04'), 'yellow');
  });

  it('resumed during the holiday, counts from the first working day after it', () => {
    const stopped = stopClock(cal, accepted, '2026-02-11');
    assert.equal(resumeClock(cal, stopped, '2026-02-18').dueDate, '2026-03-04');
  });

  it('stopping and resuming on the same day changes nothing', () => {
    const clock = startClock(cal, 5, '2026-03-02');
    const again = resumeClock(cal, stopClock(cal, clock, '2026-03-04'), '2026-03-04');
    assert.equal(again.dueDate, clock.dueDate);
    assert.equal(again.warnDate, clock.warnDate);
  });

  it('an overdue clock stays red through a stop and a resume', () => {
    const clock = startClock(cal, 3, '2026-03-02');
    assert.equal(clock.dueDate, '2026-03-05');
    const stopped = stopClock(cal, clock, '2026-03-09');
    assert.equal(stopped.usedDays, 5);
    assert.equal(lightOf(stopped, '2026-03-10'), 'red');
    const resumed = resumeClock(cal, stopped, '2026-03-11');
    assert.equal(resumed.dueDate, '2026-03-09');
    assert.equal(lightOf(resumed, '2026-03-11'), 'red');
    assert.equal(workingDaysLeft(cal, resumed, '2026-03-11'), -2);
  });

  it('stop on a stopped clock and resume on a running one are no-ops', () => {
    const stopped = stopClock(cal, accepted, '2026-02-11');
    assert.equal(stopClock(cal, stopped, '2026-02-12'), stopped);
    assert.equal(resumeClock(cal, accepted, '2026-02-12'), accepted);
  });
});

describe('due dates in a year without official data', () => {
  it('are estimates until the year is loaded, then exact', () => {
    const clock = startClock(cal, 3, '2026-12-30');
    assert.equal(clock.dueDate, '2027-01-04'); // 31 Dec, 1 Jan (a workday to the package), 4 Jan
    assert.equal(clock.estimate, true);
    const refreshed = refreshClock(test2027Calendar(), clock);
    assert.equal(refreshed.dueDate, '2027-01-05');
    assert.equal(refreshed.estimate, false);
    assert.equal(refreshed.usedDays, 0);
    assert.equal(refreshed.runningSince, '2026-12-30');
  });

  it('the flag goes with the dates: a stopped clock has none', () => {
    const clock = startClock(cal, 3, '2026-12-30');
    assert.equal(stopClock(cal, clock, '2026-12-31').estimate, false);
    assert.equal(startClock(cal, 1, '2026-12-30').estimate, false);
  });
});
