import type { Db } from '../../db/connection.ts';
import type { StoredFileTable } from '../../db/schema.ts';

/** Uploaded files (stored_file): the bytes live in the data directory under their SHA-256. */
export async function fileExists(db: Db, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom('stored_file')
    .select('sha256')
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records an upload; a file already known (the same bytes, uploaded before) is left as it is. */
export async function insertFile(
  db: Db,
  file: { sha256: string; size: number; mime: StoredFileTable['mime']; uploadedBy: string },
): Promise<void> {
  await db
    .insertInto('stored_file')
    .values({
      sha256: file.sha256,
      size: file.size,
      mime: file.mime,
      uploaded_by: file.uploadedBy,
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

export function findFile(db: Db, sha256: string) {
  return db.selectFrom('stored_file').selectAll().where('sha256', '=', sha256).executeTakeFirst();
}

/** Which of these files have been uploaded. */
export async function uploadedAmong(db: Db, shas: string[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('stored_file')
    .select(['sha256', 'uploaded_by'])
    .where('sha256', 'in', shas)
    .execute();
  return new Set(rows.map((r) => r.sha256));
}
