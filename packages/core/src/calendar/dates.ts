/**
 * Calendar dates as 'YYYY-MM-DD' strings: local dates in China, with no time and no zone.
 * Arithmetic runs on day numbers (days since 1970-01-01) through UTC, so the host's time
 * zone never shifts a date.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** True for a real calendar date written 'YYYY-MM-DD' (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Days since 1970-01-01; throws a RangeError on anything that is not a real date. */
export function toDayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8))) / DAY_MS
  );
}

export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addCalendarDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDayNumber(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function isWeekend(date: string): boolean {
  const w = weekdayOfDayNumber(toDayNumber(date));
  return w === 0 || w === 6;
}

export function yearOfDate(date: string): number {
  return Number(date.slice(0, 4));
}

/** Today's date in China (UTC+8 all year: no daylight saving since 1991). */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
