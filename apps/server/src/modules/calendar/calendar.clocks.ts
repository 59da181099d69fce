import { refreshClock, type WorkingCalendar } from '@yimen/core';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

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
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const rows = await trx
    .selectFrom('application')
    .select([
      'id',
      'promised_days',
      'working_days_used',
      'clock_running_since',
      'due_date',
      'warn_date',
      'due_is_estimate',
    ])
    .where('clock_running_since', 'is not', null)
    .where(sql<boolean>`least(clock_running_since, due_date, warn_date) <= ${last}::date`)
    .where(sql<boolean>`greatest(clock_running_since, due_date) >= ${first}::date`)
    .orderBy('id')
    .forUpdate()
    .execute();
  const ids: string[] = [];
  const due: (string | null)[] = [];
  const warn: (string | null)[] = [];
  const estimate: boolean[] = [];
  for (const row of rows) {
    const next = refreshClock(cal, {
      promisedDays: row.promised_days,
      usedDays: row.working_days_used,
      runningSince: row.clock_running_since,
      dueDate: row.due_date,
      warnDate: row.warn_date,
      estimate: row.due_is_estimate,
    });
    if (
      next.dueDate === row.due_date &&
      next.warnDate === row.warn_date &&
      next.estimate === row.due_is_estimate
    ) {
      continue;
    }
    ids.push(row.id);
    due.push(next.dueDate);
    warn.push(next.warnDate);
    estimate.push(next.estimate);
  }
  if (ids.length === 0) return 0;
  await sql`
    UPDATE application a
    SET due_date = u.due_date, warn_date = u.warn_date, due_is_estimate = u.estimate
    FROM unnest(${ids}::uuid[], ${due}::date[], ${warn}::date[], ${estimate}::boolean[])
      AS u(id, due_date, warn_date, estimate)
    WHERE a.id = u.id`.execute(trx);
  return ids.length;
}
