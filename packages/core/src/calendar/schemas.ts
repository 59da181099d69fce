import { z } from 'zod';
import { bi } from '../bilingual.ts';
import { isIsoDate, isWeekend, yearOfDate } from './dates.ts';

/** The years the database accepts (calendar_year.year CHECK). */
export const CALENDAR_MIN_YEAR = 2000;
export const CALENDAR_MAX_YEAR = 2100;
/** More than any year's arrangement needs (2026: 33 holidays, 6 make-up workdays). */
export const CALENDAR_MAX_ENTRIES = 60;

export const calendarDateSchema = z
  .string()
  .refine(isIsoDate, bi('日期格式应为 YYYY-MM-DD 且真实存在', 'expected a real date as YYYY-MM-DD'))
  .describe('A date in China, YYYY-MM-DD');

export const calendarYearParam = z.coerce
  .number()
  .int()
  .min(CALENDAR_MIN_YEAR)
  .max(CALENDAR_MAX_YEAR)
  .describe(`Year, ${CALENDAR_MIN_YEAR}–${CALENDAR_MAX_YEAR}`);

export const calendarYearParams = z.strictObject({ year: calendarYearParam });

export const calendarSourceSchema = z
  .enum(['admin', 'package', 'none'])
  .describe(
    'admin: loaded by an administrator; package: the chinese-days package; none: no official data, weekends alone',
  );

export const calendarDayEntrySchema = z.strictObject({
  date: calendarDateSchema,
  name: z.string().trim().max(50).default('').describe('The festival, e.g. 春节'),
});
export type CalendarDayEntry = z.infer<typeof calendarDayEntrySchema>;

export const calendarYearBody = z.strictObject({
  source: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe('Where the arrangement comes from, e.g. 国务院办公厅关于2027年部分节假日安排的通知'),
  holidays: z
    .array(calendarDayEntrySchema)
    .min(1)
    .max(CALENDAR_MAX_ENTRIES)
    .describe('Statutory holidays and the days off around them (weekend days may be listed)'),
  workdays: z
    .array(calendarDayEntrySchema)
    .max(CALENDAR_MAX_ENTRIES)
    .describe('Make-up workdays (调休上班日): Saturdays or Sundays only'),
});
export type CalendarYearInput = z.infer<typeof calendarYearBody>;

export const workingDaysQuery = z.strictObject({
  from: calendarDateSchema.optional().describe('The day of acceptance; today in China if left out'),
  days: z.coerce.number().int().min(0).max(500).describe('Promised working days'),
});
export type WorkingDaysQuery = z.infer<typeof workingDaysQuery>;

export const calendarYearSummarySchema = z.object({
  year: z.number().int(),
  source: calendarSourceSchema,
  official: z.boolean().describe('false: due dates in this year are estimates (weekends alone)'),
  sourceNote: z.string().nullable().describe('The document an administrator cited'),
  loadedAt: z.string().nullable(),
  holidays: z.number().int(),
  workdays: z.number().int(),
});
export type CalendarYearSummary = z.infer<typeof calendarYearSummarySchema>;

export const calendarYearListSchema = z.object({
  today: z.string().describe('Today in China'),
  items: z.array(calendarYearSummarySchema),
});

export const calendarYearDetailSchema = calendarYearSummarySchema.extend({
  holidays: z.array(z.object({ date: z.string(), name: z.string() })),
  workdays: z.array(z.object({ date: z.string(), name: z.string() })),
});
export type CalendarYearDetail = z.infer<typeof calendarYearDetailSchema>;

export const workingDaysResultSchema = z.object({
  from: z.string(),
  days: z.number().int(),
  dueDate: z.string().describe('The days-th working day after from (from itself not counted)'),
  estimate: z.boolean(),
  yearsWithoutData: z.array(z.number().int()).describe('Years counted on weekends alone'),
});
export type WorkingDaysResult = z.infer<typeof workingDaysResultSchema>;

export interface CalendarFieldIssue {
  /** Relative to the body: 'workdays.2.date' */
  field: string;
  message: { zh: string; en: string };
}

/**
 * The checks a year's arrangement must pass beyond its shape, shared by the server and the
 * admin console's form: every date inside the year, no date twice, no date both a holiday
 * and a workday, make-up workdays on a Saturday or Sunday only. Holidays on a weekend are
 * allowed (the published spans list them).
 */
export function checkYearArrangement(
  year: number,
  input: { holidays: { date: string }[]; workdays: { date: string }[] },
): CalendarFieldIssue[] {
  const issues: CalendarFieldIssue[] = [];
  const holidayDates = new Set(input.holidays.map((h) => h.date));
  for (const list of ['holidays', 'workdays'] as const) {
    const seen = new Set<string>();
    input[list].forEach(({ date }, i) => {
      const message = problemWith(date, year, list, seen, holidayDates);
      if (message) issues.push({ field: `${list}.${i}.date`, message });
      seen.add(date);
    });
  }
  return issues;
}

function problemWith(
  date: string,
  year: number,
  list: 'holidays' | 'workdays',
  seen: Set<string>,
  holidayDates: Set<string>,
): { zh: string; en: string } | null {
  if (!isIsoDate(date)) return { zh: '日期无效', en: 'not a real date' };
  if (yearOfDate(date) !== year) {
    return { zh: `日期不在 ${year} 年内`, en: `the date is not in ${year}` };
  }
  if (seen.has(date)) return { zh: '日期重复', en: 'the date is listed twice' };
  if (list === 'holidays') return null;
  if (holidayDates.has(date)) {
    return {
      zh: '同一天不能既是假日又是调休上班日',
      en: 'a date cannot be both a holiday and a make-up workday',
    };
  }
  if (!isWeekend(date)) {
    return {
      zh: '调休上班日应为周六或周日',
      en: 'a make-up workday falls on a Saturday or Sunday',
    };
  }
  return null;
}
