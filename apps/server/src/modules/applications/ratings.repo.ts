import type { Db } from '../../db/connection.ts';

/** 好差评 (rating) and the follow-ups (回访) bad ones open. */

/** A case's one rating; false when it was rated already. */
export async function insertRating(
  trx: Db,
  r: { applicationId: string; residentId: string; grade: number; comment: string | null },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('rating')
    .values({
      application_id: r.applicationId,
      resident_id: r.residentId,
      grade: r.grade,
      comment: r.comment,
    })
    .onConflict((oc) => oc.column('application_id').doNothing())
    .returning('application_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function insertFollowUp(
  trx: Db,
  f: { applicationId: string; servicePointId: string; dueDate: string },
): Promise<string> {
  const row = await trx
    .insertInto('follow_up')
    .values({
      application_id: f.applicationId,
      service_point_id: f.servicePointId,
      due_date: f.dueDate,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A service point's follow-ups of one status, the soonest due first, with their case and rating. */
export function listFollowUps(db: Db, servicePointId: string, status: 'open' | 'done') {
  return db
    .selectFrom('follow_up as f')
    .innerJoin('application as a', 'a.id', 'f.application_id')
    .innerJoin('rating as r', 'r.application_id', 'f.application_id')
    .select([
      'f.id',
      'f.due_date',
      'f.status',
      'f.note',
      'a.id as application_id',
      'a.application_no',
      'a.item_name',
      'a.applicant_name',
      'r.grade',
      'r.comment',
    ])
    .where('f.service_point_id', '=', servicePointId)
    .where('f.status', '=', status)
    .orderBy('f.due_date')
    .limit(200)
    .execute();
}

/** Closes an open follow-up of the service point; false when there is none such. */
export async function closeFollowUp(
  trx: Db,
  c: { id: string; servicePointId: string; note: string; userId: string },
): Promise<boolean> {
  const r = await trx
    .updateTable('follow_up')
    .set({ status: 'done', note: c.note, closed_at: new Date(), closed_by: c.userId })
    .where('id', '=', c.id)
    .where('service_point_id', '=', c.servicePointId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
