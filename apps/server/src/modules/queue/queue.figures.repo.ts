import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { likePrefix } from '../regions/regions.repo.ts';
import { monthOf } from '../stats/stats.repo.ts';
import { BUCKETS, bucketOf } from './queue.histogram.ts';

/** The queue's monthly rollup (queue_stats_monthly): written by each step, summed by region. */

interface RollupAdd {
  tickets?: number;
  served?: number;
  noShow?: number;
  waitSec?: number;
  serveSec?: number;
}

/**
 * Adds to the point's row for the month of the ticket's day, in the caller's transaction:
 * counts, and one more in the bucket of each time measured. Only that row is locked.
 */
export async function bumpQueueStats(
  trx: Db,
  point: { id: string; region_code: string },
  day: string,
  add: RollupAdd,
): Promise<void> {
  const month = monthOf(day);
  await sql`
    INSERT INTO queue_stats_monthly (month, service_point_id, region_code, wait_hist, serve_hist)
    VALUES (${month}, ${point.id}, ${point.region_code},
            array_fill(0, ARRAY[${sql.lit(BUCKETS)}]), array_fill(0, ARRAY[${sql.lit(BUCKETS)}]))
    ON CONFLICT (service_point_id, month) DO NOTHING`.execute(trx);
  const sets = [
    sql`tickets = tickets + ${sql.lit(add.tickets ?? 0)}`,
    sql`served = served + ${sql.lit(add.served ?? 0)}`,
    sql`no_show = no_show + ${sql.lit(add.noShow ?? 0)}`,
  ];
  if (add.waitSec !== undefined) {
    const i = sql.lit(bucketOf(add.waitSec) + 1);
    sets.push(sql`wait_hist[${i}] = wait_hist[${i}] + 1`);
  }
  if (add.serveSec !== undefined) {
    const i = sql.lit(bucketOf(add.serveSec) + 1);
    sets.push(sql`serve_hist[${i}] = serve_hist[${i}] + 1`);
  }
  await sql`UPDATE queue_stats_monthly SET ${sql.join(sets)}
    WHERE service_point_id = ${point.id} AND month = ${month}`.execute(trx);
}

export interface SumRow {
  key: string;
  tickets: number;
  served: number;
  no_show: number;
  wait_hist: number[];
  serve_hist: number[];
}

/** What the sums are keyed by: one row for all, a child region (its code's length), a month. */
type SumKey = 'all' | 'month' | { childLength: number };

const keyOf = (by: SumKey) =>
  by === 'all'
    ? sql`'all'`
    : by === 'month'
      ? sql`to_char(month, 'YYYY-MM')`
      : sql`substr(region_code, 1, ${by.childLength})`;

/**
 * Sums the rollup rows of a region's subtree from one month to another (YYYY-MM, both
 * included) by a key: counts by SUM, histograms element by element.
 */
export async function sumQueueStats(
  db: Db,
  span: { regionCode: string; from: string; to: string },
  by: SumKey,
): Promise<SumRow[]> {
  const rows = await sql<SumRow>`
    WITH r AS (SELECT ${keyOf(by)} AS key, * FROM queue_stats_monthly
      WHERE region_code LIKE ${likePrefix(span.regionCode)}
        AND month BETWEEN ${`${span.from}-01`}::date AND ${`${span.to}-01`}::date),
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
  return rows.rows;
}
