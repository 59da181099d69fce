import { type Selectable, sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { ApplicationTable } from '../../db/schema.ts';

export type ApplicationRow = Selectable<ApplicationTable>;

export function findApplication(db: Db, id: string, forUpdate = false) {
  let q = db.selectFrom('application').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
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

export function listActions(db: Db, applicationId: string) {
  return db
    .selectFrom('application_action')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('seq')
    .execute();
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
