import type { AppContext } from '../../app-context.ts';
import type { Db } from '../../db/connection.ts';
import type { DepartmentCase } from '../../ports.ts';
import * as repo from './applications.repo.ts';
import { unitById } from './units.repo.ts';

/**
 * A case as the department system that holds it receives it: in full, ID numbers in clear
 * (a department system registers the person). The hub signs it in transit and logs it with
 * those numbers masked. Undefined when the system does not hold the case.
 */
export async function departmentCase(
  ctx: AppContext,
  db: Db,
  systemId: string,
  id: string,
): Promise<DepartmentCase | undefined> {
  const app = await repo.findApplication(db, id);
  if (!app || app.department_system_id !== systemId) return undefined;
  const cipher = ctx.keys.personalData;
  const resident = await repo.applicantInClear(db, app.applicant_id);
  const formData = { ...(app.form_data as Record<string, unknown>) };
  for (const [key, sealed] of Object.entries((app.form_sealed ?? {}) as Record<string, string>))
    formData[key] = cipher.decrypt(sealed);
  const materials = await repo.listMaterials(db, app.id);
  const received = (await unitById(db, app.received_sp_id))!;
  const deciding = (await unitById(db, app.deciding_sp_id))!;
  return {
    status: app.status,
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
  };
}
