import type { ItemContent } from '@yimen/core';
import { type SqlBool, sql } from 'kysely';
import { BoundedMap } from '../../bounded-map.ts';
import type { Db } from '../../db/connection.ts';
import type { CatalogStatus } from '../../db/schema.ts';
import { pinyinOf } from '../regions/regions.import.ts';
import { likePrefix } from '../regions/regions.repo.ts';

const ITEM_COLUMNS = [
  'id',
  'code',
  'scope_region_code',
  'status',
  'current_version',
  'name',
  'name_en',
  'department',
  'item_type',
  'themes',
  'channels',
  'accept_level',
  'promised_days',
  'visits_required',
  'popularity',
  'updated_at',
] as const;

export function findItem(db: Db, code: string) {
  return db
    .selectFrom('catalog_item')
    .select(ITEM_COLUMNS)
    .where('code', '=', code)
    .executeTakeFirst();
}
export type ItemRow = NonNullable<Awaited<ReturnType<typeof findItem>>>;

export function findVersion(db: Db, itemId: string, version: number) {
  return db
    .selectFrom('catalog_item_version')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('version', '=', version)
    .executeTakeFirst();
}
export type VersionRow = NonNullable<Awaited<ReturnType<typeof findVersion>>>;

/**
 * A version's content once it has left draft never changes (the 0004 trigger refuses it), so
 * it is kept in memory: every step of a case reads its item's rules, and at one query per
 * step that was a tenth of the database round trips of a lifecycle. Keyed by item id and
 * version; ids are never reused. Frozen, so no caller can change the shared copy.
 */
const contentCache = new BoundedMap<string, ItemContent>(4_000);

