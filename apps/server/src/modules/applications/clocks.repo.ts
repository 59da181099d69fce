import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/** A case's clock dates, which a calendar change may move: derived columns only. */
/**
 * The running clocks whose counted days meet the year, locked for the recompute: the days
 * between clock_running_since and the due date (the other way round when already overdue).
 */
export function lockRunningClocksMeeting(trx: Db, year: number) {
  const [first, last] = [`${year}-01-01`, `${year}-12-31`];
  return trx
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
}

export interface ClockDates {
  id: string;
  dueDate: string | null;
  warnDate: string | null;
  estimate: boolean;
}

/** New due and warn dates (and estimate flags) for several cases, in one statement. */
export async function setClockDates(trx: Db, clocks: ClockDates[]): Promise<void> {
  await sql`
    UPDATE application a
    SET due_date = u.due_date, warn_date = u.warn_date, due_is_estimate = u.estimate
    FROM unnest(${clocks.map((c) => c.id)}::uuid[], ${clocks.map((c) => c.dueDate)}::date[],
                ${clocks.map((c) => c.warnDate)}::date[], ${clocks.map((c) => c.estimate)}::boolean[])
      AS u(id, due_date, warn_date, estimate)
    WHERE a.id = u.id`.execute(trx);
}
