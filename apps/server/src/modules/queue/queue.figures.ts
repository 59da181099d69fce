import { type HallFigures, levelOfCode, type QueueStats, todayInChina } from '@yimen/core';
import { type SqlBool, sql } from 'kysely';
import {
  type Actor,
  hasPermission,
  inJurisdiction,
  jurisdictionOf,
  requirePermission,
} from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { likePrefix } from '../regions/regions.repo.ts';
import { requireRegion } from '../regions/regions.service.ts';
import { canManageAt, canServeAt, requirePoint } from './queue.access.ts';
import { queueToday } from './queue.clock.ts';
import { BUCKETS, exactFigures, histogramFigures } from './queue.histogram.ts';
import * as repo from './queue.repo.ts';

/**
 * The queue's figures. Waiting time runs from the first issue of the number to the call at
 * the window that served it (a transfer keeps the first issue time); serving time from
 * 开始办理 to 办结; both only for tickets served. `tickets` counts numbers taken (a transfer
 * is not a new ticket); for a window, the tickets it called.
 *
 * A day at one hall is computed exactly from its tickets (a few hundred rows at most). A
 * region over months reads only the monthly rollup, its percentiles estimated from summed
 * histograms (see queue.histogram.ts), so it stays fast over years of tickets.
 */

const seconds = (from: Date | null, to: Date | null) =>
  from && to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;

function figuresOf(rows: repo.TicketRow[], tickets: number) {
  const done = rows.filter((t) => t.status === 'done');
  return exactFigures(
    {
      tickets,
      served: done.length,
      noShow: rows.filter((t) => t.status === 'no_show').length,
    },
    done.map((t) => seconds(t.issued_at, t.called_at)!),
    done.map((t) => seconds(t.serving_started_at, t.finished_at)!),
  );
}

