import { itemContentSchema } from '@yimen/core';
import type { Db } from '../../db/connection.ts';
import { idNumberFor } from '../../test/factories.ts';
import { TEST_KEYS } from '../../test/harness.ts';
import { sealIdNumber } from '../residents/residents.seal.ts';
import {
  type IssueCertificateInput,
  type IssuedCertificate,
  issueCertificate,
} from './certificates.issue.ts';

/**
 * Test rows the applications module will make for real: a resident, an approved
 * application of a seeded item, and its certificate issued in one transaction.
 */
const BIRTH_REGISTRATION = '4309-WJ-QR-001'; // 生育登记 → 生育登记服务证
export const JINSHAN = '430903105237'; // 金山村, 沧水铺镇, 赫山区
export const CANGSHUIPU = '430903105'; // 沧水铺镇 centre: decides under one seal

let counter = 0;

export async function servicePoint(db: Db, code: string) {
  return db
    .selectFrom('service_point')
    .select(['id', 'code', 'name', 'region_code'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
}

export async function createResidentRow(db: Db, name: string, villageCode = JINSHAN) {
  const idNumber = idNumberFor(villageCode.slice(0, 6), '19900512');
  const row = await db
    .insertInto('resident')
    .values({
      name,
      ...sealIdNumber(TEST_KEYS.personalData, idNumber),
      sex: 'male',
      mobile: null,
      region_code: villageCode,
      household_id: null,
      relationship: null,
    })
    .returning(['id', 'name', 'id_number_masked', 'id_number_hmac'])
    .executeTakeFirstOrThrow();
  return { ...row, idNumber };
}

export interface IssuedFixture extends IssuedCertificate {
  applicationId: string;
  holder: Awaited<ReturnType<typeof createResidentRow>>;
  formData: Record<string, unknown>;
  input: IssueCertificateInput;
}

export async function issueTestCertificate(
  db: Db,
  opts: {
    holder?: Awaited<ReturnType<typeof createResidentRow>>;
    decidingCode?: string;
    formData?: Record<string, unknown>;
  } = {},
): Promise<IssuedFixture> {
  const holder = opts.holder ?? (await createResidentRow(db, '王建国'));
  const item = await db
    .selectFrom('catalog_item')
    .innerJoin('catalog_item_version as v', (j) =>
      j
        .onRef('v.item_id', '=', 'catalog_item.id')
        .onRef('v.version', '=', 'catalog_item.current_version'),
    )
    .select(['catalog_item.id', 'catalog_item.name', 'v.version', 'v.content'])
    .where('catalog_item.code', '=', BIRTH_REGISTRATION)
    .executeTakeFirstOrThrow();
  const content = itemContentSchema.parse(item.content);
  const village = await servicePoint(db, JINSHAN);
  const deciding = await servicePoint(db, opts.decidingCode ?? CANGSHUIPU);
  const formData = opts.formData ?? {
    wifeName: '李秋菊',
    wifeIdNumber: '430903********1234',
    husbandName: holder.name,
    husbandIdNumber: holder.id_number_masked,
    mobile: '138****0001',
    marriageDate: '2024-05-01',
    childOrder: '1',
    pregnant: true,
    expectedDate: '2026-10-01',
    residenceVillage: JINSHAN,
  };
  const n = ++counter;
  return db.transaction().execute(async (trx) => {
    const app = await trx
      .insertInto('application')
      .values({
        application_no: `${JINSHAN}-20260101-${process.pid}${String(n).padStart(4, '0')}`,
        item_id: item.id,
        item_code: BIRTH_REGISTRATION,
        item_version: item.version,
        item_name: item.name,
        applicant_id: holder.id,
        applicant_name: holder.name,
        channel: 'counter',
        form_data: JSON.stringify(formData),
        received_sp_id: village.id,
        received_region: village.region_code,
        accepting_sp_id: village.id,
        deciding_sp_id: deciding.id,
        deciding_region: deciding.region_code,
        deliver_sp_id: village.id,
        status: 'approved',
        promised_days: content.promisedDays,
        decision: 'approved',
      })
      .returning(['id', 'application_no'])
      .executeTakeFirstOrThrow();
    const input: IssueCertificateInput = {
      applicationId: app.id,
      applicationNo: app.application_no,
      itemCode: BIRTH_REGISTRATION,
      itemName: item.name,
      template: content.certificateTemplate,
      formData,
      holder: {
        residentId: holder.id,
        name: holder.name,
        idNumberMasked: holder.id_number_masked,
        idNumberHmac: holder.id_number_hmac,
      },
      decision: 'approved',
      decidedAt: new Date(),
      issuingUnit: { servicePointId: deciding.id, code: deciding.code, name: deciding.name },
    };
    const issued = await issueCertificate(trx, TEST_KEYS, input);
    return { ...issued, applicationId: app.id, holder, formData, input };
  });
}
