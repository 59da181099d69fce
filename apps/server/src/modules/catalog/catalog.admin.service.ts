import { type CatalogItemFile, checkItem, type ItemContent } from '@yimen/core';
import {
  type Actor,
  inJurisdiction,
  type RequestMeta,
  requirePermission,
} from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError, type FieldError, type Lang } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findRegion } from '../regions/regions.repo.ts';
import { presentVersion } from './catalog.presenter.ts';
import * as repo from './catalog.repo.ts';

/** Who changes the catalogue: an admin within the item's scope, or the system (seed, import). */
type CatalogEditor = { actor: Actor; meta: RequestMeta } | { actor: null; meta: null };

function requireScope(editor: CatalogEditor, scopeRegionCode: string): void {
  if (!editor.actor) return;
  requirePermission(editor.actor, 'catalog.manage');
  // Items are public, so an item outside one's reach is forbidden rather than hidden.
  if (!inJurisdiction(editor.actor, scopeRegionCode)) {
    throw new AppError('FORBIDDEN', { permission: `catalog.manage@${scopeRegionCode}` });
  }
}

async function requireItem(db: Db, code: string): Promise<repo.ItemRow> {
  const item = await repo.findItem(db, code);
  if (!item) throw new AppError('ITEM_NOT_FOUND', { code });
  return item;
}

async function validate(
  db: Db,
  file: Pick<CatalogItemFile, 'scopeRegionCode' | 'content'>,
  prefix: string,
  extraCodes: Iterable<string> = [],
) {
  const problems: FieldError[] = [];
  if (!(await findRegion(db, file.scopeRegionCode))) {
    problems.push({
      field: `${prefix}scopeRegionCode`,
      message: { zh: '行政区划不存在', en: 'no such region' },
    });
  }
  const known = await repo.allItemCodes(db);
  for (const c of extraCodes) known.add(c);
  problems.push(...checkItem(file, { prefix, knownItemCodes: known }));
  return problems;
}

function audit(
  trx: Db,
  editor: CatalogEditor,
  action: string,
  item: { code: string; scope: string },
  extra: object,
) {
  return recordAudit(trx, {
    actor: editor.actor,
    meta: editor.meta,
    action,
    targetType: 'catalogItem',
    targetId: item.code,
    regionCode: item.scope,
    after: extra,
    chain: editor.actor ? undefined : 'system',
  });
}

interface WriteOptions {
  /** Prefix of field paths in errors: 'body.' for one item, 'body.items.3.' in an import. */
  prefix?: string;
  /** Item codes arriving in the same import, which materials may already refer to. */
  alsoKnown?: Iterable<string>;
}

export async function createItem(
  trx: Db,
  editor: CatalogEditor,
  file: CatalogItemFile,
  opts: WriteOptions = {},
) {
  requireScope(editor, file.scopeRegionCode);
  if (await repo.findItem(trx, file.code))
    throw new AppError('ITEM_CODE_TAKEN', { code: file.code });
  const problems = await validate(trx, file, opts.prefix ?? 'body.', [
    file.code,
    ...(opts.alsoKnown ?? []),
  ]);
  if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);
  const itemId = await repo.insertItem(trx, file);
  await repo.insertDraftVersion(trx, {
    itemId,
    version: 1,
    content: file.content,
    createdBy: editor.actor?.userId ?? null,
  });
  await audit(
    trx,
    editor,
    'catalog.item.create',
    { code: file.code, scope: file.scopeRegionCode },
    { version: 1 },
  );
  return { code: file.code, version: 1 };
}

/** Writes the item's draft: the open one if there is one, else a new version after the last. */
export async function saveDraft(
  trx: Db,
  editor: CatalogEditor,
  code: string,
  content: ItemContent,
  opts: WriteOptions = {},
) {
  const item = await requireItem(trx, code);
  requireScope(editor, item.scope_region_code);
  const problems = await validate(
    trx,
    { scopeRegionCode: item.scope_region_code, content },
    opts.prefix ?? 'body.',
    opts.alsoKnown,
  );
  if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);
  const draft = await repo.findDraft(trx, item.id);
  let version: number;
  if (draft) {
    version = draft.version;
    await repo.updateDraftContent(trx, draft.id, content);
  } else {
    version = await repo.nextVersionNo(trx, item.id);
    await repo.insertDraftVersion(trx, {
      itemId: item.id,
      version,
      content,
      createdBy: editor.actor?.userId ?? null,
    });
  }
  if (item.current_version === null) await repo.relistItem(trx, item.id, content);
  await audit(
    trx,
    editor,
    'catalog.draft.save',
    { code, scope: item.scope_region_code },
    { version },
  );
  return { code, version };
}

/**
 * The publishing rules run on content that is not saved yet: the console shows every problem
 * at once, with where it is, before the admin saves or publishes. Changes nothing.
 */
