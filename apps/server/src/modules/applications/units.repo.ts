import { BoundedMap } from '../../bounded-map.ts';
import type { Db } from '../../db/connection.ts';

/** A service point as a case's routing sees it: the unit that accepts, decides or delivers. */
export interface ServiceUnit {
  id: string;
  code: string;
  name: string;
  regionCode: string;
}

const unit = (row: { id: string; code: string; name: string; region_code: string }) => ({
  id: row.id,
  code: row.code,
  name: row.name,
  regionCode: row.region_code,
});

/** The service point (not a department's office) of a region: its station or centre. */
export async function unitAt(db: Db, regionCode: string): Promise<ServiceUnit | undefined> {
  const row = await db
    .selectFrom('service_point')
    .select(['id', 'code', 'name', 'region_code'])
    .where('region_code', '=', regionCode)
    .where('kind', '!=', 'department_office')
    .where('active', '=', true)
    .orderBy('code')
    .executeTakeFirst();
  return row ? unit(row) : undefined;
}

async function unitWhere(
  db: Db,
  column: 'id' | 'code',
  value: string,
): Promise<ServiceUnit | undefined> {
  const row = await db
    .selectFrom('service_point')
    .select(['id', 'code', 'name', 'region_code'])
    .where(column, '=', value)
    .executeTakeFirst();
  return row ? unit(row) : undefined;
}

export const unitById = (db: Db, id: string) => unitWhere(db, 'id', id);
export const unitByCode = (db: Db, code: string) => unitWhere(db, 'code', code);

/**
 * A service point's region, by id. Points are created and deactivated, never moved to another
 * region (nothing updates service_point.region_code), so what was read once stays true; every
 * step of a case asks it of the delivering point.
 */
const pointRegion = new BoundedMap<string, string>(50_000);

export async function regionOfPoint(db: Db, id: string): Promise<string> {
  const known = pointRegion.get(id);
  if (known !== undefined) return known;
  const v = await db
    .selectFrom('service_point')
    .select('region_code')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  pointRegion.set(id, v.region_code);
  return v.region_code;
}
