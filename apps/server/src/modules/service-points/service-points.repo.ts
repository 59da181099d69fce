import type { RegionLevel } from '@yimen/core';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { ServicePointKind } from '../../db/schema.ts';
import { likePrefix } from '../regions/regions.repo.ts';

const COLUMNS = [
  'id',
  'code',
  'name',
  'kind',
  'region_code',
  'address',
  'phone',
  'active',
] as const;

export function findServicePoint(db: Db, code: string) {
  return db.selectFrom('service_point').select(COLUMNS).where('code', '=', code).executeTakeFirst();
}

export function listServicePoints(
  db: Db,
  filter: { within?: string | undefined; kind?: ServicePointKind | undefined },
  limit: number,
  after: string | undefined,
) {
  let q = db.selectFrom('service_point').select(COLUMNS).orderBy('code').limit(limit);
  if (filter.within) q = q.where('region_code', 'like', likePrefix(filter.within));
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (after) q = q.where('code', '>', after);
  return q.execute();
}

export type ServicePointRow = NonNullable<Awaited<ReturnType<typeof findServicePoint>>>;

/**
 * A service point, coded and named after its region, for every region of one level under
 * `root` that has none yet; answers how many were made.
 */
export async function insertServicePointsOfLevel(
  db: Db,
  root: string,
  of: { level: RegionLevel; kind: ServicePointKind; suffix: string },
): Promise<number> {
  const result = await sql`
    INSERT INTO service_point (code, name, kind, region_code)
    SELECT r.code, r.name || ${of.suffix}, ${of.kind}, r.code
    FROM region r
    WHERE r.level = ${of.level} AND r.code LIKE ${`${root}%`}
    ON CONFLICT (code) DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
