import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/** Asks the database the least it can answer; throws when it cannot. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
