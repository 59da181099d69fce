import { type Actor, hasPermission, inJurisdiction } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';

/**
 * Who may do what in a service hall. Serving (issuing tickets, sitting at a window, calling)
 * is for the point's own staff with queue.serve; managing groups and windows is for
 * administrators with queue.manage or servicePoint.manage whose jurisdiction holds the point.
 * Point codes are public (they are on the hall display), so a serving act at another point
 * is a 403 that says whose hall it is; objects (windows, tickets) outside one's jurisdiction
 * answer 404 as if they did not exist.
 */
export interface HallPoint {
  id: string;
  code: string;
  name: string;
  kind: string;
  region_code: string;
}

export async function findPointByCode(db: Db, code: string): Promise<HallPoint | undefined> {
  return db
    .selectFrom('service_point')
    .select(['id', 'code', 'name', 'kind', 'region_code'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function findPointById(db: Db, id: string): Promise<HallPoint> {
  return db
    .selectFrom('service_point')
    .select(['id', 'code', 'name', 'kind', 'region_code'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function requirePoint(db: Db, code: string): Promise<HallPoint> {
  const point = await findPointByCode(db, code);
  if (!point) throw new AppError('SERVICE_POINT_NOT_FOUND', { code });
  return point;
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

/** An object (window, ticket, group) of a point outside the actor's reach does not exist. */
export function requireReach(actor: Actor, point: HallPoint, notFound: AppError): void {
  if (!inJurisdiction(actor, point.region_code)) throw notFound;
}
