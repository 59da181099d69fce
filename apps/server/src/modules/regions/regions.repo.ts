import type { RegionLevel } from '@yimen/core';
import { type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { RegionTable } from '../../db/schema.ts';

export type RegionRow = Pick<RegionTable, 'code' | 'name' | 'level' | 'parent_code'>;

const COLUMNS = ['code', 'name', 'level', 'parent_code'] as const;

export function findRegion(db: Db, code: string): Promise<RegionRow | undefined> {
  return db.selectFrom('region').select(COLUMNS).where('code', '=', code).executeTakeFirst();
}

export async function findRegions(db: Db, codes: string[]): Promise<RegionRow[]> {
  if (codes.length === 0) return [];
  return db.selectFrom('region').select(COLUMNS).where('code', 'in', codes).execute();
}

/** Names by code, for showing codes (those not found are left out). */
export async function regionNames(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('region')
    .select(['code', 'name'])
    .where('code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

export function listChildren(
  db: Db,
  parentCode: string,
  limit: number,
  after: string | undefined,
): Promise<RegionRow[]> {
  let q = db
    .selectFrom('region')
    .select(COLUMNS)
    .where('parent_code', '=', parentCode)
    .orderBy('code')
    .limit(limit);
  if (after) q = q.where('code', '>', after);
  return q.execute();
}

export function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function listWithin(
  db: Db,
  filter: { within: string | undefined; level: RegionRow['level'] | undefined },
  limit: number,
  after: string | undefined,
): Promise<RegionRow[]> {
  let q = db.selectFrom('region').select(COLUMNS).orderBy('code').limit(limit);
  if (filter.within) q = q.where('code', 'like', likePrefix(filter.within));
  if (filter.level) q = q.where('level', '=', filter.level);
  if (after) q = q.where('code', '>', after);
  return q.execute();
}

export async function countWithin(
  db: Db,
  filter: { within: string | undefined; level: RegionRow['level'] | undefined },
): Promise<number> {
  let q = db.selectFrom('region').select((eb) => eb.fn.countAll<number>().as('n'));
  if (filter.within) q = q.where('code', 'like', likePrefix(filter.within));
  if (filter.level) q = q.where('level', '=', filter.level);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Name, full-pinyin and initials search. Latin input is read as pinyin: a prefix of the
 * full pinyin or of the initials, and, ranked last, initials with one letter slipped
 * ("xss" still finds 修山镇, xsz), because people type initials from memory. Other input
 * is a substring of the name, served by the trigram index.
 */
export function searchRegions(
  db: Db,
  params: {
    q: string;
    within: string | undefined;
    level: RegionRow['level'] | undefined;
    limit: number;
    offset: number;
  },
): Promise<RegionRow[]> {
  const q = params.q.toLowerCase();
  const latin = /^[a-z]+$/.test(q);
  let query = db.selectFrom('region').select(COLUMNS);
  if (params.within) query = query.where('code', 'like', likePrefix(params.within));
  if (params.level) query = query.where('level', '=', params.level);

  if (latin) {
    const prefix = likePrefix(q);
    const slips =
      q.length >= 3
        ? [...q].map((_, i) => `${q.slice(0, i)}_${q.slice(i + 1)}%`)
        : ([] as string[]);
    query = query.where((eb) =>
      eb.or([
        eb('name_initials', 'like', prefix),
        eb('name_pinyin', 'like', prefix),
        ...slips.map((p) => eb('name_initials', 'like', p)),
      ]),
    );
    const rank = sql<number>`CASE
      WHEN name_initials = ${q} OR name_pinyin = ${q} THEN 0
      WHEN name_initials LIKE ${prefix} THEN 1
      WHEN name_pinyin LIKE ${prefix} THEN 2
      ELSE 3 END`;
    query = query.orderBy(rank);
  } else {
    const contains = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<SqlBool>`name LIKE ${contains}`);
    const rank = sql<number>`CASE WHEN name = ${q} THEN 0 WHEN name LIKE ${likePrefix(q)} THEN 1 ELSE 2 END`;
    query = query.orderBy(rank);
  }
  return query
    .orderBy(sql`length(code)`)
    .orderBy('code')
    .limit(params.limit)
    .offset(params.offset)
    .execute();
}

export interface RegionUpsert {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  pinyin: string;
  initials: string;
}

/**
 * Inserts or renames regions in one statement (parallel arrays: one round trip however many
 * rows). The parent key is deferred to commit, so one call may hold parents and children.
 */
export async function upsertRegions(db: Db, rows: RegionUpsert[]): Promise<void> {
  await sql`
    INSERT INTO region (code, name, level, parent_code, name_pinyin, name_initials)
    SELECT * FROM unnest(${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.name)}::text[],
                         ${rows.map((r) => r.level)}::text[], ${rows.map((r) => r.parentCode)}::text[],
                         ${rows.map((r) => r.pinyin)}::text[], ${rows.map((r) => r.initials)}::text[])
    ON CONFLICT (code) DO UPDATE SET
      name = excluded.name, level = excluded.level, parent_code = excluded.parent_code,
      name_pinyin = excluded.name_pinyin, name_initials = excluded.name_initials`.execute(db);
}