export async function versionContent(
  db: Db,
  itemId: string,
  version: number,
): Promise<ItemContent | undefined> {
  const key = `${itemId}:${version}`;
  const hit = contentCache.get(key);
  if (hit) return hit;
  const row = await db
    .selectFrom('catalog_item_version')
    .select(['content', 'status'])
    .where('item_id', '=', itemId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) return undefined;
  const content = deepFreeze(row.content as ItemContent);
  if (row.status !== 'draft') contentCache.set(key, content);
  return content;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function findDraft(db: Db, itemId: string) {
  return db
    .selectFrom('catalog_item_version')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
}

export function listVersions(db: Db, itemId: string) {
  return db
    .selectFrom('catalog_item_version')
    .select(['version', 'status', 'created_at', 'published_at', 'retired_at'])
    .where('item_id', '=', itemId)
    .orderBy('version', 'desc')
    .execute();
}

export async function nextVersionNo(db: Db, itemId: string): Promise<number> {
  const row = await db
    .selectFrom('catalog_item_version')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return Number(row?.v ?? 0) + 1;
}

export async function allItemCodes(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('catalog_item').select('code').execute();
  return new Set(rows.map((r) => r.code));
}

/** A new item, listed with its first version's content; answers its id. */
export async function insertItem(
  trx: Db,
  item: { code: string; scopeRegionCode: string; content: ItemContent },
): Promise<string> {
  const row = await trx
    .insertInto('catalog_item')
    .values({
      code: item.code,
      scope_region_code: item.scopeRegionCode,
      status: 'draft',
      ...denormalize(item.content),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertDraftVersion(
  trx: Db,
  v: { itemId: string; version: number; content: ItemContent; createdBy: string | null },
): Promise<void> {
  await trx
    .insertInto('catalog_item_version')
    .values({
      item_id: v.itemId,
      version: v.version,
      status: 'draft',
      content: JSON.stringify(v.content),
      created_by: v.createdBy,
    })
    .execute();
}

export async function updateDraftContent(
  trx: Db,
  versionId: string,
  content: ItemContent,
): Promise<void> {
  await trx
    .updateTable('catalog_item_version')
    .set({ content: JSON.stringify(content), updated_at: new Date() })
    .where('id', '=', versionId)
    .execute();
}

/** Lists a never-published item by its draft's content. */
export async function relistItem(trx: Db, itemId: string, content: ItemContent): Promise<void> {
  await trx
    .updateTable('catalog_item')
    .set({ ...denormalize(content), updated_at: new Date() })
    .where('id', '=', itemId)
    .execute();
}

/** Retires the item's version in force, if it has one. */
export async function retirePublishedVersion(trx: Db, itemId: string, at: Date): Promise<void> {
  await trx
    .updateTable('catalog_item_version')
    .set({ status: 'retired', retired_at: at })
    .where('item_id', '=', itemId)
    .where('status', '=', 'published')
    .execute();
}

/** The version becomes the one in force, and the item is listed by its content. */
export async function publishItemVersion(
  trx: Db,
  p: {
    itemId: string;
    versionId: string;
    version: number;
    content: ItemContent;
    by: string | null;
    at: Date;
  },
): Promise<void> {
  await trx
    .updateTable('catalog_item_version')
    .set({ status: 'published', published_at: p.at, published_by: p.by })
    .where('id', '=', p.versionId)
    .execute();
  await trx
    .updateTable('catalog_item')
    .set({
      status: 'published',
      current_version: p.version,
      ...denormalize(p.content),
      updated_at: p.at,
    })
    .where('id', '=', p.itemId)
    .execute();
}

export async function markItemRetired(trx: Db, itemId: string, at: Date): Promise<void> {
  await trx
    .updateTable('catalog_item')
    .set({ status: 'retired', updated_at: at })
    .where('id', '=', itemId)
    .execute();
}

export async function hasAnyItem(db: Db): Promise<boolean> {
  const row = await db.selectFrom('catalog_item').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The columns listing and search read, copied from a version's content. */
function denormalize(content: ItemContent) {
  const py = pinyinOf(content.name.zh);
  const searchText = [
    content.name.zh,
    content.shortName ?? '',
    content.summary?.zh ?? '',
    ...content.acceptConditions.map((a) => a.zh),
    ...content.materials.map((m) => m.name.zh),
    ...content.legalBasis,
  ]
    .join(' ')
    .toLowerCase();
  return {
    name: content.name.zh,
    name_en: content.name.en,
    name_pinyin: py.full,
    name_initials: py.initials,
    search_text: searchText,
    department: content.department,
    item_type: content.type,
    themes: content.themes,
    channels: content.channels,
    accept_level: content.routing.acceptLevel,
    promised_days: content.promisedDays,
    visits_required: content.visitsRequired,
    popularity: content.popularity,
  };
}

export interface SearchParams {
  q?: string | undefined;
  region?: string | undefined;
  theme?: string | undefined;
  department?: string | undefined;
  channel?: string | undefined;
  status?: CatalogStatus[];
  /** Never-published items only under this region prefix (an admin's jurisdiction). */
  draftsWithin?: string | undefined;
  /** Also answer each item's open draft version (draft_version). */
  withDraft?: boolean | undefined;
  /** Also match `q` against the start of the item code (administrators look items up by it). */
  matchCode?: boolean | undefined;
  limit: number;
  offset: number;
}

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Published items available at a region (its own scope or an ancestor's), filtered and
 * ranked: name matches first — exact, then prefix, then anywhere — then guide text, then
 * popularity. Latin input is matched against the full pinyin and the initials.
 */
export function searchItems(db: Db, p: SearchParams) {
  let query = db.selectFrom('catalog_item').where('status', 'in', p.status ?? ['published']);
  if (p.region) query = query.where(sql<SqlBool>`${p.region} LIKE scope_region_code || '%'`);
  if (p.theme) query = query.where(sql<SqlBool>`themes @> ARRAY[${p.theme}::text]`);
  if (p.department) query = query.where('department', '=', p.department);
  if (p.channel) query = query.where(sql<SqlBool>`${p.channel} = ANY(channels)`);
  const draftsWithin = p.draftsWithin;
  if (draftsWithin !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('status', '<>', 'draft'),
        eb('scope_region_code', 'like', likePrefix(draftsWithin)),
      ]),
    );
  }
  let rank: ReturnType<typeof sql<number>> | null = null;
  if (p.q) {
    const q = p.q.toLowerCase();
    const contains = `%${escapeLike(q)}%`;
    const prefix = `${escapeLike(q)}%`;
    if (/^[a-z]+$/.test(q)) {
      query = query.where((eb) =>
        eb.or([
          eb('name_initials', 'like', contains),
          eb('name_pinyin', 'like', contains),
          eb('search_text', 'like', contains),
        ]),
      );
      rank = sql<number>`CASE WHEN name_initials = ${q} OR name_pinyin = ${q} THEN 0
        WHEN name_initials LIKE ${prefix} OR name_pinyin LIKE ${prefix} THEN 1
        WHEN name_initials LIKE ${contains} OR name_pinyin LIKE ${contains} THEN 2 ELSE 4 END`;
    } else {
      const byCode = p.matchCode ? `${escapeLike(p.q.toUpperCase())}%` : null;
      query = query.where((eb) =>
        eb.or([
          eb('name', 'like', contains),
          eb('search_text', 'like', contains),
          ...(byCode ? [eb('code', 'like', byCode)] : []),
        ]),
      );
      rank = sql<number>`CASE WHEN name = ${p.q} THEN 0 WHEN name LIKE ${prefix} THEN 1
        WHEN name LIKE ${contains} THEN 2 ELSE 4 END`;
    }
  }
  let ranked = query
    .select(ITEM_COLUMNS)
    .select(sql<number>`count(*) OVER ()`.as('total'))
    .$if(!!p.withDraft, (b) =>
      b.select(
        sql<number | null>`(SELECT v.version FROM catalog_item_version v
          WHERE v.item_id = catalog_item.id AND v.status = 'draft' LIMIT 1)`.as('draft_version'),
      ),
    );
  if (rank) ranked = ranked.orderBy(rank);
  const rows = ranked.orderBy('popularity', 'desc').orderBy('code').limit(p.limit).offset(p.offset);
  return rows.execute();
}

export function themeCounts(db: Db, region: string | undefined) {
  let q = db
    .selectFrom(
      sql<{
        theme: string;
      }>`(SELECT unnest(themes) AS theme, scope_region_code FROM catalog_item WHERE status = 'published')`.as(
        't',
      ),
    )
    .select(['theme', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('theme')
    .orderBy('n', 'desc');
  if (region) q = q.where(sql<SqlBool>`${region} LIKE t.scope_region_code || '%'`);
  return q.execute();
}

/** The published catalogue (or the part scoped inside a region), with each item's content. */
export function listPublishedContents(db: Db, within: string | undefined) {
  let q = db
    .selectFrom('catalog_item as i')
    .innerJoin('catalog_item_version as v', (j) =>
      j.onRef('v.item_id', '=', 'i.id').onRef('v.version', '=', 'i.current_version'),
    )
    .select(['i.code', 'i.scope_region_code', 'v.content'])
    .where('i.status', '=', 'published')
    .orderBy('i.code');
  if (within) q = q.where('i.scope_region_code', 'like', likePrefix(within));
  return q.execute();
}

/** The catalogue's generation: bumped in the transaction of every change to catalog_item. */
export async function catalogGeneration(db: Db): Promise<string> {
  const r = await sql<{ n: string }>`SELECT n::text AS n FROM catalog_generation`.execute(db);
  return r.rows[0]?.n ?? '0';
}

/** Every published item with the columns the search matches against. */
export function listPublishedForSearch(db: Db) {
  return db
    .selectFrom('catalog_item')
    .select([...ITEM_COLUMNS, 'name_pinyin', 'name_initials', 'search_text'])
    .where('status', '=', 'published')
    .execute();
}
