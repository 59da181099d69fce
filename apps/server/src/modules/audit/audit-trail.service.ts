import { type AuditListQuery, type AuditLogItem, normalizeRegionCode } from '@yimen/core';
import { type Actor, jurisdictionOf, requirePermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { presentAuditRow } from './audit.presenter.ts';
import { applicationIdByNo, listAuditRows } from './audit.repo.ts';
import { type AuditVerifyResult, verifyAuditChains } from './audit.verify.ts';

/**
 * Reading the trail, for administrators. A read changes nothing, so it is not itself
 * audited; what an admin may see is their jurisdiction's subtree, and rows with no region
 * (anonymous sign-in attempts, system acts) only a system admin.
 */
export async function listAuditTrail(
  db: Db,
  actor: Actor,
  query: AuditListQuery,
): Promise<{ items: AuditLogItem[]; nextCursor: string | null }> {
  requirePermission(actor, 'audit.read');
  const within = scopeOf(actor, query.regionCode);
  if (within === null) return { items: [], nextCursor: null };
  // A case number narrows to the rows that name that case as their target.
  let target = { type: query.targetType, id: query.targetId };
  if (query.applicationNo) {
    const id = await applicationIdByNo(db, query.applicationNo);
    if (!id || (target.type && target.type !== 'application') || (target.id && target.id !== id))
      return { items: [], nextCursor: null };
    target = { type: 'application', id };
  }
  const rows = await listAuditRows(
    db,
    {
      within,
      action: query.action,
      actorUserId: query.actorUserId,
      actorName: query.actorName,
      targetType: target.type,
      targetId: target.id,
      requestId: query.requestId,
      outcome: query.outcome,
      from: query.from ? instant(query.from) : undefined,
      to: query.to ? instant(query.to) : undefined,
    },
    query.limit + 1,
    query.cursor ? Number(query.cursor) : undefined,
  );
  const more = rows.length > query.limit;
  const items = rows.slice(0, query.limit).map(presentAuditRow);
  return { items, nextCursor: more ? String(items[items.length - 1]!.id) : null };
}

/** Checking the whole trail spans every jurisdiction, so only a system admin may ask. */
export async function verifyAuditTrail(
  db: Db,
  actor: Actor,
  chain: string | undefined,
): Promise<AuditVerifyResult> {
  requirePermission(actor, 'audit.read');
  if (jurisdictionOf(actor) !== null)
    throw new AppError('FORBIDDEN', { permission: 'system_admin' });
  return verifyAuditChains(db, { chain });
}

/**
 * The region prefix to list: the asked-for region narrowed to the jurisdiction; undefined for
 * everything; null when the two do not overlap (an empty page, not an error, so the caller
 * learns nothing about other regions).
 */
function scopeOf(actor: Actor, asked: string | undefined): string | undefined | null {
  const root = jurisdictionOf(actor);
  const region = asked === undefined ? undefined : (normalizeRegionCode(asked) ?? asked);
  if (root === null) return region;
  if (region === undefined || region.startsWith(root)) return region ?? root;
  return root.startsWith(region) ? root : null;
}

/** A bare date is midnight in China, where the platform's days begin and end. */
function instant(value: string): Date {
  return new Date(value.length === 10 ? `${value}T00:00:00+08:00` : value);
}
