import { type ItemContent, type SubmitApplicationInput, todayInChina } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import { type Actor, type RequestMeta, requirePermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { late } from '../../db/late-writes.ts';
import { AppError, type FieldError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findItem, versionContent } from '../catalog/catalog.repo.ts';
import { currentCertificateOf } from '../certificates/certificates.service.ts';
import { requireUploadedFiles } from '../files/files.service.ts';
import { emitEvent } from '../integrations/events.ts';
import { bumpStats, countersFor } from '../stats/stats.rollup.ts';
import * as repo from './applications.repo.ts';
import { type CheckedConsent, consumeConsent } from './consent.ts';
import { checkFormData } from './form-data.ts';
import { notifyApplicant } from './notices.ts';
import { nextApplicationNo } from './numbering.ts';
import { routeApplication, type ServiceUnit, unitByCode } from './routing.ts';

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
  const resident = await trx
    .selectFrom('resident')
    .select(['id', 'name', 'region_code'])
    .where('id', '=', applicantId)
    .executeTakeFirst();
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
  const app = await trx
    .insertInto('application')
    .values({
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
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const given = new Set(input.materials.map((m) => m.key));
  await repo.addMaterials(trx, app.id, actor.userId, [
    ...input.materials,
    ...(await certificatesOnFile(trx, content, resident.id, given)),
  ]);
  await repo.appendAction(trx, {
    applicationId: app.id,
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
    applicationId: app.id,
    applicationNo,
    itemName: content.name.zh,
    applicantId: resident.id,
  });
  await emitEvent(
    ctx,
    trx,
    'submitted',
    {
      id: app.id,
      application_no: applicationNo,
      item_id: item.id,
      item_code: item.code,
      item_name: content.name.zh,
      item_version: version.version,
      deciding_region: route.deciding.regionCode,
    },
    status,
    'submit',
  );
  await late(trx, async () => {
    await bumpStats(
      trx,
      { receivedRegion: received.regionCode, itemCode: item.code, channel: input.channel },
      countersFor(
        'submit',
        { cross_region: route.crossRegion, promised_days: content.promisedDays },
        { status, workingDaysUsed: 0 },
      ),
    );
    await recordAudit(trx, {
      actor,
      meta,
      action: 'application.submit',
      targetType: 'application',
      targetId: app.id,
      regionCode: received.regionCode,
      after: {
        applicationNo,
        itemCode: item.code,
        channel: input.channel,
        status,
        crossRegion: route.crossRegion,
      },
    });
  });
  return { id: app.id, applicationNo };
}
