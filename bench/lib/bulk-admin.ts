import type pg from 'pg';

/**
 * Around a bulk load: the tables' secondary indexes are dropped before and rebuilt after
 * from their own definitions (pg_indexes), as one loads a warehouse; what the constraints
 * own (primary keys, UNIQUE) stays, and so do the foreign keys, checked row by row.
 */
export const BULK_TABLES = ['application', 'application_action', 'rating'];

export async function dropSecondaryIndexes(c: pg.Client): Promise<string[]> {
  const r = await c.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
    [BULK_TABLES],
  );
  for (const row of r.rows) await c.query(`DROP INDEX ${quoteIdent(row.name)}`);
  return r.rows.map((row) => row.def);
}

export async function recreateIndexes(c: pg.Client, defs: string[]): Promise<void> {
  await c.query("SET maintenance_work_mem = '512MB'");
  for (const def of defs) await c.query(def);
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected index name ${name}`);
  return name;
}

/**
 * stats_monthly from the cases, as the rollup counts them (stats.rollup.ts countersFor): a
 * submission in its month, an acceptance in its, a conclusion with its outcome and whether
 * it kept the time limit, a rating in its month; keyed by the receiving township.
 */
export const REBUILD_STATS = `
TRUNCATE stats_monthly;
INSERT INTO stats_monthly (month, region_code, item_code, channel, submitted, accepted, concluded,
  approved, denied, refused, withdrawn, on_time, late, cross_region, rating_1, rating_2, rating_3,
  rating_4, rating_5)
SELECT month, region_code, item_code, channel, sum(s), sum(a), sum(c), sum(ap), sum(dn), sum(rf),
  sum(wd), sum(ot), sum(lt), sum(cr), sum(r1), sum(r2), sum(r3), sum(r4), sum(r5)
FROM (
  SELECT date_trunc('month', submitted_at AT TIME ZONE 'Asia/Shanghai')::date AS month,
    substr(received_region, 1, 9) AS region_code, item_code, channel, 1 s, 0 a, 0 c, 0 ap, 0 dn,
    0 rf, 0 wd, 0 ot, 0 lt, cross_region::int cr, 0 r1, 0 r2, 0 r3, 0 r4, 0 r5
  FROM application
  UNION ALL
  SELECT date_trunc('month', accepted_at AT TIME ZONE 'Asia/Shanghai')::date, substr(received_region, 1, 9),
    item_code, channel, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  FROM application WHERE accepted_at IS NOT NULL
  UNION ALL
  SELECT date_trunc('month', concluded_at AT TIME ZONE 'Asia/Shanghai')::date, substr(received_region, 1, 9),
    item_code, channel, 0, 0, 1, (outcome = 'approved')::int, (outcome = 'denied')::int,
    (outcome = 'refused')::int, (outcome = 'withdrawn')::int,
    (outcome IN ('approved', 'denied') AND working_days_used <= promised_days)::int,
    (outcome IN ('approved', 'denied') AND working_days_used > promised_days)::int, 0, 0, 0, 0, 0, 0
  FROM application WHERE concluded_at IS NOT NULL
  UNION ALL
  SELECT date_trunc('month', r.created_at AT TIME ZONE 'Asia/Shanghai')::date,
    substr(a.received_region, 1, 9), a.item_code, a.channel, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    (r.grade = 1)::int, (r.grade = 2)::int, (r.grade = 3)::int, (r.grade = 4)::int, (r.grade = 5)::int
  FROM rating r JOIN application a ON a.id = r.application_id
) x
GROUP BY 1, 2, 3, 4`;

export async function dropHelpers(c: pg.Client): Promise<void> {
  await c.query('DROP TABLE IF EXISTS bench_village, bench_item, bench_resident, bench_path');
}

export interface Census {
  applications: number;
  open: number;
  overdue: number;
  actions: number;
  statsRows: number;
  databaseBytes: number;
}

export async function census(c: pg.Client): Promise<Census> {
  const r = await c.query<Record<string, string>>(`
    SELECT (SELECT count(*) FROM application) AS applications,
      (SELECT count(*) FROM application WHERE status NOT IN ('concluded', 'refused', 'withdrawn')) AS open,
      (SELECT count(*) FROM application WHERE clock_running_since IS NOT NULL
         AND due_date < (now() AT TIME ZONE 'Asia/Shanghai')::date) AS overdue,
      (SELECT count(*) FROM application_action) AS actions,
      (SELECT count(*) FROM stats_monthly) AS stats_rows,
      pg_database_size(current_database()) AS bytes`);
  const row = r.rows[0]!;
  return {
    applications: Number(row.applications),
    open: Number(row.open),
    overdue: Number(row.overdue),
    actions: Number(row.actions),
    statsRows: Number(row.stats_rows),
    databaseBytes: Number(row.bytes),
  };
}