export async function dayFigures(
  db: Db,
  actor: Actor,
  q: { servicePoint: string; date?: string | undefined },
): Promise<HallFigures> {
  const point = await requirePoint(db, q.servicePoint);
  const allowed =
    canServeAt(actor, point) ||
    canManageAt(actor, point) ||
    (hasPermission(actor, 'stats.read') && inJurisdiction(actor, point.region_code));
  if (!allowed) {
    if (!inJurisdiction(actor, point.region_code))
      throw new AppError('SERVICE_POINT_NOT_FOUND', { code: point.code });
    throw new AppError('FORBIDDEN', { permission: 'stats.read' });
  }
  const date = q.date ?? queueToday();
  const rows = await db
    .selectFrom('queue_ticket')
    .selectAll()
    .where('service_point_id', '=', point.id)
    .where('day', '=', date)
    .execute();
  const groups = await repo.listGroups(db, point.id);
  const windows = await repo.listWindows(db, point.id);
  const original = (t: repo.TicketRow) => t.transferred_from === null;
  return {
    servicePoint: { code: point.code, name: point.name },
    date,
    totals: {
      ...figuresOf(rows, rows.filter(original).length),
      waitingNow: rows.filter((t) => t.status === 'waiting').length,
    },
    groups: groups
      .filter((g) => g.active || rows.some((t) => t.group_id === g.id))
      .map((g) => {
        const mine = rows.filter((t) => t.group_id === g.id);
        return {
          groupId: g.id,
          name: g.name,
          nameEn: g.name_en,
          prefix: g.prefix,
          ...figuresOf(mine, mine.filter(original).length),
          transferredIn: mine.filter((t) => !original(t)).length,
          transferredOut: mine.filter((t) => t.status === 'transferred').length,
        };
      }),
    windows: windows
      .filter((w) => w.active || rows.some((t) => t.window_id === w.id))
      .map((w) => {
        const mine = rows.filter((t) => t.window_id === w.id);
        return {
          windowId: w.id,
          name: w.name,
          ...figuresOf(mine, mine.length),
          transferredOut: mine.filter((t) => t.status === 'transferred').length,
        };
      }),
  };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** The next level down for drilling, as in /stats/overview: city → counties → townships. */
const CHILD_LENGTH: Record<string, number> = { province: 4, city: 6, county: 9 };

interface SumRow {
  key: string;
  tickets: number;
  served: number;
  no_show: number;
  wait_hist: number[];
  serve_hist: number[];
}

/**
 * Sums the rollup rows of a region and span by a key (a child region's code, a month):
 * counts by SUM, histograms element by element.
 */
async function sumsBy(db: Db, key: ReturnType<typeof sql>, span: ReturnType<typeof sql<SqlBool>>) {
  const rows = await sql<{
    key: string;
    tickets: number;
    served: number;
    no_show: number;
    wait_hist: number[];
    serve_hist: number[];
  }>`
    WITH r AS (SELECT ${key} AS key, * FROM queue_stats_monthly WHERE ${span}),
    counts AS (
      SELECT key, SUM(tickets)::int AS tickets, SUM(served)::int AS served, SUM(no_show)::int AS no_show
      FROM r GROUP BY key),
    waits AS (
      SELECT key, array_agg(n ORDER BY i) AS h FROM (
        SELECT key, u.i, SUM(u.n)::int AS n FROM r, unnest(r.wait_hist) WITH ORDINALITY AS u(n, i)
        GROUP BY key, u.i) x GROUP BY key),
    serves AS (
      SELECT key, array_agg(n ORDER BY i) AS h FROM (
        SELECT key, u.i, SUM(u.n)::int AS n FROM r, unnest(r.serve_hist) WITH ORDINALITY AS u(n, i)
        GROUP BY key, u.i) x GROUP BY key)
    SELECT c.key, c.tickets, c.served, c.no_show, w.h AS wait_hist, s.h AS serve_hist
    FROM counts c JOIN waits w ON w.key = c.key JOIN serves s ON s.key = c.key
    ORDER BY c.key`.execute(db);
  return rows.rows as SumRow[];
}

const toFigures = (r: SumRow | undefined) =>
  histogramFigures(
    { tickets: r?.tickets ?? 0, served: r?.served ?? 0, noShow: r?.no_show ?? 0 },
    r?.wait_hist ?? new Array(BUCKETS).fill(0),
    r?.serve_hist ?? new Array(BUCKETS).fill(0),
  );

/** GET /stats/queue: a region's queue figures over months, by child region and by month. */
export async function regionQueueStats(
  db: Db,
  actor: Actor,
  q: { region?: string | undefined; from?: string | undefined; to?: string | undefined },
): Promise<QueueStats> {
  requirePermission(actor, 'stats.read');
  const region = await requireRegion(db, q.region ?? jurisdictionOf(actor) ?? '4309');
  if (!inJurisdiction(actor, region.code))
    throw new AppError('REGION_NOT_FOUND', { code: region.code });
  const to = q.to ?? todayInChina().slice(0, 7);
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
  const [total] = await sumsBy(db, sql`'all'`, span);
  const childLen = CHILD_LENGTH[region.level];
  const children = childLen ? await sumsBy(db, sql`substr(region_code, 1, ${childLen})`, span) : [];
  const names = new Map(
    children.length
      ? (
          await db
            .selectFrom('region')
            .select(['code', 'name'])
            .where(
              'code',
              'in',
              children.map((c) => c.key),
            )
            .execute()
        ).map((r) => [r.code, r.name])
      : [],
  );
  const trend = await sumsBy(db, sql`to_char(month, 'YYYY-MM')`, span);
  return {
    region: { code: region.code, name: region.name, level: region.level },
    from,
    to,
    totals: toFigures(total),
    byChild: children.map((c) => ({
      code: c.key,
      name: names.get(c.key) ?? c.key,
      level: levelOfCode(c.key) ?? 'unknown',
      ...toFigures(c),
    })),
    trend: trend.map((t) => ({ month: t.key, ...toFigures(t) })),
  };
}
