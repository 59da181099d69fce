import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/** The only SQL of the certificates area: seals, certificates and their numbering. */

const SEAL_COLUMNS = [
  'seal_key.key_id',
  'seal_key.service_point_id',
  'seal_key.public_key',
  'seal_key.status',
  'seal_key.created_at',
  'seal_key.retired_at',
] as const;

export function findActiveSeal(db: Db, servicePointId: string) {
  return db
    .selectFrom('seal_key')
    .select([...SEAL_COLUMNS, 'seal_key.private_key_cipher'])
    .where('service_point_id', '=', servicePointId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}
export type ActiveSealRow = NonNullable<Awaited<ReturnType<typeof findActiveSeal>>>;

/**
 * Serialises seal creation and rotation per unit. NO KEY UPDATE, not UPDATE: it does not
 * block the foreign-key checks of applications being filed at the same point.
 */
export function lockServicePoint(db: Db, servicePointId: string) {
  return db
    .selectFrom('service_point')
    .select(['id', 'code', 'name', 'region_code'])
    .where('id', '=', servicePointId)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

export function findServicePointByCode(db: Db, code: string) {
  return db
    .selectFrom('service_point')
    .select(['id', 'code', 'name', 'region_code'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export function insertSeal(
  db: Db,
  row: { key_id: string; service_point_id: string; public_key: string; private_key_cipher: string },
) {
  return db
    .insertInto('seal_key')
    .values({ ...row, status: 'active' })
    .returning([...SEAL_COLUMNS, 'seal_key.private_key_cipher'])
    .executeTakeFirstOrThrow();
}

export function retireActiveSeal(db: Db, servicePointId: string) {
  return db
    .updateTable('seal_key')
    .set({ status: 'retired', retired_at: new Date() })
    .where('service_point_id', '=', servicePointId)
    .where('status', '=', 'active')
    .returning(['key_id'])
    .executeTakeFirst();
}

export function listSeals(db: Db) {
  return db
    .selectFrom('seal_key')
    .innerJoin('service_point', 'service_point.id', 'seal_key.service_point_id')
    .select([...SEAL_COLUMNS, 'service_point.code as sp_code', 'service_point.name as sp_name'])
    .orderBy('service_point.code')
    .orderBy('seal_key.created_at')
    .orderBy('seal_key.key_id')
    .execute();
}
export type SealListRow = Awaited<ReturnType<typeof listSeals>>[number];

/** The next number of a point's year; the row lock is held only for that point and year. */
export async function nextCertificateSeq(db: Db, servicePointCode: string, year: number) {
  const res = await sql<{ last_no: number }>`
    INSERT INTO certificate_no_seq (service_point_code, year, last_no)
    VALUES (${servicePointCode}, ${year}, 1)
    ON CONFLICT (service_point_code, year)
    DO UPDATE SET last_no = certificate_no_seq.last_no + 1
    RETURNING last_no`.execute(db);
  return Number(res.rows[0]!.last_no);
}

export function insertCertificate(
  db: Db,
  row: {
    certificate_no: string;
    application_id: string;
    item_code: string;
    holder_id: string;
    payload: string;
    payload_canonical: string;
    signature: string;
    key_id: string;
    issued_at: Date;
  },
) {
  return db
    .insertInto('certificate')
    .values({ ...row, payload: sql`${row.payload}::jsonb`, status: 'valid' })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

/** A certificate with what deciding who may see it needs: unit, region, application. */
export function findCertificate(db: Db, certificateNo: string, opts: { lock?: boolean } = {}) {
  let q = db
    .selectFrom('certificate')
    .innerJoin('seal_key', 'seal_key.key_id', 'certificate.key_id')
    .innerJoin('service_point as issuer', 'issuer.id', 'seal_key.service_point_id')
    .innerJoin('application', 'application.id', 'certificate.application_id')
    .select([
      'certificate.id',
      'certificate.certificate_no',
      'certificate.application_id',
      'certificate.item_code',
      'certificate.holder_id',
      'certificate.payload_canonical',
      'certificate.signature',
      'certificate.key_id',
      'certificate.status',
      'certificate.issued_at',
      'certificate.revoked_at',
      'certificate.revoke_reason',
      'seal_key.public_key',
      'issuer.id as issuer_sp_id',
      'issuer.code as issuer_code',
      'issuer.name as issuer_name',
      'issuer.region_code as issuer_region',
      'application.application_no',
      'application.received_region',
      'application.item_id',
      'application.item_version',
    ])
    .where('certificate.certificate_no', '=', certificateNo);
  if (opts.lock) q = q.forUpdate(['certificate']);
  return q.executeTakeFirst();
}
export type CertificateRow = NonNullable<Awaited<ReturnType<typeof findCertificate>>>;

export function listHolderCertificates(db: Db, holderId: string) {
  return db
    .selectFrom('certificate')
    .select([
      'certificate_no',
      'item_code',
      'payload_canonical',
      'status',
      'issued_at',
      'revoked_at',
    ])
    .where('holder_id', '=', holderId)
    .orderBy('issued_at', 'desc')
    .orderBy('certificate_no', 'desc')
    .execute();
}

export function findValidCertificateOfApplication(db: Db, applicationId: string) {
  return db
    .selectFrom('certificate')
    .select(['certificate_no', 'payload_canonical', 'signature', 'key_id'])
    .where('application_id', '=', applicationId)
    .where('status', '=', 'valid')
    .executeTakeFirst();
}

/** The holder's valid certificates of an item, newest first. */
export function listValidCertificatesOf(db: Db, holderId: string, itemCode: string) {
  return db
    .selectFrom('certificate')
    .select(['certificate_no', 'issued_at', 'payload_canonical'])
    .where('holder_id', '=', holderId)
    .where('item_code', '=', itemCode)
    .where('status', '=', 'valid')
    .orderBy('issued_at', 'desc')
    .execute();
}

export function markRevoked(db: Db, id: string, reason: string, at: Date) {
  return db
    .updateTable('certificate')
    .set({ status: 'revoked', revoked_at: at, revoke_reason: reason })
    .where('id', '=', id)
    .execute();
}

/** The form of the item version an application was filed under: labels and field types. */
export async function findApplicationForm(db: Db, applicationId: string) {
  const row = await db
    .selectFrom('application')
    .innerJoin('catalog_item_version as v', (j) =>
      j
        .onRef('v.item_id', '=', 'application.item_id')
        .onRef('v.version', '=', 'application.item_version'),
    )
    .select(['v.content'])
    .where('application.id', '=', applicationId)
    .executeTakeFirst();
  return row?.content;
}
