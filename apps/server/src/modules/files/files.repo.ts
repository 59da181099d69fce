import type { Db } from '../../db/connection.ts';

/** Uploaded files (stored_file): the bytes live in the data directory under their SHA-256. */
export async function fileExists(db: Db, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom('stored_file')
    .select('sha256')
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row !== undefined;
}
