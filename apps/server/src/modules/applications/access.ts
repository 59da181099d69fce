import type { Unit } from '@yimen/core';
import type { Actor } from '../../auth/actor.ts';
import { hasPermission, inJurisdiction } from '../../auth/actor.ts';
import type { ApplicationRow } from './applications.repo.ts';

/**
 * Who may see a case: its applicant; staff with application.view whose jurisdiction holds
 * the place that received it, the unit deciding it or the point delivering it — so both
 * sides of a cross-region case see it; and the system administrator.
 */
export function canSeeApplication(
  actor: Actor,
  app: ApplicationRow,
  deliverRegion: string,
): boolean {
  if (actor.kind === 'citizen')
    return actor.residentId !== null && actor.residentId === app.applicant_id;
  if (!hasPermission(actor, 'application.view')) return false;
  return (
    inJurisdiction(actor, app.received_region) ||
    inJurisdiction(actor, app.deciding_region) ||
    inJurisdiction(actor, deliverRegion)
  );
}

/** Staff act only at the unit the step belongs to (the system administrator anywhere). */
export function isAtUnit(actor: Actor, app: ApplicationRow, unit: Unit): boolean {
  if (actor.roles.includes('system_admin')) return true;
  const sp = actor.servicePoint?.id;
  if (!sp) return false;
  switch (unit) {
    case 'accepting':
      return sp === app.accepting_sp_id;
    case 'deciding':
      return sp === app.deciding_sp_id;
    case 'delivering':
      return sp === app.deliver_sp_id;
    case 'receiving':
      return sp === app.received_sp_id;
  }
}

/** The applicant's own steps, taken by the applicant or by staff at the receiving point. */
export function actsForApplicant(actor: Actor, app: ApplicationRow): boolean {
  if (actor.kind === 'citizen') return actor.residentId === app.applicant_id;
  const staffMayAct =
    hasPermission(actor, 'application.submitCounter') ||
    hasPermission(actor, 'application.submitProxy');
  return staffMayAct && isAtUnit(actor, app, 'receiving');
}
