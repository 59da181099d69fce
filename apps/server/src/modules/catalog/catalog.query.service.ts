import { THEMES, type Theme } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import { type Actor, inJurisdiction, jurisdictionOf, requirePermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import type { CatalogStatus } from '../../db/schema.ts';
import { AppError, type Lang } from '../../errors.ts';
import { requireRegion } from '../regions/regions.service.ts';
import { presentSummary, presentVersion } from './catalog.presenter.ts';
import * as repo from './catalog.repo.ts';
import { searchPublished } from './catalog.search-index.ts';

/**
 * Region codes seen to exist, so the public search (every keystroke carries the villager's
 * region) does not read the region table each time. Only hits are kept, and regions are
 * never deleted, so a kept code is never wrong; bounded, it forgets all at once when full.
 */
const regionsSeen = new WeakMap<Db, Set<string>>();
async function knownRegion(db: Db, input: string): Promise<string> {
  const seen = regionsSeen.get(db) ?? new Set<string>();
  regionsSeen.set(db, seen);
  if (seen.has(input)) return input;
  const { code } = await requireRegion(db, input);
  if (seen.size >= 50_000) seen.clear();
  if (code === input) seen.add(code);
  return code;
}

type SearchQuery = Omit<repo.SearchParams, 'status' | 'draftsWithin' | 'withDraft' | 'matchCode'>;

export async function searchCatalog(
  ctx: AppContext,
  query: SearchQuery & { status?: CatalogStatus | 'all' | undefined },
  actor: Actor | null = null,
) {
  const db = ctx.database.db;
  const { status, ...q } = query;
  const region = q.region ? await knownRegion(db, q.region) : undefined;
  if (status === undefined) {
    // The public search: from the published items held in memory (catalog.search-index.ts).
    const { rows, total } = await searchPublished(db, { ...q, region });
    return { items: rows.map(presentSummary), total };
  }
  // The administrators' listing: any status, drafts only where they may edit, and each
  // item's open draft where they may see it.
  if (!actor) throw new AppError('UNAUTHENTICATED');
  requirePermission(actor, 'catalog.manage');
  const rows = await repo.searchItems(db, {
    ...q,
    region,
    status: status === 'all' ? ['draft', 'published', 'retired'] : [status],
    draftsWithin: jurisdictionOf(actor) ?? undefined,
    withDraft: true,
    matchCode: true,
  });
  return {
    items: rows.map((r) => ({
      ...presentSummary(r),
      draftVersion: canSeeDrafts(actor, r.scope_region_code) ? (r.draft_version ?? null) : null,
    })),
    total: Number(rows[0]?.total ?? 0),
  };
}

function canSeeDrafts(actor: Actor | null, scope: string): boolean {
  return !!actor && actor.permissions.has('catalog.manage') && inJurisdiction(actor, scope);
}

/**
 * The version in force, or a given one. Retired versions stay readable by anyone (cases
 * made under them refer to them); drafts only by the admins who may edit the item.
 */
export async function getItemVersion(db: Db, actor: Actor | null, code: string, version?: number) {
  const item = await repo.findItem(db, code);
  if (!item) throw new AppError('ITEM_NOT_FOUND', { code });
  const wanted = version ?? item.current_version;
  if (wanted === null || wanted === undefined) {
    if (!canSeeDrafts(actor, item.scope_region_code))
      throw new AppError('ITEM_NOT_FOUND', { code });
    const draft = await repo.findDraft(db, item.id);
    if (!draft) throw new AppError('ITEM_NOT_FOUND', { code });
    return presentVersion(item, draft);
  }
  const v = await repo.findVersion(db, item.id, wanted);
  if (!v || (v.status === 'draft' && !canSeeDrafts(actor, item.scope_region_code))) {
    throw new AppError('VERSION_NOT_FOUND', { code, version: wanted });
  }
  return presentVersion(item, v);
}

export async function listItemVersions(db: Db, actor: Actor | null, code: string) {
  const item = await repo.findItem(db, code);
  if (!item) throw new AppError('ITEM_NOT_FOUND', { code });
  const showDrafts = canSeeDrafts(actor, item.scope_region_code);
  const rows = await repo.listVersions(db, item.id);
  return {
    items: rows
      .filter((r) => showDrafts || r.status !== 'draft')
      .map((r) => ({
        version: r.version,
        status: r.status,
        createdAt: r.created_at.toISOString(),
        publishedAt: r.published_at?.toISOString() ?? null,
        retiredAt: r.retired_at?.toISOString() ?? null,
      })),
  };
}

export async function listThemes(ctx: AppContext, region: string | undefined, lang: Lang) {
  const db = ctx.database.db;
  const code = region ? (await requireRegion(db, region)).code : undefined;
  const rows = await repo.themeCounts(db, code);
  return {
    items: rows
      .filter((r) => r.theme in THEMES)
      .map((r) => ({
        theme: r.theme,
        label: lang === 'en' ? THEMES[r.theme as Theme].en : THEMES[r.theme as Theme].zh,
        count: Number(r.n),
      })),
  };
}

/** The published catalogue (or the part scoped inside a region) as import-ready JSON. */
export async function exportCatalog(db: Db, within: string | undefined) {
  const rows = await repo.listPublishedContents(db, within);
  return {
    items: rows.map((r) => ({
      code: r.code,
      scopeRegionCode: r.scope_region_code,
      content: r.content as never,
    })),
  };
}
