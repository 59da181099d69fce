import { refreshClock, type WorkingCalendar } from '@yimen/core';
import type { Db } from '../../db/connection.ts';
import { type ClockDates, lockRunningClocksMeeting, setClockDates } from './clocks.repo.ts';

/**
 * When an administrator loads or removes a year, the running clocks whose counted days
 * touch that year get their due and warn dates (and the estimate flag) recomputed from
 * their own state, in the same transaction, so a case that said "estimate" stops saying so
 * once the official 2027 arrangement is in. Stopped clocks have no dates to recompute.
 *
 * A running clock counts the days between clock_running_since and its due date (the other
 * way round when it was already overdue), so those are the rows whose span meets the year.
 * This changes derived columns only: the case's state, version and action log are untouched.
 */
export async function refreshRunningClocks(
  trx: Db,
  cal: WorkingCalendar,
  year: number,
): Promise<number> {
  const changed: ClockDates[] = [];
  for (const row of await lockRunningClocksMeeting(trx, year)) {
    const next = refreshClock(cal, {
      promisedDays: row.promised_days,
      usedDays: row.working_days_used,
      runningSince: row.clock_running_since,
      dueDate: row.due_date,
      warnDate: row.warn_date,
      estimate: row.due_is_estimate,
    });
    if (
      next.dueDate !== row.due_date ||
      next.warnDate !== row.warn_date ||
      next.estimate !== row.due_is_estimate
    ) {
      const { dueDate, warnDate, estimate } = next;
      changed.push({ id: row.id, dueDate, warnDate, estimate });
    }
  }
  if (changed.length > 0) await setClockDates(trx, changed);
  return changed.length;
}
