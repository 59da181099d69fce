import { sql } from 'kysely';
import type { Db } from './db/connection.ts';

/**
 * What the command line reads for itself: the provinces whose regions get service points,
 * and the doctor's checks.
 */

export async function listProvinceCodes(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('region')
    .select('code')
    .where('level', '=', 'province')
    .execute();
  return rows.map((r) => r.code);
}

/** The database server's version string. */
export async function databaseVersion(db: Db): Promise<string | undefined> {
  const version = await sql<{ v: string }>`SELECT version() AS v`.execute(db);
  return version.rows[0]?.v;
}

/** How many regions each level holds. */
export function countRegionsByLevel(db: Db) {
  return db
    .selectFrom('region')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('level')
    .execute();
}
