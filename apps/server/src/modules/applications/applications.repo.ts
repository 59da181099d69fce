import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Db } from '../../db/connection.ts';
import type { ApplicationTable } from '../../db/schema.ts';

/**
 * The case's tables — application, its action log, its materials, its daily numbers — and
 * the reads of a case with what hangs on it. Other areas' tables are read here only in the
 * joins and lookups a case needs (the applicant, the certificate); they are written by their
 * own repositories.
 */
export type ApplicationRow = Selectable<ApplicationTable>;
export type ApplicationPatch = Updateable<ApplicationTable>;

export function findApplication(db: Db, id: string, forUpdate = false) {
  let q = db.selectFrom('application').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** A case by id or by number, locked for the step that follows. */
export function findForStep(trx: Db, where: { id?: string; no?: string }) {
  let q = trx.selectFrom('application').selectAll();
  q = where.id ? q.where('id', '=', where.id) : q.where('application_no', '=', where.no!);
  return q.forUpdate().executeTakeFirst();
}

export async function idByNo(db: Db, applicationNo: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('application')
    .select('id')
    .where('application_no', '=', applicationNo)
    .executeTakeFirst();
  return row?.id;
}

export async function statusOf(db: Db, id: string) {
  const row = await db
    .selectFrom('application')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}

export async function insertApplication(
  trx: Db,
  values: Insertable<ApplicationTable>,
): Promise<string> {
  const row = await trx
    .insertInto('application')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Writes a step's changes if the case is still at `version` (optimistic locking on top of
 * the row lock): false when another step got there first.
 */
export async function updateAtVersion(
  trx: Db,
  id: string,
  version: number,
  patch: ApplicationPatch,
): Promise<boolean> {
  const r = await trx
    .updateTable('application')
    .set({ ...patch, version: version + 1, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * 办件编号's daily number for a receiving point: the counter row is locked only for that
 * point and day, so stations never wait on one another.
 */
export async function nextDailyNo(
  trx: Db,
  servicePointCode: string,
  chinaDate: string,
): Promise<number> {
  const row = await sql<{ last_no: number }>`
    INSERT INTO application_no_seq (service_point_code, day, last_no) VALUES (${servicePointCode}, ${chinaDate}, 1)
    ON CONFLICT (service_point_code, day) DO UPDATE SET last_no = application_no_seq.last_no + 1
    RETURNING last_no`.execute(trx);
  return row.rows[0]!.last_no;
}

export interface ActionLogEntry {
  applicationId: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actor: {
    kind: 'staff' | 'citizen' | 'department' | 'system';
    userId: string | null;
    name: string | null;
    roles: string[];
    spCode: string | null;
  };
  comment?: string | null | undefined;
  payload?: unknown;
  requestId: string | null;
}

/** How a signed-in actor is written into a case's log. */
export function logActor(actor: {
  kind: 'staff' | 'citizen';
  userId: string;
  name: string;
  roles: string[];
  servicePoint: { code: string } | null;
}): ActionLogEntry['actor'] {
  return {
    kind: actor.kind,
    userId: actor.userId,
    name: actor.name,
    roles: actor.roles,
    spCode: actor.servicePoint?.code ?? null,
  };
}

/** Appends to the case's log; the log is append-only (a trigger refuses changes). */
export async function appendAction(trx: Db, e: ActionLogEntry): Promise<number> {
  // The next number is taken in the INSERT itself: the caller holds the case's row lock, so
  // no other step of this case can be numbering at the same time.
  const row = await trx
    .insertInto('application_action')
    .values((eb) => ({
      application_id: e.applicationId,
      seq: eb
        .selectFrom('application_action')
        .select(sql<number>`coalesce(max(seq), 0) + 1`.as('next'))
        .where('application_id', '=', e.applicationId),
      action: e.action,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      actor_kind: e.actor.kind,
      actor_user_id: e.actor.userId,
      actor_name: e.actor.name,
      actor_roles: e.actor.roles,
      actor_sp_code: e.actor.spCode,
      comment: e.comment ?? null,
      payload: e.payload === undefined ? null : JSON.stringify(e.payload),
      request_id: e.requestId,
    }))
    .returning('seq')
    .executeTakeFirstOrThrow();
  return row.seq;
}

/** Whether a department message has already moved this case (its id is in the log). */
export async function loggedMessage(trx: Db, applicationId: string, messageId: string) {
  const row = await trx
    .selectFrom('application_action')
    .select('seq')
    .where('application_id', '=', applicationId)
    .where(sql<boolean>`payload->>'messageId' = ${messageId}`)
    .executeTakeFirst();
  return row !== undefined;
}

/** When the case was last approved (the certificate's decision date). */
export async function approvedAt(trx: Db, applicationId: string): Promise<Date | undefined> {
  const row = await trx
    .selectFrom('application_action')
    .select('occurred_at')
    .where('application_id', '=', applicationId)
    .where('action', '=', 'approve')
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return row?.occurred_at;
}

export function listMaterials(db: Db, applicationId: string) {
  return db
    .selectFrom('application_material')
    .select(['material_key', 'source', 'file_sha256', 'certificate_no', 'filename'])
    .where('application_id', '=', applicationId)
    .orderBy('added_at')
    .execute();
}

export async function addMaterials(
  trx: Db,
  applicationId: string,
  userId: string | null,
  materials: {
    key: string;
    sha256?: string | undefined;
    certificateNo?: string | undefined;
    filename?: string | undefined;
  }[],
): Promise<void> {
  if (materials.length === 0) return;
  await trx
    .insertInto('application_material')
    .values(
      materials.map((m) => ({
        application_id: applicationId,
        material_key: m.key,
        source: m.certificateNo ? ('eCertificate' as const) : ('upload' as const),
        file_sha256: m.sha256 ?? null,
        certificate_no: m.certificateNo ?? null,
        filename: m.filename ?? null,
        added_by: userId,
      })),
    )
    .execute();
}

/** The cases that use an uploaded file (who may open a scan), a few at most. */
export async function casesUsingFile(db: Db, sha256: string, limit: number) {
  return db
    .selectFrom('application_material')
    .select('application_id')
    .where('file_sha256', '=', sha256)
    .limit(limit)
    .execute();
}

/** The certificate issued on a case, if any. */
export async function certificateNoOf(db: Db, applicationId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('certificate')
    .select('certificate_no')
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  return row?.certificate_no;
}

/** The ids of the cases assigned to a department system, oldest first. */
export async function assignedTo(
  db: Db,
  systemId: string,
  q: { status: 'with_department' | 'all'; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom('application')
    .select('id')
    .where('department_system_id', '=', systemId)
    .$if(q.status === 'with_department', (b) => b.where('status', '=', 'with_department'))
    .orderBy('submitted_at')
    .orderBy('id')
    .limit(q.limit)
    .execute();
  return rows.map((r) => r.id);
}

// The applicant, as a case needs them.

export function applicantBasics(db: Db, residentId: string) {
  return db
    .selectFrom('resident')
    .select(['id', 'name', 'region_code'])
    .where('id', '=', residentId)
    .executeTakeFirst();
}

/** The holder of a certificate: their name, masked ID number and its lookup hash. */
export function holderOf(db: Db, residentId: string) {
  return db
    .selectFrom('resident')
    .select(['id', 'name', 'id_number_masked', 'id_number_hmac'])
    .where('id', '=', residentId)
    .executeTakeFirstOrThrow();
}

/** The applicant with the ID number's ciphertext, for a department system. */
export function applicantInClear(db: Db, residentId: string) {
  return db
    .selectFrom('resident')
    .select(['name', 'id_number_cipher', 'mobile', 'region_code'])
    .where('id', '=', residentId)
    .executeTakeFirstOrThrow();
}

/** Who to ask for a proxy consent: the resident's mobile. */
export function applicantContact(db: Db, residentId: string) {
  return db
    .selectFrom('resident')
    .select(['id', 'mobile', 'name'])
    .where('id', '=', residentId)
    .executeTakeFirst();
}

// Reads of cases as people see them.

/** A case with the three service points it involves, for lists and access checks. */
export function summaryQuery(db: Db) {
  return db
    .selectFrom('application as a')
    .innerJoin('service_point as r', 'r.id', 'a.received_sp_id')
    .innerJoin('service_point as d', 'd.id', 'a.deciding_sp_id')
    .innerJoin('service_point as v', 'v.id', 'a.deliver_sp_id')
    .selectAll('a')
    .select([
      'r.code as r_code',
      'r.name as r_name',
      'd.code as d_code',
      'd.name as d_name',
      'v.code as v_code',
      'v.name as v_name',
      'v.region_code as v_region',
    ]);
}
export type SummaryRow = Awaited<
  ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>
>;

export function findSummaryByNo(db: Db, applicationNo: string) {
  return summaryQuery(db).where('a.application_no', '=', applicationNo).executeTakeFirst();
}

/**
 * The case in full in one round trip: with its history, materials, applicant, certificate
 * and rating. The case is read after every step it answers, so six queries here were a third
 * of all the statements of a lifecycle.
 */
export function findDetail(db: Db, id: string) {
  return summaryQuery(db)
    .innerJoin('resident as p', 'p.id', 'a.applicant_id')
    .select((eb) => [
      'p.name as p_name',
      'p.id_number_masked as p_id_number_masked',
      jsonArrayFrom(
        eb
          .selectFrom('application_action as x')
          .select([
            'x.seq',
            'x.action',
            'x.from_status',
            'x.to_status',
            'x.actor_kind',
            'x.actor_name',
            'x.actor_roles',
            'x.actor_sp_code',
            'x.comment',
            'x.payload',
            'x.occurred_at',
          ])
          .whereRef('x.application_id', '=', 'a.id')
          .orderBy('x.seq'),
      ).as('actions'),
      jsonArrayFrom(
        eb
          .selectFrom('application_material as m')
          .select(['m.material_key', 'm.source', 'm.file_sha256', 'm.certificate_no', 'm.filename'])
          .whereRef('m.application_id', '=', 'a.id')
          .orderBy('m.added_at'),
      ).as('materials'),
      eb
        .selectFrom('certificate as c')
        .select('c.certificate_no')
        .whereRef('c.application_id', '=', 'a.id')
        .limit(1)
        .as('cert_no'),
      jsonObjectFrom(
        eb
          .selectFrom('rating as g')
          .select(['g.grade', 'g.comment'])
          .whereRef('g.application_id', '=', 'a.id'),
      ).as('rating'),
    ])
    .where('a.id', '=', id)
    .executeTakeFirst();
}
export type DetailRow = NonNullable<Awaited<ReturnType<typeof findDetail>>>;

/** A citizen's own cases, newest first. */
export function listByApplicant(db: Db, residentId: string, limit: number) {
  return summaryQuery(db)
    .where('a.applicant_id', '=', residentId)
    .orderBy('a.submitted_at', 'desc')
    .limit(limit)
    .execute();
}
