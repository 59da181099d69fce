import {
  ancestorCodes,
  normalizeRegionCode,
  type Region,
  type RegionSearchQuery,
} from '@yimen/core';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import * as repo from './regions.repo.ts';

function toRef(r: repo.RegionRow) {
  return { code: r.code, name: r.name, level: r.level };
}

function toListItem(r: repo.RegionRow) {
  return { ...toRef(r), parentCode: r.parent_code };
}

/** Accepts 12-digit zero-padded codes too; anything else that is not a code is a 400. */
export function parseRegionCode(input: string): string {
  const code = normalizeRegionCode(input);
  if (!code) throw new AppError('INVALID_REGION_CODE', { code: input });
  return code;
}

export async function requireRegion(db: Db, input: string): Promise<repo.RegionRow> {
  const code = parseRegionCode(input);
  const row = await repo.findRegion(db, code);
  if (!row) throw new AppError('REGION_NOT_FOUND', { code });
  return row;
}

export async function getRegion(db: Db, input: string): Promise<Region> {
  const code = parseRegionCode(input);
  // One round trip: the region and its ancestors together (their codes are its prefixes).
  const rows = await repo.findRegions(db, [...ancestorCodes(code), code]);
  const row = rows.find((r) => r.code === code);
  if (!row) throw new AppError('REGION_NOT_FOUND', { code });
  rows.sort((a, b) => a.code.length - b.code.length);
  return { ...toRef(row), parentCode: row.parent_code, path: rows.map(toRef) };
}

export async function listRegionChildren(
  db: Db,
  input: string,
  page: { limit: number; cursor?: string | undefined },
) {
  const code = parseRegionCode(input);
  const rows = await repo.listChildren(db, code, page.limit + 1, page.cursor);
  // Only an empty page needs to know whether the parent exists (villages have no children).
  if (rows.length === 0) await requireRegion(db, code);
  return pageOf(rows, page.limit);
}

export async function findRegions(db: Db, query: RegionSearchQuery) {
  const within = query.within ? (await requireRegion(db, query.within)).code : undefined;
  if (query.q) {
    if (query.cursor) {
      throw new AppError('BAD_REQUEST', {
        reason:
          'cursor 仅用于列表；搜索请用 offset / cursor is for listings; search pages with offset',
      });
    }
    const rows = await repo.searchRegions(db, {
      q: query.q,
      within,
      level: query.level,
      limit: query.limit + 1,
      offset: query.offset,
    });
    const more = rows.length > query.limit;
    return {
      items: rows.slice(0, query.limit).map(toListItem),
      nextCursor: null,
      ...(more ? {} : { total: query.offset + rows.length }),
    };
  }
  const filter = { within, level: query.level };
  const [rows, total] = await Promise.all([
    repo.listWithin(db, filter, query.limit + 1, query.cursor),
    repo.countWithin(db, filter),
  ]);
  return { ...pageOf(rows, query.limit), total };
}

function pageOf(rows: repo.RegionRow[], limit: number) {
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map(toListItem);
  return { items, nextCursor: more ? (items[items.length - 1]?.code ?? null) : null };
}

/** Several regions at once, for screens that show many codes by name. */
export async function lookupRegions(db: Db, codes: string[]) {
  const wanted = [...new Set(codes.map(parseRegionCode))];
  const rows = await repo.findRegions(db, wanted);
  const ancestors = await repo.findRegions(db, [
    ...new Set(rows.flatMap((r) => ancestorCodes(r.code))),
  ]);
  const byCode = new Map([...rows, ...ancestors].map((r) => [r.code, r]));
  const items: Region[] = rows
    .sort((a, b) => wanted.indexOf(a.code) - wanted.indexOf(b.code))
    .map((r) => ({
      ...toRef(r),
      parentCode: r.parent_code,
      path: [...ancestorCodes(r.code), r.code]
        .map((c) => byCode.get(c))
        .filter((x): x is repo.RegionRow => x !== undefined)
        .map(toRef),
    }));
  return {
    items,
    missing: wanted.filter((c) => !byCode.has(c) || !rows.some((r) => r.code === c)),
  };
}
