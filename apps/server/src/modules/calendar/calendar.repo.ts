import type { CalendarDayKind } from '@yimen/core';
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
