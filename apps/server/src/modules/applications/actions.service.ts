import {
  type ActionName,
  type ActionRule,
  type ApplicationActionInput,
  applyAction,
  type ItemContent,
  maskIdNumber,
  permissionFor,
  STATUS_LABELS,
  unitFor,
  WORKFLOW,
} from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import { type Actor, hasPermission, type RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { late } from '../../db/late-writes.ts';
import type { ApplicationStatus } from '../../db/schema.ts';
import { AppError, type FieldError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getCalendar } from '../calendar/calendar.service.ts';
import { versionContent } from '../catalog/catalog.repo.ts';
import { departmentSystemFor } from '../integrations/department-step.ts';
import { afterCaseStep } from '../integrations/events.ts';
import { bumpStats, countersFor } from '../stats/stats.rollup.ts';
import { actsForApplicant, isAtUnit } from './access.ts';
import * as repo from './applications.repo.ts';
import { applyClock } from './clock.ts';
import { checkFormData } from './form-data.ts';
import { notifyApplicant } from './notices.ts';
import { issueResult } from './results.ts';
import { unitById } from './routing.ts';
import { checkMaterials } from './submit.service.ts';

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

/**
 * Takes one workflow action on a case, in the caller's transaction: checks the version the
 * client saw, the transition, the actor's role and unit, the step's own rules; then writes
 * the new state, the log entry, the clock, the notice and the audit row together.
 */
export async function performAction(
  ctx: AppContext,
  trx: Db,
  actor: StepActor,
  meta: RequestMeta,
  id: string,
  action: ActionName,
  body: ApplicationActionInput,
  canSee: (app: repo.ApplicationRow) => Promise<boolean>,
  /** Facts the caller adds to the log entry (a department's reference, its certificate). */
  extra: Record<string, unknown> = {},
): Promise<void> {
  const app = await repo.findApplication(trx, id, true);
  if (!app || !(await canSee(app))) throw new AppError('APPLICATION_NOT_FOUND');
  if (app.version !== body.version) {
    throw new AppError('VERSION_CONFLICT', {
      current: app.version,
      status: STATUS_LABELS[app.status].zh,
    });
  }
  const content = await loadContent(trx, app);
  const rule: ActionRule = WORKFLOW[action];
  const department =
    action === 'accept' ? await departmentSystemFor(trx, content, app.item_code) : undefined;
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

  const patch: Record<string, unknown> = {
    status: next.state.status,
    resume_status: next.state.resumeStatus,
  };
  const payload: Record<string, unknown> = { ...extra };
  let notice = rule.notice;
  let detail: string | undefined;
  const cal = await getCalendar(ctx, trx);
  const clock = applyClock(cal, app, rule.clock);
  if (clock) Object.assign(patch, clock);

  switch (action) {
    case 'accept': {
      const attached = new Set((await repo.listMaterials(trx, app.id)).map((m) => m.material_key));
      const missing = content.materials
        .filter((m) => m.requirement === 'required' && !attached.has(m.key))
        .map((m) => m.key);
      if (missing.length) throw new AppError('MATERIALS_MISSING', { keys: missing.join(', ') });
      patch.accepted_at = new Date();
      if (department) {
        patch.department_system_id = department.id;
        payload.department = department.code;
      }
      break;
    }
    case 'requestCorrection':
    case 'departmentRequestCorrection':
      payload.missing = body.missing;
      detail = body.missing!.map((m) => m.item).join('；');
      break;
    case 'resubmit':
      if (body.formData) {
        const f = checkFormData(content, body.formData, ctx.keys.personalData);
        patch.form_data = JSON.stringify(f.formData);
        patch.form_sealed = f.sealed ? JSON.stringify(f.sealed) : null;
      }
      if (body.materials?.length) {
        await checkMaterials(trx, content, body.materials);
        await repo.addMaterials(trx, app.id, userIdOf(actor), body.materials);
        payload.materials = body.materials.map((m) => m.key);
      }
      break;
    case 'refuse':
      patch.outcome = 'refused';
      patch.concluded_at = new Date();
      payload.reasons = body.reasons;
      detail = body.reasons;
      break;
    case 'approve':
      patch.decision = 'approved';
      break;
    case 'deny':
    case 'departmentReject':
      patch.decision = 'denied';
      patch.outcome = 'denied';
      patch.concluded_at = new Date();
      Object.assign(payload, { reasons: body.reasons, legalBasis: body.legalBasis });
      detail = body.legalBasis ? `${body.reasons}（依据：${body.legalBasis}）` : body.reasons;
      break;
    case 'suspend':
      Object.assign(payload, { procedure: body.procedure, reasons: body.reasons });
      detail = body.reasons;
      break;
    case 'issue':
    case 'departmentResult': {
      // A department's result comes with its certificate already issued by the hub.
      if (action === 'issue') Object.assign(payload, await issueResult(ctx, trx, app, content));
      else patch.decision = 'approved';
      const deliver = await unitById(trx, app.deliver_sp_id);
      await notifyApplicant(trx, 'issued', {
        applicationId: app.id,
        applicationNo: app.application_no,
        itemName: app.item_name,
        applicantId: app.applicant_id,
        ...(deliver ? { pickupAt: deliver.name } : {}),
      });
      notice = undefined;
      break;
    }
    case 'handOver': {
      const r = body.recipient!;
      if (r.relation === 'self') {
        const applicant = await trx
          .selectFrom('resident')
          .select('id_number_hmac')
          .where('id', '=', app.applicant_id)
          .executeTakeFirstOrThrow();
        if (ctx.keys.personalData.lookupHash(r.idNumber) !== applicant.id_number_hmac)
          throw new AppError('RECIPIENT_MISMATCH');
      }
      payload.recipient = {
        name: r.name,
        idNumberMasked: maskIdNumber(r.idNumber),
        relation: r.relation,
        checked: r.relation === 'self',
      };
      Object.assign(patch, {
        outcome: 'approved',
        concluded_at: new Date(),
        delivery_method: 'counter',
      });
      break;
    }
    case 'mail':
      payload.trackingNo = body.trackingNo;
      Object.assign(patch, {
        outcome: 'approved',
        concluded_at: new Date(),
        delivery_method: 'mail',
      });
      break;
    case 'download': {
      const cert = await trx
        .selectFrom('certificate')
        .select('certificate_no')
        .where('application_id', '=', app.id)
        .executeTakeFirst();
      if (!cert)
        throw new AppError('ACTION_NOT_ALLOWED', {
          action,
          status: STATUS_LABELS[app.status].zh,
          allowed: 'handOver, mail',
        });
      Object.assign(patch, {
        outcome: 'approved',
        concluded_at: new Date(),
        delivery_method: 'download',
      });
      break;
    }
    case 'withdraw':
      Object.assign(patch, { outcome: 'withdrawn', concluded_at: new Date() });
      break;
  }

  const updated = await trx
    .updateTable('application')
    .set({ ...patch, version: app.version + 1, updated_at: new Date() } as never)
    .where('id', '=', app.id)
    .where('version', '=', app.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1)
    throw new AppError('VERSION_CONFLICT', { current: app.version + 1, status: '—' });
  await repo.appendAction(trx, {
    applicationId: app.id,
    action,
    fromStatus: app.status,
    toStatus: next.state.status,
    actor:
      actor.kind === 'department'
        ? { kind: 'department', userId: null, name: actor.name, roles: [], spCode: actor.code }
        : repo.logActor(actor),
    comment: body.comment,
    payload: Object.keys(payload).length ? payload : undefined,
    requestId: meta.requestId,
  });
  if (notice) {
    const dueDate = (patch.due_date as string | undefined) ?? app.due_date;
    await notifyApplicant(trx, notice, {
      applicationId: app.id,
      applicationNo: app.application_no,
      itemName: app.item_name,
      applicantId: app.applicant_id,
      dueDate,
      ...(detail ? { detail } : {}),
    });
  }
  await afterCaseStep(ctx, trx, app, {
    action,
    to: next.state.status,
    departmentSystemId: department?.id ?? app.department_system_id,
  });
  // The hot rows last (db/late-writes.ts): after the answer is read, just before COMMIT.
  await late(trx, async () => {
    await bumpStats(
      trx,
      { receivedRegion: app.received_region, itemCode: app.item_code, channel: app.channel },
      countersFor(action, app, {
        status: next.state.status,
        workingDaysUsed: (patch.working_days_used as number | undefined) ?? app.working_days_used,
      }),
    );
    const user = actor.kind === 'department' ? null : actor;
    await recordAudit(trx, {
      actor: user,
      meta,
      action: `application.${action}`,
      targetType: 'application',
      targetId: app.id,
      regionCode: user?.servicePoint?.regionCode ?? app.received_region,
      before: { status: app.status, version: app.version },
      after: {
        status: next.state.status as ApplicationStatus,
        version: app.version + 1,
        ...payload,
      },
      // A department system's acts are chained per system, like a service point's.
      ...(actor.kind === 'department' ? { chain: `dept:${actor.code}` } : {}),
    });
  });
}

function userIdOf(actor: StepActor): string | null {
  return actor.kind === 'department' ? null : actor.userId;
}
