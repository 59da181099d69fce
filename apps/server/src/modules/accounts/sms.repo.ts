import type { Db } from '../../db/connection.ts';

/** Text messages the database gateway has sent (sms_message): what tests and demos read. */
export async function insertSmsMessage(
  trx: Db,
  message: { mobile: string; body: string; purpose: string },
): Promise<void> {
  await trx.insertInto('sms_message').values(message).execute();
}
