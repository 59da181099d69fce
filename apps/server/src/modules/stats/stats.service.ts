import { levelOfCode, todayInChina } from '@yimen/core';
import { type SqlBool, sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import { type Actor, inJurisdiction, jurisdictionOf, requirePermission } from '../../auth/actor.ts';
import { AppError } from '../../errors.ts';
import { likePrefix } from '../regions/regions.repo.ts';
import { requireRegion } from '../regions/regions.service.ts';

const CHILD_LENGTH: Record<string, number> = { province: 4, city: 6, county: 9 };
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const sums = sql`
  COALESCE(SUM(submitted),0)::int AS submitted, COALESCE(SUM(accepted),0)::int AS accepted,
  COALESCE(SUM(concluded),0)::int AS concluded, COALESCE(SUM(approved),0)::int AS approved,
  COALESCE(SUM(denied),0)::int AS denied, COALESCE(SUM(refused),0)::int AS refused,
  COALESCE(SUM(withdrawn),0)::int AS withdrawn, COALESCE(SUM(on_time),0)::int AS on_time,
  COALESCE(SUM(late),0)::int AS late, COALESCE(SUM(cross_region),0)::int AS cross_region,
  COALESCE(SUM(rating_1),0)::int AS r1, COALESCE(SUM(rating_2),0)::int AS r2,
  COALESCE(SUM(rating_3),0)::int AS r3, COALESCE(SUM(rating_4),0)::int AS r4,
  COALESCE(SUM(rating_5),0)::int AS r5`;

interface Sums {
  submitted: number;
  accepted: number;
  concluded: number;
  approved: number;
  denied: number;
  refused: number;
  withdrawn: number;
  on_time: number;
  late: number;
  cross_region: number;
  r1: number;
  r2: number;
  r3: number;
  r4: number;
  r5: number;
}

const rate = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;

function figures(s: Sums) {
  const ratings = s.r1 + s.r2 + s.r3 + s.r4 + s.r5;
  return {
    submitted: s.submitted,
    accepted: s.accepted,
    concluded: s.concluded,
    approved: s.approved,
    denied: s.denied,
    refused: s.refused,
    withdrawn: s.withdrawn,
    crossRegion: s.cross_region,
    onTime: s.on_time,
    late: s.late,
    onTimeRate: rate(s.on_time, s.on_time + s.late),
    ratings: {
      count: ratings,
      distribution: { 5: s.r5, 4: s.r4, 3: s.r3, 2: s.r2, 1: s.r1 },
      average:
        ratings === 0
          ? null
          : Math.round(((5 * s.r5 + 4 * s.r4 + 3 * s.r3 + 2 * s.r2 + s.r1) / ratings) * 100) / 100,
      satisfiedRate: rate(s.r5 + s.r4 + s.r3, ratings),
    },
  };
}

export interface OverviewQuery {
  region?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * The leader's figures for a region and a span of months, with the next level down for
 * drilling (city → county → township), the items most asked for, the monthly trend, and
 * what is open and late now. Sums the monthly rollups; counts only open cases live.
 */
export async function overview(ctx: AppContext, actor: Actor, q: OverviewQuery) {
  requirePermission(actor, 'stats.read');
  const db = ctx.database.db;
  const regionCode = q.region ?? jurisdictionOf(actor) ?? '4309';
  const region = await requireRegion(db, regionCode);
  if (!inJurisdiction(actor, region.code))
    throw new AppError('REGION_NOT_FOUND', { code: region.code });
  const today = todayInChina();
  const to = q.to ?? today.slice(0, 7);
  const from = q.from ?? `${Number(to.slice(0, 4)) - 1}-${to.slice(5, 7)}`;
  for (const [field, v] of [
    ['query.from', from],
    ['query.to', to],
  ] as const) {
    if (!MONTH.test(v))
      throw new AppError('VALIDATION_FAILED', {}, [
        { field, message: { zh: '月份格式为 YYYY-MM', en: 'a month is YYYY-MM' } },
      ]);
  }
  const span = sql<SqlBool>`region_code LIKE ${likePrefix(region.code)} AND month BETWEEN ${`${from}-01`}::date AND ${`${to}-01`}::date`;
  const totals = await sql<Sums>`SELECT ${sums} FROM stats_monthly WHERE ${span}`.execute(db);
  const childLen = CHILD_LENGTH[region.level];
  const byChild = childLen
    ? await sql<Sums & { code: string; name: string | null }>`
        SELECT substr(s.region_code, 1, ${childLen}) AS code, MIN(r.name) AS name, ${sums}
        FROM stats_monthly s LEFT JOIN region r ON r.code = substr(s.region_code, 1, ${childLen})
        WHERE ${span} GROUP BY 1 ORDER BY 1`.execute(db)
    : { rows: [] };
  const byItem = await sql<Sums & { item_code: string; name: string | null }>`
    SELECT s.item_code, MIN(i.name) AS name, ${sums}
    FROM stats_monthly s LEFT JOIN catalog_item i ON i.code = s.item_code
    WHERE ${span} GROUP BY s.item_code ORDER BY SUM(s.submitted) DESC, s.item_code LIMIT 20`.execute(
    db,
  );
  const trend = await sql<Sums & { month: string }>`
    SELECT to_char(month, 'YYYY-MM') AS month, ${sums} FROM stats_monthly WHERE ${span} GROUP BY month ORDER BY month`.execute(
    db,
  );
  const open = await sql<{ overdue: number; running: number }>`
    SELECT COUNT(*) FILTER (WHERE due_date < ${today})::int AS overdue, COUNT(*)::int AS running
    FROM application WHERE clock_running_since IS NOT NULL AND deciding_region LIKE ${likePrefix(region.code)}`.execute(
    db,
  );
  const followUps = await sql<{ open: number; overdue: number }>`
    SELECT COUNT(*)::int AS open, COUNT(*) FILTER (WHERE f.due_date < ${today})::int AS overdue
    FROM follow_up f JOIN service_point sp ON sp.id = f.service_point_id
    WHERE f.status = 'open' AND sp.region_code LIKE ${likePrefix(region.code)}`.execute(db);
  return {
    region: { code: region.code, name: region.name, level: region.level },
    from,
    to,
    totals: figures(totals.rows[0]!),
    open: { running: open.rows[0]?.running ?? 0, overdue: open.rows[0]?.overdue ?? 0 },
    followUps: { open: followUps.rows[0]?.open ?? 0, overdue: followUps.rows[0]?.overdue ?? 0 },
    byChild: byChild.rows.map((r) => ({
      code: r.code,
      name: r.name ?? r.code,
      level: levelOfCode(r.code) ?? null,
      ...figures(r),
    })),
    byItem: byItem.rows.map((r) => ({
      itemCode: r.item_code,
      name: r.name ?? r.item_code,
      ...figures(r),
    })),
    trend: trend.rows.map((r) => ({ month: r.month, ...figures(r) })),
  };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The same figures as CSV: one row per child region, item and month, for spreadsheets. */
export function overviewCsv(o: Awaited<ReturnType<typeof overview>>): string {
  const head = [
    'section',
    'code',
    'name',
    'submitted',
    'accepted',
    'concluded',
    'approved',
    'denied',
    'refused',
    'withdrawn',
    'on_time_rate',
    'ratings',
    'rating_average',
  ];
  const line = (section: string, code: string, name: string, f: ReturnType<typeof figures>) =>
    [
      section,
      code,
      name,
      f.submitted,
      f.accepted,
      f.concluded,
      f.approved,
      f.denied,
      f.refused,
      f.withdrawn,
      f.onTimeRate,
      f.ratings.count,
      f.ratings.average,
    ]
      .map(csvCell)
      .join(',');
  return [
    head.join(','),
    line('total', o.region.code, o.region.name, o.totals),
    ...o.byChild.map((c) => line('region', c.code, c.name, c)),
    ...o.byItem.map((i) => line('item', i.itemCode, i.name, i)),
    ...o.trend.map((t) => line('month', t.month, t.month, t)),
  ].join('\n');
}
