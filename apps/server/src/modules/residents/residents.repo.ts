import { type Selectable, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { HouseholdTable, ResidentTable } from '../../db/schema.ts';
import { likePrefix } from '../regions/regions.repo.ts';

const RESIDENT_COLUMNS = [
  'id',
  'name',
  'id_number_cipher',
  'id_number_masked',
  'sex',
  'mobile',
  'region_code',
  'household_id',
  'relationship',
  'name_pinyin',
  'created_at',
  'updated_at',
] as const;
export type ResidentRow = Pick<Selectable<ResidentTable>, (typeof RESIDENT_COLUMNS)[number]>;

const HOUSEHOLD_COLUMNS = ['id', 'household_no', 'region_code', 'address', 'created_at'] as const;
export type HouseholdRow = Selectable<HouseholdTable>;

export type MemberRow = Pick<
  ResidentRow,
  'id' | 'name' | 'id_number_masked' | 'sex' | 'relationship'
>;

export function findResident(
  db: Db,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ResidentRow | undefined> {
  const q = db.selectFrom('resident').select(RESIDENT_COLUMNS).where('id', '=', id);
  return (opts.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export function findResidentByHmac(db: Db, hmac: string): Promise<ResidentRow | undefined> {
  return db
    .selectFrom('resident')
    .select(RESIDENT_COLUMNS)
    .where('id_number_hmac', '=', hmac)
    .executeTakeFirst();
}

export function insertResident(
  db: Db,
  values: Omit<ResidentTable, 'id' | 'created_at' | 'updated_at' | 'name_pinyin'> & {
    name_pinyin: string;
  },
): Promise<ResidentRow> {
  return db
    .insertInto('resident')
    .values(values)
    .returning(RESIDENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function updateResident(
  db: Db,
  id: string,
  values: Partial<
    Pick<ResidentTable, 'name' | 'mobile' | 'household_id' | 'relationship'> & {
      name_pinyin: string;
    }
  >,
): Promise<ResidentRow> {
  return db
    .updateTable('resident')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returning(RESIDENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Up to `limit` residents registered with this mobile. */
export function residentsWithMobile(
  db: Db,
  mobile: string,
  limit: number,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('resident')
    .select(['id', 'name'])
    .where('mobile', '=', mobile)
    .limit(limit)
    .execute();
}

/**
 * A page of residents inside a region subtree, ordered by pinyin then id, so a cursor of
 * (pinyin, id) continues exactly where the last page ended. Latin input is a pinyin
 * prefix; anything else a substring of the name.
 */
export function listResidents(
  db: Db,
  params: {
    within: string | undefined;
    q: string | undefined;
    after: { pinyin: string; id: string } | undefined;
    limit: number;
  },
): Promise<ResidentRow[]> {
  let query = db.selectFrom('resident').select(RESIDENT_COLUMNS);
  if (params.within) query = query.where('region_code', 'like', likePrefix(params.within));
  if (params.q) {
    const q = params.q.toLowerCase().replace(/\s+/g, '');
    query = /^[a-z]+$/.test(q)
      ? query.where('name_pinyin', 'like', likePrefix(q))
      : query.where(sql<SqlBool>`name LIKE ${`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  }
  if (params.after) {
    const { pinyin, id } = params.after;
    query = query.where(sql<SqlBool>`(name_pinyin, id) > (${pinyin}, ${id}::uuid)`);
  }
  return query.orderBy('name_pinyin').orderBy('id').limit(params.limit).execute();
}

/** Members of a household, head first, then by relationship and name. */
export function listMembers(db: Db, householdId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('resident')
    .select(['id', 'name', 'id_number_masked', 'sex', 'relationship'])
    .where('household_id', '=', householdId)
    .orderBy(sql`CASE WHEN relationship = 'head' THEN 0 ELSE 1 END`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findHead(db: Db, householdId: string): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('resident')
    .select('id')
    .where('household_id', '=', householdId)
    .where('relationship', '=', 'head')
    .executeTakeFirst();
}

/** With `forUpdate`, members of one household are changed one request at a time. */
export function findHousehold(
  db: Db,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<HouseholdRow | undefined> {
  const q = db.selectFrom('household').select(HOUSEHOLD_COLUMNS).where('id', '=', id);
  return (opts.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export function householdNoExists(db: Db, householdNo: string): Promise<boolean> {
  return db
    .selectFrom('household')
    .select('id')
    .where('household_no', '=', householdNo)
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

/**
 * The next 户号 of a village: its 12-digit code and a 4-digit sequence. A transaction-scoped
 * advisory lock per village keeps two clerks from drawing the same number.
 */
export async function nextHouseholdNo(db: Db, villageCode: string): Promise<string> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`yimen.household_no:${villageCode}`}))`.execute(
    db,
  );
  const row = await sql<{ n: number | null }>`
    SELECT max(substr(household_no, 13)::int) AS n FROM household
    WHERE region_code = ${villageCode} AND household_no ~ ${`^${villageCode}[0-9]{4}$`}`
    .execute(db)
    .then((r) => r.rows[0]);
  return `${villageCode}${String((row?.n ?? 0) + 1).padStart(4, '0')}`;
}

export function insertHousehold(
  db: Db,
  values: { household_no: string; region_code: string; address: string },
): Promise<HouseholdRow> {
  return db
    .insertInto('household')
    .values(values)
    .returning(HOUSEHOLD_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** A unique-key violation, as both pg and PGlite report it. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23505';
}
