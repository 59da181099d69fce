import type { ClockEffect } from '@yimen/core';
import {
  type CaseClock,
  lightOf,
  resumeClock,
  startClock,
  stopClock,
  todayInChina,
  type WorkingCalendar,
} from '@yimen/core';
import type { ApplicationRow } from './applications.repo.ts';

/** The columns of a case's clock. */
type ClockColumns = Pick<
  ApplicationRow,
  | 'promised_days'
  | 'working_days_used'
  | 'clock_running_since'
  | 'due_date'
  | 'warn_date'
  | 'due_is_estimate'
>;

/** The case's clock columns as the core clock object, and back. */
export function clockOf(app: ClockColumns): CaseClock {
  return {
    promisedDays: app.promised_days,
    usedDays: app.working_days_used,
    runningSince: app.clock_running_since,
    dueDate: app.due_date,
    warnDate: app.warn_date,
    estimate: app.due_is_estimate,
  };
}

export function clockColumns(c: CaseClock) {
  return {
    working_days_used: c.usedDays,
    clock_running_since: c.runningSince,
    due_date: c.dueDate,
    warn_date: c.warnDate,
    due_is_estimate: c.estimate,
  };
}

/** Applies a step's effect on the clock: start at acceptance, stop and resume, finish. */
export function applyClock(
  cal: WorkingCalendar,
  app: ApplicationRow,
  effect: ClockEffect | undefined,
  today = todayInChina(),
) {
  const clock = clockOf(app);
  switch (effect) {
    case 'start':
      return clockColumns(startClock(cal, app.promised_days, today));
    case 'stop':
      return clock.runningSince ? clockColumns(stopClock(cal, clock, today)) : null;
    case 'resume':
      return app.accepted_at && !clock.runningSince
        ? clockColumns(resumeClock(cal, clock, today))
        : null;
    case 'finish':
      return clock.runningSince ? clockColumns({ ...stopClock(cal, clock, today) }) : null;
    default:
      return null;
  }
}

export function lightFor(app: ClockColumns, today = todayInChina()) {
  if (!app.clock_running_since) return 'none' as const;
  return lightOf(clockOf(app), today);
}
