import type { CalendarDayKind } from '@yimen/core';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

export interface CalendarYearRow {
  year: number;
  source: string;
  loaded_at: Date;
}

export interface CalendarDayRow {
  day: string;
  kind: CalendarDayKind;
  name: string;
}

const bounds = (year: number) => [`${year}-01-01`, `${year}-12-31`] as const;

export function listLoadedYears(db: Db): Promise<CalendarYearRow[]> {
  return db
    .selectFrom('calendar_year')
    .select(['year', 'source', 'loaded_at'])
    .orderBy('year')
    .execute();
}

/** Every loaded day. Days of a year not in calendar_year are ignored by the calendar. */
export function listLoadedDays(db: Db): Promise<CalendarDayRow[]> {
  return db.selectFrom('calendar_day').select(['day', 'kind', 'name']).orderBy('day').execute();
}

export function findYear(
  db: Db,
  year: number,
  opts: { forUpdate?: boolean } = {},
): Promise<CalendarYearRow | undefined> {
  let q = db
    .selectFrom('calendar_year')
    .select(['year', 'source', 'loaded_at'])
    .where('year', '=', year);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function listDaysOfYear(db: Db, year: number): Promise<CalendarDayRow[]> {
  const [first, last] = bounds(year);
  return db
    .selectFrom('calendar_day')
    .select(['day', 'kind', 'name'])
    .where('day', '>=', first)
    .where('day', '<=', last)
    .orderBy('day')
    .execute();
}

/**
 * Makes the year's arrangement the given one. The calendar_year row is written first: its
 * key serialises two administrators loading the same year at once.
 */
export async function replaceYear(
  trx: Db,
  year: number,
  input: { source: string; loadedBy: string; days: CalendarDayRow[] },
): Promise<void> {
  await trx
    .insertInto('calendar_year')
    .values({ year, source: input.source, loaded_by: input.loadedBy })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet({
        source: input.source,
        loaded_by: input.loadedBy,
        loaded_at: new Date(),
      }),
    )
    .execute();
  await deleteDaysOfYear(trx, year);
  if (input.days.length > 0) await trx.insertInto('calendar_day').values(input.days).execute();
}

/** Removes the year's arrangement; answers whether there was one. */
export async function deleteYear(trx: Db, year: number): Promise<boolean> {
  const deleted = await trx.deleteFrom('calendar_year').where('year', '=', year).executeTakeFirst();
  await deleteDaysOfYear(trx, year);
  return Number(deleted.numDeletedRows) > 0;
}

async function deleteDaysOfYear(trx: Db, year: number): Promise<void> {
  const [first, last] = bounds(year);
  await trx.deleteFrom('calendar_day').where('day', '>=', first).where('day', '<=', last).execute();
}

/**
 * The running clocks whose counted days meet the year, locked for the recompute: the days
 * between clock_running_since and the due date (the other way round when already overdue).
 * These are the case module's rows (application), read and written here because a year's
 * load recomputes them in its own transaction; only derived columns are ever written.
 */
export function lockRunningClocksMeeting(trx: Db, year: number) {
  const [first, last] = bounds(year);
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
