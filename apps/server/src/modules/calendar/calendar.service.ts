import {
  addCalendarDays,
  type CalendarDayKind,
  type CalendarYearDetail,
  type CalendarYearInput,
  type CalendarYearSummary,
  checkYearArrangement,
  packageYear,
  todayInChina,
  WorkingCalendar,
  type WorkingDaysQuery,
  type WorkingDaysResult,
  yearOfDate,
} from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import { type Actor, type RequestMeta, requirePermission } from '../../auth/actor.ts';
import type { Database, Db } from '../../db/connection.ts';
import { afterCommit } from '../../db/unit-of-work.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './calendar.repo.ts';

/** What the database holds, and the calendar built from it. */
interface CalendarSnapshot {
  years: repo.CalendarYearRow[];
  days: repo.CalendarDayRow[];
  calendar: WorkingCalendar;
}

// The cache lives in this process. A write here bumps `version`, so this process sees the
// change at once; other processes serving the same database do not hear of it and keep
// their copy until it is TTL_MS old. Good enough for a calendar that changes once a year;
// several processes that must agree at once would need NOTIFY or a version row.
const TTL_MS = 60_000;
let version = 0;
const cache = new WeakMap<Database, { version: number; at: number; snapshot: CalendarSnapshot }>();

async function snapshot(ctx: AppContext, db: Db = ctx.database.db): Promise<CalendarSnapshot> {
  const hit = cache.get(ctx.database);
  if (hit && hit.version === version && Date.now() - hit.at < TTL_MS) return hit.snapshot;
  const loadingVersion = version;
  const fresh = await readSnapshot(db);
  // A write that committed while we read leaves this copy tagged with the older version.
  cache.set(ctx.database, { version: loadingVersion, at: Date.now(), snapshot: fresh });
  return fresh;
}

async function readSnapshot(db: Db): Promise<CalendarSnapshot> {
  const [years, days] = await Promise.all([repo.listLoadedYears(db), repo.listLoadedDays(db)]);
  const calendar = new WorkingCalendar({
    years: new Set(years.map((y) => y.year)),
    days: new Map(days.map((d) => [d.day, d.kind])),
  });
  return { years, days, calendar };
}

/**
 * The working calendar in force: the years an administrator loaded, the chinese-days
 * package for the others it knows, weekends alone beyond. Inside a transaction pass its
 * `trx`: on PGlite a query on the outer handle would wait for the transaction forever.
 */
export async function getCalendar(ctx: AppContext, db?: Db): Promise<WorkingCalendar> {
  return (await snapshot(ctx, db)).calendar;
}

function requireCalendarAdmin(actor: Actor): void {
  requirePermission(actor, 'catalog.manage');
  if (!actor.roles.includes('system_admin') && !actor.roles.includes('city_admin')) {
    throw new AppError('FORBIDDEN', { permission: 'calendar (city_admin, system_admin)' });
  }
}

function describeYear(snap: CalendarSnapshot, year: number): CalendarYearDetail {
  const source = snap.calendar.sourceOf(year);
  const base = { year, source, official: source !== 'none' };
  if (source === 'admin') {
    const row = snap.years.find((y) => y.year === year);
    const prefix = `${year}-`;
    const pick = (kind: CalendarDayKind) =>
      snap.days
        .filter((d) => d.kind === kind && d.day.startsWith(prefix))
        .map((d) => ({ date: d.day, name: d.name }));
    return {
      ...base,
      sourceNote: row?.source ?? null,
      loadedAt: row ? new Date(row.loaded_at).toISOString() : null,
      holidays: pick('holiday'),
      workdays: pick('workday'),
    };
  }
  const pkg = source === 'package' ? packageYear(year) : null;
  return {
    ...base,
    sourceNote: pkg ? 'chinese-days' : null,
    loadedAt: null,
    holidays: pkg?.holidays ?? [],
    workdays: pkg?.workdays ?? [],
  };
}

function summarize(detail: CalendarYearDetail): CalendarYearSummary {
  return { ...detail, holidays: detail.holidays.length, workdays: detail.workdays.length };
}

