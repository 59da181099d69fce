import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/**
 * One-time codes sent by SMS (sms_code): sign-in codes and proxy consents. Only the code's
 * keyed hash is kept; a code is tried a few times at most and used once.
 */
export async function insertCode(
  trx: Db,
  c: { mobile: string; purpose: string; codeHash: string; ip: string | null; expiresAt: Date },
): Promise<void> {
  await trx
    .insertInto('sms_code')
    .values({
      mobile: c.mobile,
      purpose: c.purpose,
      code_hash: c.codeHash,
      ip: c.ip,
      expires_at: c.expiresAt,
    })
    .execute();
}

/** The newest code for `purpose` (sent to `mobile`, when given) that is unused and unexpired. */
export function liveCodeFor(db: Db, purpose: string, mobile?: string) {
  let q = db.selectFrom('sms_code').select(['id', 'code_hash', 'attempts', 'mobile']);
  if (mobile !== undefined) q = q.where('mobile', '=', mobile);
  return q
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** The codes sent to a mobile since `since`, newest first: what its rate limits count. */
export function codesSentTo(db: Db, mobile: string, since: Date) {
  return db
    .selectFrom('sms_code')
    .select(['created_at', 'purpose'])
    .where('mobile', '=', mobile)
    .where('created_at', '>', since)
    .orderBy('created_at', 'desc')
    .execute();
}

/** How many codes were asked for from one address since `since`. */
export async function countCodesFromIp(db: Db, ip: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('sms_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ip', '=', ip)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A wrong try: it counts even though the request that made it fails. */
export async function countTry(db: Db, id: string): Promise<void> {
  await sql`UPDATE sms_code SET attempts = attempts + 1 WHERE id = ${id}`.execute(db);
}

/** Uses a code up; false when it had already been used. */
export async function useCode(trx: Db, id: string): Promise<boolean> {
  const r = await trx
    .updateTable('sms_code')
    .set({ used_at: new Date() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
