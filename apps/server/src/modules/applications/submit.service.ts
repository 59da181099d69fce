import { type ItemContent, type SubmitApplicationInput, todayInChina } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import { type Actor, type RequestMeta, requirePermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { keyIsKnown } from '../../db/idempotency.repo.ts';
import { late } from '../../db/late-writes.ts';
import type { IdempotencyClaim } from '../../db/unit-of-work.ts';
import { AppError, type FieldError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findItem, versionContent } from '../catalog/catalog.repo.ts';
import { currentCertificateOf } from '../certificates/certificates.service.ts';
import { requireUploadedFiles } from '../files/files.service.ts';
import { notifyApplicant } from '../notifications/notifications.service.ts';
import * as repo from './applications.repo.ts';
import { type CheckedConsent, checkConsent, consumeConsent } from './consent.service.ts';
import { checkFormData } from './form-data.ts';
import { nextApplicationNo } from './numbering.ts';
import { routeApplication } from './routing.ts';
import { type ServiceUnit, unitByCode } from './units.repo.ts';

export async function loadPublishedItem(db: Db, code: string) {
  const item = await findItem(db, code);
  if (item?.status !== 'published' || item.current_version === null)
    throw new AppError('ITEM_NOT_FOUND', { code });
  const content = await versionContent(db, item.id, item.current_version);
  if (!content) throw new AppError('ITEM_NOT_FOUND', { code });
  return { item, version: { version: item.current_version }, content };
}

/** Material keys must be in the item's list; the files must have been uploaded. */
export async function checkMaterials(
  trx: Db,
  content: ItemContent,
  materials: SubmitApplicationInput['materials'],
  field = 'body.materials',
) {
  const known = new Set(content.materials.map((m) => m.key));
  const problems: FieldError[] = [];
  materials.forEach((m, i) => {
    if (!known.has(m.key))
      problems.push({
        field: `${field}.${i}.key`,
        message: { zh: `事项没有材料 ${m.key}`, en: `the item has no material ${m.key}` },
      });
  });
  if (problems.length) throw new AppError('VALIDATION_FAILED', {}, problems);
  await requireUploadedFiles(trx, [...new Set(materials.map((m) => m.sha256))]);
}

/**
 * 免提交: a material the platform already holds as a valid e-certificate of the applicant is
 * attached by reference, so nobody is asked to bring a paper the government itself issued.
 */
async function certificatesOnFile(
  trx: Db,
  content: ItemContent,
  applicantId: string,
  given: Set<string>,
) {
  const out: { key: string; certificateNo: string }[] = [];
  for (const m of content.materials) {
    if (m.source.kind !== 'eCertificate' || given.has(m.key)) continue;
    const cert = await currentCertificateOf(trx, applicantId, m.source.certificateType);
    if (cert) out.push({ key: m.key, certificateNo: cert.certificateNo });
  }
  return out;
}

async function receivingPoint(
  trx: Db,
  actor: Actor,
  input: SubmitApplicationInput,
  residentRegion: string,
): Promise<ServiceUnit> {
  if (input.channel === 'online') {
    // Online cases are received by the applicant's own village station, which also hands over.
    const unit = await unitByCode(trx, residentRegion);
    if (!unit) throw new AppError('NO_SERVICE_POINT', { region: residentRegion, level: 'village' });
    return unit;
  }
  const sp = actor.servicePoint!;
  return { id: sp.id, code: sp.code, name: sp.name, regionCode: sp.regionCode };
}

function applicantOf(actor: Actor, input: SubmitApplicationInput): string {
  if (input.channel === 'online') {
    if (actor.kind !== 'citizen' || !actor.residentId) {
      throw new AppError('FORBIDDEN', {
        permission: 'online: a citizen account linked to a resident',
      });
    }
    if (input.applicantId && input.applicantId !== actor.residentId)
      throw new AppError('RESIDENT_NOT_FOUND');
    return actor.residentId;
  }
  requirePermission(
    actor,
    input.channel === 'proxy' ? 'application.submitProxy' : 'application.submitCounter',
  );
  if (!actor.servicePoint) throw new AppError('FORBIDDEN', { permission: 'a service point' });
  if (!input.applicantId) {
    throw new AppError('VALIDATION_FAILED', {}, [
      {
        field: 'body.applicantId',
        message: {
          zh: '窗口和代办须指明申请人',
          en: 'counter and proxy applications name the applicant',
        },
      },
    ]);
  }
  return input.applicantId;
}

/**
 * A proxy application's consent, checked before the case's transaction opens: a wrong code
 * must count as a try even though the submission then fails and rolls back. A retry of a
 * submission that went through is not asked again (its answer is replayed).
 */
export async function consentForSubmission(
  ctx: AppContext,
  actor: Actor,
  input: SubmitApplicationInput,
  once: IdempotencyClaim | null,
): Promise<CheckedConsent | null> {
  if (input.channel !== 'proxy' || !input.applicantId) return null;
  if (once && (await keyIsKnown(ctx.database.db, once.ownerId, once.key))) return null;
  return checkConsent(ctx, actor, input.applicantId, input.proxyConsent);
}

export async function submitApplication(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  input: SubmitApplicationInput,
  consent: CheckedConsent | null,
): Promise<{ id: string; applicationNo: string }> {
  const applicantId = applicantOf(actor, input);
  const { item, version, content } = await loadPublishedItem(trx, input.itemCode);
  if (!content.channels.includes(input.channel))
    throw new AppError('CHANNEL_NOT_OFFERED', { code: item.code, channel: input.channel });
  const resident = await repo.applicantBasics(trx, applicantId);
  if (!resident) throw new AppError('RESIDENT_NOT_FOUND');
  if (!resident.region_code.startsWith(item.scope_region_code))
    throw new AppError('ITEM_NOT_AVAILABLE', { code: item.code });
  const { formData, sealed } = checkFormData(content, input.formData, ctx.keys.personalData);
  await checkMaterials(trx, content, input.materials);

  const received = await receivingPoint(trx, actor, input, resident.region_code);
  const objectField =
    content.routing.decideBy === 'object_region'
      ? content.form.fields.find((f) => f.type === 'region')
      : undefined;
  const objectRegion = objectField ? (formData[objectField.key] as string | undefined) : undefined;
  const deliverTo = input.deliverToServicePoint
    ? await unitByCode(trx, input.deliverToServicePoint)
    : undefined;
  if (input.deliverToServicePoint && !deliverTo)
    throw new AppError('SERVICE_POINT_NOT_FOUND', { code: input.deliverToServicePoint });
  const route = await routeApplication(trx, content, {
    received,
    owningRegion: objectRegion ?? resident.region_code,
    deliverTo,
  });

  if (consent) await consumeConsent(trx, consent);
  const applicationNo = await nextApplicationNo(trx, received.code, todayInChina());
  const status = input.channel === 'online' ? 'pending_pre_review' : 'pending_acceptance';
  const id = await repo.insertApplication(trx, {
    application_no: applicationNo,
    item_id: item.id,
    item_code: item.code,
    item_version: version.version,
    item_name: content.name.zh,
    applicant_id: resident.id,
    applicant_name: resident.name,
    channel: input.channel,
    submitted_by: actor.userId,
    proxy_consent: consent ? JSON.stringify(consent.record) : null,
    form_data: JSON.stringify(formData),
    form_sealed: sealed ? JSON.stringify(sealed) : null,
    received_sp_id: received.id,
    received_region: received.regionCode,
    accepting_sp_id: route.accepting.id,
    deciding_sp_id: route.deciding.id,
    deciding_region: route.deciding.regionCode,
    deliver_sp_id: route.delivering.id,
    cross_region: route.crossRegion,
    status,
    promised_days: content.promisedDays,
  });
  const given = new Set(input.materials.map((m) => m.key));
  await repo.addMaterials(trx, id, actor.userId, [
    ...input.materials,
    ...(await certificatesOnFile(trx, content, resident.id, given)),
  ]);
  await repo.appendAction(trx, {
    applicationId: id,
    action: 'submit',
    fromStatus: null,
    toStatus: status,
    actor: repo.logActor(actor),
    payload: {
      channel: input.channel,
      itemVersion: version.version,
      ...(consent ? { consent: consent.record } : {}),
    },
    requestId: meta.requestId,
  });
  await notifyApplicant(trx, 'submitted', {
    applicationId: id,
    applicationNo,
    itemName: content.name.zh,
    applicantId: resident.id,
  });
  await ctx.facts.announce(trx, {
    step: 'submit',
    case: {
      id,
      applicationNo,
      itemId: item.id,
      itemCode: item.code,
      itemName: content.name.zh,
      itemVersion: version.version,
      channel: input.channel,
      receivedRegion: received.regionCode,
      decidingRegion: route.deciding.regionCode,
    },
    from: null,
    to: status,
    events: ['submitted'],
    counters: { submitted: 1, ...(route.crossRegion ? { cross_region: 1 } : {}) },
    toDepartment: null,
    departmentSystemKey: content.routing.departmentSystem ?? null,
  });
  await late(trx, () =>
    recordAudit(trx, {
      actor,
      meta,
      action: 'application.submit',
      targetType: 'application',
      targetId: id,
      regionCode: received.regionCode,
      after: {
        applicationNo,
        itemCode: item.code,
        channel: input.channel,
        status,
        crossRegion: route.crossRegion,
      },
    }),
  );
  return { id, applicationNo };
}
