import { type Actor, hasPermission, inJurisdiction } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError, type ErrorCode } from '../../errors.ts';
import { findPointByCode, findPointById, findWindow, type HallPoint } from './queue.repo.ts';

/**
 * Who may do what in a service hall. Serving (issuing tickets, sitting at a window, calling)
 * is for the point's own staff with queue.serve; managing groups and windows is for
 * administrators with queue.manage or servicePoint.manage whose jurisdiction holds the point.
 * Point codes are public (they are on the hall display), so a serving act at another point
 * is a 403 that says whose hall it is; objects (windows, tickets) outside one's jurisdiction
 * answer 404 as if they did not exist.
 */

export async function requirePoint(db: Db, code: string): Promise<HallPoint> {
  const point = await findPointByCode(db, code);
  if (!point) throw new AppError('SERVICE_POINT_NOT_FOUND', { code });
  return point;
}

/**
 * The point of an object (group, window, ticket) looked up by id. An object that is absent,
 * or of a point outside the actor's jurisdiction, does not exist: `notFound`.
 */
export async function reachPointOf<T extends { service_point_id: string }>(
  db: Db,
  actor: Actor,
  row: T | undefined,
  notFound: ErrorCode,
): Promise<{ row: T; point: HallPoint }> {
  if (!row) throw new AppError(notFound);
  const point = await findPointById(db, row.service_point_id);
  if (!inJurisdiction(actor, point.region_code)) throw new AppError(notFound);
  return { row, point };
}

export function canServeAt(actor: Actor | null, point: HallPoint): boolean {
  return (
    actor?.kind === 'staff' &&
    hasPermission(actor, 'queue.serve') &&
    actor.servicePoint?.id === point.id
  );
}

export function mayManageQueues(actor: Actor): boolean {
  return (
    actor.kind === 'staff' &&
    (hasPermission(actor, 'queue.manage') || hasPermission(actor, 'servicePoint.manage'))
  );
}

export function canManageAt(actor: Actor | null, point: HallPoint): boolean {
  return !!actor && mayManageQueues(actor) && inJurisdiction(actor, point.region_code);
}

/** Serving acts: 403 without the permission, 403 naming the point for staff of another one. */
export function requireServe(actor: Actor, point: HallPoint): void {
  if (actor.kind !== 'staff' || !hasPermission(actor, 'queue.serve'))
    throw new AppError('FORBIDDEN', { permission: 'queue.serve' });
  if (actor.servicePoint?.id !== point.id)
    throw new AppError('QUEUE_NOT_YOUR_POINT', { servicePoint: point.name });
}

/** Managing groups and windows: 403 without the permission, 404 outside the jurisdiction. */
export function requireManage(actor: Actor, point: HallPoint): void {
  if (!mayManageQueues(actor)) throw new AppError('FORBIDDEN', { permission: 'queue.manage' });
  if (!inJurisdiction(actor, point.region_code))
    throw new AppError('SERVICE_POINT_NOT_FOUND', { code: point.code });
}

/** Reading a hall's setup, tickets or a ticket: its own staff, or its managers. */
export function requireServeOrManage(actor: Actor, point: HallPoint): void {
  if (canServeAt(actor, point) || canManageAt(actor, point)) return;
  if (mayManageQueues(actor)) throw new AppError('SERVICE_POINT_NOT_FOUND', { code: point.code });
  requireServe(actor, point);
}

/** A hall's figures: its staff and managers, or whoever reads figures in its jurisdiction. */
export function requireFigures(actor: Actor, point: HallPoint): void {
  const allowed =
    canServeAt(actor, point) ||
    canManageAt(actor, point) ||
    (hasPermission(actor, 'stats.read') && inJurisdiction(actor, point.region_code));
  if (allowed) return;
  if (!inJurisdiction(actor, point.region_code))
    throw new AppError('SERVICE_POINT_NOT_FOUND', { code: point.code });
  throw new AppError('FORBIDDEN', { permission: 'stats.read' });
}

/** A window, locked, with its point: the actor must be allowed there (`may`); out of reach, 404. */
export async function lockWindowFor(
  trx: Db,
  actor: Actor,
  id: string,
  may: (actor: Actor, point: HallPoint) => void,
) {
  const found = await findWindow(trx, id, true);
  const { row: win, point } = await reachPointOf(trx, actor, found, 'QUEUE_WINDOW_NOT_FOUND');
  may(actor, point);
  return { win, point };
}

/** The window, locked, with its point; the actor must be its point's staff and seated there. */
export async function requireSeatedWindow(trx: Db, actor: Actor, id: string) {
  const { win, point } = await lockWindowFor(trx, actor, id, requireServe);
  if (win.seated_user_id !== actor.userId)
    throw new AppError('QUEUE_NOT_AT_WINDOW', { window: win.name });
  return { win, point };
}
