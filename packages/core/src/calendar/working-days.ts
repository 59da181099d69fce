import { fromDayNumber, toDayNumber, weekdayOfDayNumber } from './dates.ts';
import { packageYear } from './package-data.ts';

export type CalendarDayKind = 'holiday' | 'workday';

/** Where a year's holidays come from: an administrator, the chinese-days package, or nowhere. */
export type CalendarSource = 'admin' | 'package' | 'none';

/**
 * Holidays and make-up workdays an administrator has loaded. A year in `years` is defined
 * by these days plus the weekend rule alone: the package is not consulted for it, so a
 * correction to a published arrangement replaces the package's version outright. Days of
 * years not in `years` are ignored.
 */
export interface CalendarOverrides {
  years: Set<number>;
  days: Map<string, CalendarDayKind>;
}

export interface DueDate {
  date: string;
  /** True when a year crossed has no official data: its days were counted on weekends alone. */
  estimate: boolean;
}

/** Far beyond any promised time limit; a guard against runaway loops, not a business rule. */
const MAX_WORKING_DAYS = 10_000;

/**
 * Working days (工作日) by the official calendar: Monday to Friday, minus the statutory
 * holidays, plus the make-up Saturdays and Sundays (调休上班日).
 *
 * Counting convention, as in Chinese law and practice: the day a time limit starts is not
 * counted and the count begins with the next working day (民法典第二百零一条: 开始的当日不计入,
 * 自下一日开始计算; 行政许可法第八十二条: 期限以工作日计算, 不含法定节假日). A case accepted
 * (受理) on day D with a limit of n working days is due on the n-th working day after D,
 * whether or not D itself is a working day (a village station may accept on a Saturday).
 * So `addWorkingDays(D, n)` never counts D, and `workingDaysBetween(D, x)` counts the half-open
 * interval (D, x]: the two are inverse, `workingDaysBetween(D, addWorkingDays(D, n).date) === n`.
 */
export class WorkingCalendar {
  readonly #overrides: CalendarOverrides;

  constructor(overrides: CalendarOverrides = { years: new Set(), days: new Map() }) {
    this.#overrides = overrides;
  }

  sourceOf(year: number): CalendarSource {
    if (this.#overrides.years.has(year)) return 'admin';
    return packageYear(year) ? 'package' : 'none';
  }

  /** Whether the year's official holidays are known (loaded by an admin or in the package). */
  hasOfficialData(year: number): boolean {
    return this.sourceOf(year) !== 'none';
  }

  /** The years an administrator has loaded, ascending. */
  adminYears(): number[] {
    return [...this.#overrides.years].sort((a, b) => a - b);
  }

  isWorkingDay(date: string): boolean {
    return this.#isWorkingDayNumber(toDayNumber(date));
  }

  /**
   * The n-th working day after `start` (start not counted); n = 0 answers `start` itself.
   * A negative n answers the |n|-th working day before `start`, which the case clock uses to
   * place the due date of a clock that was already overdue when it stopped.
   */
  addWorkingDays(start: string, n: number): DueDate {
    if (!Number.isInteger(n) || Math.abs(n) > MAX_WORKING_DAYS) {
      throw new RangeError(`working days must be an integer within ±${MAX_WORKING_DAYS}: ${n}`);
    }
    let day = toDayNumber(start);
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    let estimate = false;
    let checkedYear = Number.NaN;
    while (left > 0) {
      day += step;
      const year = yearOfDayNumber(day);
      if (year !== checkedYear) {
        checkedYear = year;
        if (!this.hasOfficialData(year)) estimate = true;
      }
      if (this.#isWorkingDayNumber(day)) left--;
    }
    return { date: fromDayNumber(day), estimate };
  }

  /** Working days in the half-open interval (from, to]; 0 when `to` is not after `from`. */
  workingDaysBetween(from: string, to: string): number {
    const end = toDayNumber(to);
    let count = 0;
    for (let day = toDayNumber(from) + 1; day <= end; day++) {
      if (this.#isWorkingDayNumber(day)) count++;
    }
    return count;
  }

  #isWorkingDayNumber(day: number): boolean {
    const date = fromDayNumber(day);
    const year = Number(date.slice(0, 4));
    const special = this.#overrides.years.has(year)
      ? this.#overrides.days.get(date)
      : packageYear(year)?.kinds.get(date);
    if (special) return special === 'workday';
    const weekday = weekdayOfDayNumber(day);
    return weekday !== 0 && weekday !== 6;
  }
}

function yearOfDayNumber(day: number): number {
  return Number(fromDayNumber(day).slice(0, 4));
}
