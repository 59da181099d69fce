import {
  type ActionName,
  type ActionRule,
  type ApplicationActionInput,
  applyAction,
  type CaseStepped,
  type ItemContent,
  permissionFor,
  STATUS_LABELS,
  unitFor,
  WORKFLOW,
} from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import { type Actor, hasPermission, type RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { late } from '../../db/late-writes.ts';
import { AppError, type FieldError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getCalendar } from '../calendar/calendar.service.ts';
import { versionContent } from '../catalog/catalog.repo.ts';
import { notifyApplicant } from '../notifications/notifications.service.ts';
import { actsForApplicant, isAtUnit } from './access.ts';
import * as repo from './applications.repo.ts';
import { applyClock } from './clock.ts';
import type { Outcome, Step } from './effects/effect.ts';
import { countersOf, EFFECTS, eventsOf } from './effects/effects.ts';

const REQUIRED_FIELD: Record<string, { zh: string; en: string }> = {
  reasons: { zh: '须写明理由', en: 'reasons are required' },
  legalBasis: { zh: '须写明法律依据', en: 'the legal basis is required' },
  missing: { zh: '须一次性列明全部需补正的内容', en: 'list everything missing, in one notice' },
  recipient: { zh: '须核验并登记领取人', en: 'check and record who collects the result' },
  trackingNo: { zh: '须填写邮件单号', en: 'the tracking number is required' },
  procedure: { zh: '须注明特别程序种类', en: 'name the special procedure' },
};

export async function loadContent(db: Db, app: repo.ApplicationRow): Promise<ItemContent> {
  const content = await versionContent(db, app.item_id, app.item_version);
  return content!;
}

/** A department system answering through the integration hub. */
export interface DepartmentActor {
  kind: 'department';
  systemId: string;
  code: string;
  name: string;
}
export type StepActor = Actor | DepartmentActor;

export function userIdOf(actor: StepActor): string | null {
  return actor.kind === 'department' ? null : actor.userId;
}

/** Whether this actor may take this action on this case now, by role, unit and applicant. */
export function mayTake(actor: StepActor, app: repo.ApplicationRow, action: ActionName): boolean {
  const rule: ActionRule = WORKFLOW[action];
  if (actor.kind === 'department')
    return rule.by === 'department' && app.department_system_id === actor.systemId;
  if (rule.by === 'department') return false;
  if (rule.by === 'applicant') return actsForApplicant(actor, app);
  const permission = permissionFor(rule, app.status);
  if (actor.kind !== 'staff' || !permission || !hasPermission(actor, permission)) return false;
  const unit = unitFor(rule, app.status);
  return unit !== undefined && isAtUnit(actor, app, unit);
}

function requireFields(rule: ActionRule, body: ApplicationActionInput): void {
  const problems: FieldError[] = [];
  for (const r of rule.requires ?? []) {
    const v = body[r as keyof ApplicationActionInput];
    if (v === undefined || (Array.isArray(v) && v.length === 0))
      problems.push({ field: `body.${r}`, message: REQUIRED_FIELD[r]! });
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);
}

/** One workflow action asked of a case. */
export interface StepRequest {
  actor: StepActor;
  meta: RequestMeta;
  id: string;
  action: ActionName;
  body: ApplicationActionInput;
  /** Whether the actor may see the case at all: "not found" otherwise. */
  canSee: (app: repo.ApplicationRow) => boolean | Promise<boolean>;
  /** Facts the caller adds to the log entry (a department's reference, its certificate). */
  extra?: Record<string, unknown>;
}

/** The case as its facts name it: what the other modules hear of each step. */
export function caseOfFact(app: repo.ApplicationRow): CaseStepped['case'] {
  return {
    id: app.id,
    applicationNo: app.application_no,
    itemId: app.item_id,
    itemCode: app.item_code,
    itemName: app.item_name,
    itemVersion: app.item_version,
    channel: app.channel,
    receivedRegion: app.received_region,
    decidingRegion: app.deciding_region,
  };
}

/**
 * Takes one workflow action on a case, in the caller's transaction: checks the version the
 * client saw, the transition, the actor's role and unit, the step's required fields; runs
 * the action's effect (effects/); then writes the new state with the log entry, the clock
 * and the applicant's notice, announces the step (the hub and the figures write theirs),
 * and writes the audit row last (db/late-writes.ts).
 */
export async function performAction(ctx: AppContext, trx: Db, r: StepRequest): Promise<void> {
  const { actor, action, body } = r;
  const app = await repo.findApplication(trx, r.id, true);
  if (!app || !(await r.canSee(app))) throw new AppError('APPLICATION_NOT_FOUND');
  if (app.version !== body.version) {
    throw new AppError('VERSION_CONFLICT', {
      current: app.version,
      status: STATUS_LABELS[app.status].zh,
    });
  }
  const content = await loadContent(trx, app);
  const rule: ActionRule = WORKFLOW[action];
  const systemKey = content.routing.departmentSystem;
  const department =
    action === 'accept' && systemKey
      ? await ctx.departments.systemFor(trx, systemKey, app.item_code)
      : undefined;
  const next = applyAction({ status: app.status, resumeStatus: app.resume_status }, action, {
    reviewRequired: content.workflow?.reviewRequired ?? false,
    departmentStep: department !== undefined,
  });
  if (!next.ok || !mayTake(actor, app, action)) {
    const allowed = next.ok ? [] : next.allowed;
    throw new AppError('ACTION_NOT_ALLOWED', {
      action,
      status: STATUS_LABELS[app.status].zh,
      allowed: allowed.filter((a) => mayTake(actor, app, a)).join(', ') || '—',
    });
  }
  requireFields(rule, body);

  const step: Step = { ctx, trx, actor, app, content, body, department };
  const outcome: Outcome = (await EFFECTS[action].apply?.(step)) ?? {};
  const clock = applyClock(await getCalendar(ctx, trx), app, rule.clock);
  const to = next.state.status;
  const payload = { ...r.extra, ...outcome.payload };
  const written = await repo.updateAtVersion(trx, app.id, app.version, {
    status: to,
    resume_status: next.state.resumeStatus,
    ...clock,
    ...outcome.patch,
  });
  if (!written) throw new AppError('VERSION_CONFLICT', { current: app.version + 1, status: '—' });
  await repo.appendAction(trx, {
    applicationId: app.id,
    action,
    fromStatus: app.status,
    toStatus: to,
    actor:
      actor.kind === 'department'
        ? { kind: 'department', userId: null, name: actor.name, roles: [], spCode: actor.code }
        : repo.logActor(actor),
    comment: body.comment,
    payload: Object.keys(payload).length ? payload : undefined,
    requestId: r.meta.requestId,
  });
  if (rule.notice)
    await notifyApplicant(trx, rule.notice, {
      applicationId: app.id,
      applicationNo: app.application_no,
      itemName: app.item_name,
      applicantId: app.applicant_id,
      dueDate: clock?.due_date ?? app.due_date,
      ...outcome.notice,
    });
  const departmentSystemId = department?.id ?? app.department_system_id;
  await ctx.facts.announce(trx, {
    step: action,
    case: caseOfFact(app),
    from: app.status,
    to,
    events: eventsOf(action, to),
    counters: countersOf(action, {
      app,
      to,
      workingDaysUsed: clock?.working_days_used ?? app.working_days_used,
    }),
    toDepartment:
      to === 'with_department' && app.status !== 'with_department' && departmentSystemId
        ? { systemId: departmentSystemId, reason: action === 'accept' ? 'accepted' : 'resubmitted' }
        : null,
    departmentSystemKey: systemKey ?? null,
  });
  // The hot rows last (db/late-writes.ts): after the answer is read, just before COMMIT.
  await late(trx, async () => {
    const user = actor.kind === 'department' ? null : actor;
    await recordAudit(trx, {
      actor: user,
      meta: r.meta,
      action: `application.${action}`,
      targetType: 'application',
      targetId: app.id,
      regionCode: user?.servicePoint?.regionCode ?? app.received_region,
      before: { status: app.status, version: app.version },
      after: { status: to, version: app.version + 1, ...payload },
      // A department system's acts are chained per system, like a service point's.
      ...(actor.kind === 'department' ? { chain: `dept:${actor.code}` } : {}),
    });
  });
}
