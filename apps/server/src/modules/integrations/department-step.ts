import type { DepartmentCaseMessage, ItemContent } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { Db } from '../../db/connection.ts';
import type { ApplicationRow } from '../applications/applications.repo.ts';
import { listMaterials } from '../applications/applications.repo.ts';
import { unitById } from '../applications/routing.ts';
import { systemForItem } from './systems.repo.ts';

/**
 * The department step of a case: an item whose routing names a department system goes, on
 * acceptance, to the connected system that takes it. With no such connector the case stays
 * with the township as before, so a platform with no departments connected still works.
 */
export async function departmentSystemFor(
  trx: Db,
  content: ItemContent,
  itemCode: string,
): Promise<{ id: string; code: string } | undefined> {
  const key = content.routing.departmentSystem;
  if (!key) return undefined;
  return systemForItem(trx, key, itemCode);
}

/**
 * The outbox row that carries the case to its department, in the caller's transaction. It
 * holds no personal data: the message is built from the case when it is sent. Its ordering
 * key is per receiver and case, so a failing webhook never holds up a department call.
 */
export async function enqueueDepartmentCall(
  trx: Db,
  applicationId: string,
  systemId: string,
  reason: 'accepted' | 'resubmitted',
): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      topic: 'department',
      ordering_key: `department:${applicationId}`,
      application_id: applicationId,
      target_id: systemId,
      payload: JSON.stringify({ reason }),
    })
    .execute();
}

/** The paths a department calls back on, for one case. */
export function callbackUrls(publicUrl: string, applicationNo: string) {
  const base = `${publicUrl}/api/v1/dept/applications/${encodeURIComponent(applicationNo)}`;
  return { status: `${base}/status`, result: `${base}/result` };
}

/**
 * The case as a department receives it: in full, ID numbers in clear (a department system
 * registers the person), signed in transit and logged with those numbers masked.
 */
export async function caseMessage(
  ctx: AppContext,
  db: Db,
  app: ApplicationRow,
  message: { messageId: string; createdAt: Date },
): Promise<DepartmentCaseMessage> {
  const cipher = ctx.keys.personalData;
  const resident = await db
    .selectFrom('resident')
    .select(['name', 'id_number_cipher', 'mobile', 'region_code'])
    .where('id', '=', app.applicant_id)
    .executeTakeFirstOrThrow();
  const formData = { ...(app.form_data as Record<string, unknown>) };
  for (const [key, sealed] of Object.entries((app.form_sealed ?? {}) as Record<string, string>))
    formData[key] = cipher.decrypt(sealed);
  const materials = await listMaterials(db, app.id);
  const received = (await unitById(db, app.received_sp_id))!;
  const deciding = (await unitById(db, app.deciding_sp_id))!;
  return {
    messageId: message.messageId,
    type: 'case.assigned',
    sentAt: message.createdAt.toISOString(),
    application: {
      id: app.id,
      applicationNo: app.application_no,
      itemCode: app.item_code,
      itemName: app.item_name,
      itemVersion: app.item_version,
      channel: app.channel,
      submittedAt: app.submitted_at.toISOString(),
      acceptedAt: app.accepted_at?.toISOString() ?? null,
      dueDate: app.due_date,
      applicant: {
        name: resident.name,
        idNumber: cipher.decrypt(resident.id_number_cipher),
        mobile: resident.mobile,
        regionCode: resident.region_code,
      },
      formData,
      materials: materials.map((m) => ({
        key: m.material_key,
        sha256: m.file_sha256,
        certificateNo: m.certificate_no,
      })),
      received: { code: received.code, name: received.name },
      deciding: { code: deciding.code, name: deciding.name },
    },
    callback: callbackUrls(ctx.config.integrations.publicUrl, app.application_no),
  };
}