/** Last year to the year after next: what the admin console needs to see coming. */
export async function listCalendarYears(ctx: AppContext, now = new Date()) {
  const snap = await snapshot(ctx);
  const today = todayInChina(now);
  const current = yearOfDate(today);
  const items = [current - 1, current, current + 1, current + 2].map((y) =>
    summarize(describeYear(snap, y)),
  );
  return { today, items };
}

export async function getCalendarYear(ctx: AppContext, year: number): Promise<CalendarYearDetail> {
  return describeYear(await snapshot(ctx), year);
}

/**
 * Loads a year's official holidays and make-up workdays (replacing any loaded before),
 * recomputes the running clocks that cross the year, and writes `calendar.year.load`.
 */
export async function loadCalendarYear(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  year: number,
  input: CalendarYearInput,
): Promise<CalendarYearDetail> {
  requireCalendarAdmin(actor);
  const issues = checkYearArrangement(year, input);
  if (issues.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      issues.map((i) => ({ field: `body.${i.field}`, message: i.message })),
    );
  }
  const days: repo.CalendarDayRow[] = [
    ...input.holidays.map((h) => ({ day: h.date, kind: 'holiday' as const, name: h.name })),
    ...input.workdays.map((w) => ({ day: w.date, kind: 'workday' as const, name: w.name })),
  ];
  const before = await yearCounts(trx, year, { forUpdate: true });
  await repo.replaceYear(trx, year, { source: input.source, loadedBy: actor.userId, days });
  const after = await readSnapshot(trx);
  const clocksRecomputed = await ctx.cases.refreshClocks(trx, after.calendar, year);
  await recordAudit(trx, {
    actor,
    meta,
    action: 'calendar.year.load',
    targetType: 'calendar_year',
    targetId: String(year),
    before,
    after: {
      source: input.source,
      holidays: input.holidays.length,
      workdays: input.workdays.length,
      clocksRecomputed,
    },
  });
  forgetCachedCalendars(trx);
  return describeYear(after, year);
}

/** Removes a loaded year: the package (or weekends alone) applies to it again. */
export async function unloadCalendarYear(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  year: number,
): Promise<CalendarYearDetail> {
  requireCalendarAdmin(actor);
  const before = await yearCounts(trx, year, { forUpdate: true });
  if (!before) throw new AppError('CALENDAR_YEAR_NOT_LOADED', { year });
  await repo.deleteYear(trx, year);
  const after = await readSnapshot(trx);
  const clocksRecomputed = await ctx.cases.refreshClocks(trx, after.calendar, year);
  const now = describeYear(after, year);
  await recordAudit(trx, {
    actor,
    meta,
    action: 'calendar.year.unload',
    targetType: 'calendar_year',
    targetId: String(year),
    before,
    after: { source: now.source, clocksRecomputed },
  });
  forgetCachedCalendars(trx);
  return now;
}

/** After the commit, so no reader caches the old data under the new version. */
function forgetCachedCalendars(trx: Db): void {
  afterCommit(trx, () => {
    version++;
  });
}

async function yearCounts(trx: Db, year: number, opts: { forUpdate?: boolean } = {}) {
  const row = await repo.findYear(trx, year, opts);
  if (!row) return null;
  const days = await repo.listDaysOfYear(trx, year);
  return {
    source: row.source,
    holidays: days.filter((d) => d.kind === 'holiday').length,
    workdays: days.filter((d) => d.kind === 'workday').length,
  };
}

/** The due date for `days` working days from `from` (default: today in China). */
export async function computeWorkingDays(
  ctx: AppContext,
  query: WorkingDaysQuery,
  now = new Date(),
): Promise<WorkingDaysResult> {
  const cal = await getCalendar(ctx);
  const from = query.from ?? todayInChina(now);
  const due = cal.addWorkingDays(from, query.days);
  const yearsWithoutData: number[] = [];
  if (query.days > 0) {
    for (let y = yearOfDate(addCalendarDays(from, 1)); y <= yearOfDate(due.date); y++) {
      if (!cal.hasOfficialData(y)) yearsWithoutData.push(y);
    }
  }
  return { from, days: query.days, dueDate: due.date, estimate: due.estimate, yearsWithoutData };
}
