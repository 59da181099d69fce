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
