import type { WorkingCalendar } from './working-days.ts';

/**
 * A case's clock (办理时限), in working days. The server keeps it in the application's
 * columns under the same names: promised_days, working_days_used, clock_running_since,
 * due_date, warn_date, due_is_estimate.
 *
 * Running: `runningSince` is the day the clock (re)started, which is not itself counted
 * (see WorkingCalendar); `dueDate` is the last day of the limit and `warnDate` the day on
 * which 80% (rounded up) of the promised working days have passed.
 *
 * Stopped (补正 correction, 中止 suspension): `runningSince`, `dueDate` and `warnDate` are
 * null, because the due date depends on when the clock resumes; a null due date also keeps
 * a waiting case out of "overdue" lists. `usedDays` holds the working days consumed so far:
 * the day the clock stops counts as used, the day it resumes does not, so a stop and a
 * resume on the same day lose and gain nothing.
 */
export interface CaseClock {
  promisedDays: number;
  usedDays: number;
  runningSince: string | null;
  dueDate: string | null;
  warnDate: string | null;
  /** The due date crosses a year without official holidays: weekends alone were counted. */
  estimate: boolean;
}

export type ClockLight = 'green' | 'yellow' | 'red' | 'none';

/** Working days after which the light turns yellow: 80% of the promised days, rounded up. */
export function warnDaysOf(promisedDays: number): number {
  return Math.floor((promisedDays * 4 + 4) / 5); // ceil(0.8 p) without floating point
}

/**
 * Starts the clock on the day of acceptance (受理). The limit runs from the next working
 * day; 即办 items (promisedDays = 0) are due on the day itself.
 */
export function startClock(cal: WorkingCalendar, promisedDays: number, today: string): CaseClock {
  if (!Number.isInteger(promisedDays) || promisedDays < 0) {
    throw new RangeError(`promised days must be a whole number ≥ 0: ${promisedDays}`);
  }
  return schedule(cal, promisedDays, 0, today);
}

/** Stops a running clock, banking the working days used since it (re)started. */
export function stopClock(cal: WorkingCalendar, clock: CaseClock, today: string): CaseClock {
  if (clock.runningSince === null) return clock;
  return {
    promisedDays: clock.promisedDays,
    usedDays: clock.usedDays + cal.workingDaysBetween(clock.runningSince, today),
    runningSince: null,
    dueDate: null,
    warnDate: null,
    estimate: false,
  };
}

/**
 * Restarts a stopped clock with the days that remain, counted from the next working day.
 * A clock that was already overdue when it stopped gets a due date in the past, so it
 * stays red.
 */
export function resumeClock(cal: WorkingCalendar, clock: CaseClock, today: string): CaseClock {
  if (clock.runningSince !== null) return clock;
  return schedule(cal, clock.promisedDays, clock.usedDays, today);
}

/**
 * Recomputes a running clock's dates from its own state, for when the calendar changed
 * (an administrator loaded or removed a year). A stopped clock has no dates to recompute.
 */
export function refreshClock(cal: WorkingCalendar, clock: CaseClock): CaseClock {
  if (clock.runningSince === null) return clock;
  return schedule(cal, clock.promisedDays, clock.usedDays, clock.runningSince);
}

/**
 * The light shown with a case. Running: red once today is past the due date, yellow from
 * the warn date on, green before. Stopped: the light it had when it stopped, from the days
 * used (red when more working days were used than promised). No clock: 'none'.
 *
 * On a non-working day right after the due date a running clock is red while the same
 * clock stopped that day is yellow (it used exactly the promised working days); the
 * working-day count is the one that matters when it resumes.
 */
export function lightOf(clock: CaseClock | null, today: string): ClockLight {
  if (!clock) return 'none';
  if (clock.runningSince === null || clock.dueDate === null || clock.warnDate === null) {
    if (clock.usedDays > clock.promisedDays) return 'red';
    return clock.usedDays >= warnDaysOf(clock.promisedDays) ? 'yellow' : 'green';
  }
  if (today > clock.dueDate) return 'red';
  return today >= clock.warnDate ? 'yellow' : 'green';
}

/** Working days left today (negative once overdue); a stopped clock keeps its balance. */
export function workingDaysLeft(cal: WorkingCalendar, clock: CaseClock, today: string): number {
  const running = clock.runningSince ? cal.workingDaysBetween(clock.runningSince, today) : 0;
  return clock.promisedDays - clock.usedDays - running;
}

function schedule(
  cal: WorkingCalendar,
  promisedDays: number,
  usedDays: number,
  since: string,
): CaseClock {
  const due = cal.addWorkingDays(since, promisedDays - usedDays);
  const warn = cal.addWorkingDays(since, warnDaysOf(promisedDays) - usedDays);
  return {
    promisedDays,
    usedDays,
    runningSince: since,
    dueDate: due.date,
    warnDate: warn.date,
    estimate: due.estimate || warn.estimate,
  };
}
