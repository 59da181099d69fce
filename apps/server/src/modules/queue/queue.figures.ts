import { type HallFigures, levelOfCode, type QueueStats, todayInChina } from '@yimen/core';
import { type Actor, inJurisdiction, jurisdictionOf, requirePermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { findRegions } from '../regions/regions.repo.ts';
import { requireRegion } from '../regions/regions.service.ts';
import { monthSpan } from '../stats/stats.service.ts';
import { requireFigures, requirePoint } from './queue.access.ts';
import { queueToday } from './queue.clock.ts';
import { type SumRow, sumQueueStats } from './queue.figures.repo.ts';
import { emptyHistogram, exactFigures, histogramFigures } from './queue.histogram.ts';
import { listGroups, listWindows } from './queue.repo.ts';
import { secondsBetween } from './queue.steps.ts';
import { listDayTickets, type TicketRow } from './queue.tickets.repo.ts';

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
  from && to ? secondsBetween(from, to) : null;

function figuresOf(rows: TicketRow[], tickets: number) {
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
  requireFigures(actor, point);
  const date = q.date ?? queueToday();
  const rows = await listDayTickets(db, point.id, date);
  const groups = await listGroups(db, point.id);
  const windows = await listWindows(db, point.id);
  const original = (t: TicketRow) => t.transferred_from === null;
  /** Each group or window with its tickets of the day; an inactive one without any is left out. */
  const withTickets = <T extends { id: string; active: boolean }>(
    items: T[],
    column: 'group_id' | 'window_id',
  ) =>
    items
      .filter((x) => x.active || rows.some((t) => t[column] === x.id))
      .map((x) => [x, rows.filter((t) => t[column] === x.id)] as const);
  const transferredOut = (mine: TicketRow[]) =>
    mine.filter((t) => t.status === 'transferred').length;
  return {
    servicePoint: { code: point.code, name: point.name },
    date,
    totals: {
      ...figuresOf(rows, rows.filter(original).length),
      waitingNow: rows.filter((t) => t.status === 'waiting').length,
    },
    groups: withTickets(groups, 'group_id').map(([g, mine]) => ({
      groupId: g.id,
      name: g.name,
      nameEn: g.name_en,
      prefix: g.prefix,
      ...figuresOf(mine, mine.filter(original).length),
      transferredIn: mine.filter((t) => !original(t)).length,
      transferredOut: transferredOut(mine),
    })),
    windows: withTickets(windows, 'window_id').map(([w, mine]) => ({
      windowId: w.id,
      name: w.name,
      ...figuresOf(mine, mine.length),
      transferredOut: transferredOut(mine),
    })),
  };
}

/** The next level down for drilling, as in /stats/overview: city → counties → townships. */
const CHILD_LENGTH: Record<string, number> = { province: 4, city: 6, county: 9 };

const toFigures = (r: SumRow | undefined) =>
  histogramFigures(
    { tickets: r?.tickets ?? 0, served: r?.served ?? 0, noShow: r?.no_show ?? 0 },
    r?.wait_hist ?? emptyHistogram(),
    r?.serve_hist ?? emptyHistogram(),
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
  const { from, to } = monthSpan(q, todayInChina());
  const span = { regionCode: region.code, from, to };
  const [total] = await sumQueueStats(db, span, 'all');
  const childLength = CHILD_LENGTH[region.level];
  const children = childLength ? await sumQueueStats(db, span, { childLength }) : [];
  const names = new Map(
    (
      await findRegions(
        db,
        children.map((c) => c.key),
      )
    ).map((r) => [r.code, r.name]),
  );
  const trend = await sumQueueStats(db, span, 'month');
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
