import { addCalendarDays } from './dates.ts';
import { type CalendarDayKind, WorkingCalendar } from './working-days.ts';

/** For tests only; not exported from the package. */

/**
 * TEST DATA, not an official arrangement: a plausible 2027 (元旦 1–3 January, 春节 5–13
 * February with a make-up Saturday on 20 February), standing in for what an administrator
 * loads once the State Council publishes the real one.
 */
export function test2027Calendar(): WorkingCalendar {
  const days = new Map<string, CalendarDayKind>();
  for (const d of ['2027-01-01', '2027-01-02', '2027-01-03']) days.set(d, 'holiday');
  for (let d = '2027-02-05'; d <= '2027-02-13'; d = addCalendarDays(d, 1)) days.set(d, 'holiday');
  days.set('2027-02-20', 'workday');
  return new WorkingCalendar({ years: new Set([2027]), days });
}
