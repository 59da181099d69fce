import type { CaseCounter } from '@yimen/core';
import { type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { likePrefix } from '../regions/regions.repo.ts';

/**
 * The leader's figures, read from the rollups only (migrations 0007 and 0009), never from
 * the cases: each query sums at most townships × months, counties × months × items, or
 * townships × open due dates rows, whatever the number of cases.
 */

const sums = sql`
  COALESCE(SUM(submitted),0)::int AS submitted, COALESCE(SUM(accepted),0)::int AS accepted,
  COALESCE(SUM(concluded),0)::int AS concluded, COALESCE(SUM(approved),0)::int AS approved,
  COALESCE(SUM(denied),0)::int AS denied, COALESCE(SUM(refused),0)::int AS refused,
  COALESCE(SUM(withdrawn),0)::int AS withdrawn, COALESCE(SUM(on_time),0)::int AS on_time,
  COALESCE(SUM(late),0)::int AS late, COALESCE(SUM(cross_region),0)::int AS cross_region,
  COALESCE(SUM(rating_1),0)::int AS r1, COALESCE(SUM(rating_2),0)::int AS r2,
  COALESCE(SUM(rating_3),0)::int AS r3, COALESCE(SUM(rating_4),0)::int AS r4,
  COALESCE(SUM(rating_5),0)::int AS r5`;

export interface Sums {
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

export interface Span {
  /** The region's code: rows whose region code starts with it. */
  code: string;
  /** First and last month, YYYY-MM. */
  from: string;
  to: string;
}

const inSpan = (s: Span) =>
  sql<SqlBool>`region_code LIKE ${likePrefix(s.code)} AND month BETWEEN ${`${s.from}-01`}::date AND ${`${s.to}-01`}::date`;

export async function totals(db: Db, s: Span): Promise<Sums> {
  const r = await sql<Sums>`SELECT ${sums} FROM stats_area_monthly WHERE ${inSpan(s)}`.execute(db);
  return r.rows[0]!;
}

/**
 * The next level down (codes of `childLength` digits). Rows kept at the region's own level
 * (a county centre's own cases, at county level) belong to no child: they count in the
 * totals only.
 */
export async function byChild(db: Db, s: Span, childLength: number) {
  const r = await sql<Sums & { code: string; name: string | null }>`
    SELECT c.*, r.name FROM (
      SELECT substr(region_code, 1, ${childLength}) AS code, ${sums}
      FROM stats_area_monthly WHERE ${inSpan(s)} AND length(region_code) >= ${childLength}
      GROUP BY 1) c
    LEFT JOIN region r ON r.code = c.code ORDER BY c.code`.execute(db);
  return r.rows;
}

export async function trend(db: Db, s: Span) {
  const r = await sql<Sums & { month: string }>`
    SELECT to_char(month, 'YYYY-MM') AS month, ${sums}
    FROM stats_area_monthly WHERE ${inSpan(s)} GROUP BY month ORDER BY month`.execute(db);
  return r.rows;
}

/**
 * The items most asked for. A township reads its own rows of stats_monthly; a county or
 * anything above reads the county rollup, so a city sums counties × months × items rows.
 */
export async function topItems(db: Db, s: Span, limit: number) {
  const source =
    s.code.length >= 9
      ? sql`SELECT * FROM stats_monthly WHERE region_code = ${s.code}
              AND month BETWEEN ${`${s.from}-01`}::date AND ${`${s.to}-01`}::date`
      : sql`SELECT * FROM stats_item_monthly WHERE ${inSpan(s)}`;
  const r = await sql<Sums & { item_code: string; name: string | null }>`
    SELECT t.*, i.name FROM (
      SELECT item_code, ${sums} FROM (${source}) s
      GROUP BY item_code ORDER BY SUM(submitted) DESC, item_code LIMIT ${limit}) t
    LEFT JOIN catalog_item i ON i.code = t.item_code
    ORDER BY t.submitted DESC, t.item_code`.execute(db);
  return r.rows;
}

export interface OpenRow {
  kind: 'case' | 'follow_up';
  region_code: string;
  open: number;
  overdue: number;
}

/** Running clocks and open follow-ups under the region, by kind and township (stats_open). */
export async function openCounts(db: Db, code: string, today: string): Promise<OpenRow[]> {
  const r = await sql<OpenRow>`
    SELECT kind, region_code, SUM(n)::int AS open,
      COALESCE(SUM(n) FILTER (WHERE due_date < ${today}::date), 0)::int AS overdue
    FROM stats_open WHERE region_code LIKE ${likePrefix(code)}
    GROUP BY kind, region_code`.execute(db);
  return r.rows;
}

/** The first day of the month a date in China falls in: the month's row. */
export function monthOf(chinaDate: string): string {
  return `${chinaDate.slice(0, 7)}-01`;
}

/**
 * Adds to this month's row for a place, item and channel, in the caller's transaction.
 * Triggers (migration 0009) add the same to the township's month and the county's item
 * rollups, in the same transaction; rows are always locked in that order.
 */
export async function bumpMonth(
  trx: Db,
  key: { regionCode: string; itemCode: string; channel: string; month: string },
  add: Partial<Record<CaseCounter, number>>,
): Promise<void> {
  const entries = Object.entries(add).filter(([, n]) => n) as [CaseCounter, number][];
  if (entries.length === 0) return;
  const cols = entries.map(([c]) => sql.ref(c));
  const vals = entries.map(([, n]) => sql.lit(n));
  const sets = entries.map(
    ([c]) => sql`${sql.ref(c)} = stats_monthly.${sql.ref(c)} + excluded.${sql.ref(c)}`,
  );
  await sql`
    INSERT INTO stats_monthly (month, region_code, item_code, channel, ${sql.join(cols)})
    VALUES (${key.month}, ${key.regionCode}, ${key.itemCode}, ${key.channel}, ${sql.join(vals)})
    ON CONFLICT (region_code, month, item_code, channel) DO UPDATE SET ${sql.join(sets)}`.execute(
    trx,
  );
}