export async function checkContent(
  db: Db,
  editor: CatalogEditor,
  code: string,
  content: ItemContent,
  lang: Lang,
) {
  const item = await requireItem(db, code);
  requireScope(editor, item.scope_region_code);
  const problems = await validate(db, { scopeRegionCode: item.scope_region_code, content }, '');
  return {
    ok: problems.length === 0,
    problems: problems.map((p) => ({
      field: p.field,
      message: lang === 'en' ? p.message.en : p.message.zh,
    })),
  };
}

/** The item and one of its versions, which must still be a draft, within the editor's scope. */
async function requireDraftVersion(trx: Db, editor: CatalogEditor, code: string, version: number) {
  const item = await requireItem(trx, code);
  requireScope(editor, item.scope_region_code);
  const v = await repo.findVersion(trx, item.id, version);
  if (!v) throw new AppError('VERSION_NOT_FOUND', { code, version });
  if (v.status !== 'draft')
    throw new AppError('VERSION_NOT_DRAFT', { code, version, status: v.status });
  return { item, v };
}

/** Edits one version by number, which is only possible while it is a draft. */
export async function updateVersion(
  trx: Db,
  editor: CatalogEditor,
  code: string,
  version: number,
  content: ItemContent,
) {
  await requireDraftVersion(trx, editor, code, version);
  return saveDraft(trx, editor, code, content);
}

/**
 * Publishes a draft after the consistency checks; the version in force until now is retired
 * (it stays readable, and applications made under it keep it).
 */
export async function publishVersion(
  trx: Db,
  editor: CatalogEditor,
  code: string,
  version: number,
  opts: WriteOptions = {},
) {
  const { item, v } = await requireDraftVersion(trx, editor, code, version);
  const content = v.content as ItemContent;
  const problems = await validate(
    trx,
    { scopeRegionCode: item.scope_region_code, content },
    '',
    opts.alsoKnown,
  );
  if (problems.length)
    throw new AppError('PUBLISH_CHECK_FAILED', { count: problems.length }, problems);
  const now = new Date();
  if (item.current_version !== null) await repo.retirePublishedVersion(trx, item.id, now);
  await repo.publishItemVersion(trx, {
    itemId: item.id,
    versionId: v.id,
    version,
    content,
    by: editor.actor?.userId ?? null,
    at: now,
  });
  await audit(
    trx,
    editor,
    'catalog.version.publish',
    { code, scope: item.scope_region_code },
    { version, previous: item.current_version },
  );
  return presentVersion(
    { ...item, status: 'published', current_version: version },
    { ...v, status: 'published', published_at: now },
  );
}

/** Takes an item out of service: no new applications; what exists stays readable. */
export async function retireItem(trx: Db, editor: CatalogEditor, code: string) {
  const item = await requireItem(trx, code);
  requireScope(editor, item.scope_region_code);
  if (item.status !== 'published') throw new AppError('ITEM_NOT_PUBLISHED', { code });
  const now = new Date();
  await repo.retirePublishedVersion(trx, item.id, now);
  await repo.markItemRetired(trx, item.id, now);
  await audit(
    trx,
    editor,
    'catalog.item.retire',
    { code, scope: item.scope_region_code },
    { version: item.current_version },
  );
}

/**
 * Imports a catalogue in one transaction: every item is checked, all problems are reported
 * together with their position, and nothing is written unless everything passes.
 */
export async function importCatalog(
  trx: Db,
  editor: CatalogEditor,
  files: CatalogItemFile[],
  publish: boolean,
) {
  const problems: FieldError[] = [];
  const counts = { created: 0, updated: 0, published: 0 };
  const codes = new Set(files.map((f) => f.code));
  const existing = await repo.allItemCodes(trx);
  const seen = new Set<string>();
  for (const [i, f] of files.entries()) {
    if (seen.has(f.code))
      problems.push({
        field: `body.items.${i}.code`,
        message: { zh: `编码 ${f.code} 重复`, en: `duplicate code ${f.code}` },
      });
    seen.add(f.code);
    problems.push(...(await validate(trx, f, `body.items.${i}.`, codes)));
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);
  for (const [i, f] of files.entries()) {
    const opts = { prefix: `body.items.${i}.`, alsoKnown: codes };
    if (existing.has(f.code)) {
      await saveDraft(trx, editor, f.code, f.content, opts);
      counts.updated++;
    } else {
      await createItem(trx, editor, f, opts);
      counts.created++;
    }
  }
  if (publish) {
    for (const f of files) {
      const item = await requireItem(trx, f.code);
      const draft = await repo.findDraft(trx, item.id);
      if (draft) {
        await publishVersion(trx, editor, f.code, draft.version, { alsoKnown: codes });
        counts.published++;
      }
    }
  }
  return counts;
}
