import { levelOfCode, todayInChina } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import { type Actor, inJurisdiction, jurisdictionOf, requirePermission } from '../../auth/actor.ts';
import { AppError } from '../../errors.ts';
import { regionNames } from '../regions/regions.repo.ts';
import { getRegion } from '../regions/regions.service.ts';
import * as repo from './stats.repo.ts';

const CHILD_LENGTH: Record<string, number> = { province: 4, city: 6, county: 9 };
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const TOP_ITEMS = 20;

const rate = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;

function figures(s: repo.Sums) {
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

const NO_SUMS: repo.Sums = {
  submitted: 0,
  accepted: 0,
  concluded: 0,
  approved: 0,
  denied: 0,
  refused: 0,
  withdrawn: 0,
  on_time: 0,
  late: 0,
  cross_region: 0,
  r1: 0,
  r2: 0,
  r3: 0,
  r4: 0,
  r5: 0,
};

interface Open {
  open: { running: number; overdue: number };
  followUps: { open: number; overdue: number };
}
const noOpen = (): Open => ({
  open: { running: 0, overdue: 0 },
  followUps: { open: 0, overdue: 0 },
});

function addOpen(to: Open, row: repo.OpenRow): void {
  if (row.kind === 'case') {
    to.open.running += row.open;
    to.open.overdue += row.overdue;
  } else {
    to.followUps.open += row.open;
    to.followUps.overdue += row.overdue;
  }
}

export interface OverviewQuery {
  region?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * The months a figures request covers: `YYYY-MM` to `YYYY-MM`, the twelve months to this one
 * by default; a malformed month or a span that runs backwards is refused, naming the field.
 */
export function monthSpan(
  q: { from?: string | undefined; to?: string | undefined },
  today: string,
): { from: string; to: string } {
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
  if (from > to)
    throw new AppError('VALIDATION_FAILED', {}, [
      {
        field: 'query.from',
        message: { zh: '起始月份不能晚于结束月份', en: 'the first month comes after the last' },
      },
    ]);
  return { from, to };
}

/**
 * The leader's figures for a region and a span of months, with the next level down for
 * drilling (city → county → township), the items most asked for, the monthly trend, and
 * what is open and late now. Every figure is a sum of rollups kept in step with the cases
 * (stats.repo.ts), so the answer costs the same at a thousand cases as at ten million.
 */
export async function overview(ctx: AppContext, actor: Actor, q: OverviewQuery) {
  requirePermission(actor, 'stats.read');
  const db = ctx.database.db;
  const region = await getRegion(db, q.region ?? jurisdictionOf(actor) ?? '4309');
  if (!inJurisdiction(actor, region.code))
    throw new AppError('REGION_NOT_FOUND', { code: region.code });
  const today = todayInChina();
  const { from, to } = monthSpan(q, today);
  const span = { code: region.code, from, to };
  const childLen = CHILD_LENGTH[region.level];
  const [totals, children, items, months, openRows] = [
    await repo.totals(db, span),
    childLen ? await repo.byChild(db, span, childLen) : [],
    await repo.topItems(db, span, TOP_ITEMS),
    await repo.trend(db, span),
    await repo.openCounts(db, region.code, today),
  ];

  // What is open now is counted where it is decided (or followed up), which may be a child
  // with no monthly figures in the span: such children are listed too, with zeros.
  const open = noOpen();
  const openByChild = new Map<string, Open>();
  for (const row of openRows) {
    addOpen(open, row);
    if (!childLen || row.region_code.length < childLen) continue;
    const code = row.region_code.slice(0, childLen);
    const o = openByChild.get(code) ?? noOpen();
    addOpen(o, row);
    openByChild.set(code, o);
  }
  const listed = new Set(children.map((c) => c.code));
  const extra = [...openByChild.keys()].filter((c) => !listed.has(c));
  const names = await regionNames(db, extra);
  const allChildren = [
    ...children,
    ...extra.map((code) => ({ ...NO_SUMS, code, name: names.get(code) ?? null })),
  ].sort((a, b) => a.code.localeCompare(b.code));

  return {
    region: { code: region.code, name: region.name, level: region.level },
    // From the top of one's jurisdiction down to the region: the breadcrumb.
    path: region.path.filter((p) => inJurisdiction(actor, p.code)),
    from,
    to,
    totals: figures(totals),
    ...open,
    byChild: allChildren.map((r) => ({
      code: r.code,
      name: r.name ?? r.code,
      level: levelOfCode(r.code) ?? null,
      ...figures(r),
      ...(openByChild.get(r.code) ?? noOpen()),
    })),
    byItem: items.map((r) => ({
      itemCode: r.item_code,
      name: r.name ?? r.item_code,
      ...figures(r),
    })),
    trend: months.map((r) => ({ month: r.month, ...figures(r) })),
  };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

type Overview = Awaited<ReturnType<typeof overview>>;
type Figures = ReturnType<typeof figures>;

/** The same figures as CSV: one row per child region, item and month, for spreadsheets. */
export function overviewCsv(o: Overview): string {
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
    'on_time',
    'late',
    'satisfied_rate',
    'open_running',
    'open_overdue',
    'follow_ups_open',
    'follow_ups_overdue',
  ];
  const line = (section: string, code: string, name: string, f: Figures, open?: Open) =>
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
      f.onTime,
      f.late,
      f.ratings.satisfiedRate,
      open?.open.running,
      open?.open.overdue,
      open?.followUps.open,
      open?.followUps.overdue,
    ]
      .map(csvCell)
      .join(',');
  return [
    head.join(','),
    line('total', o.region.code, o.region.name, o.totals, o),
    ...o.byChild.map((c) => line('region', c.code, c.name, c, c)),
    ...o.byItem.map((i) => line('item', i.itemCode, i.name, i)),
    ...o.trend.map((t) => line('month', t.month, t.month, t)),
  ].join('\n');
}
