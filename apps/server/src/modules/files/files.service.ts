import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../app-context.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export type FileMime = 'application/pdf' | 'image/jpeg' | 'image/png';

/** The type by the file's first bytes, whatever the client says it is. */
export function sniffMime(buf: Buffer): FileMime | undefined {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  return undefined;
}

export function filePath(ctx: AppContext, sha256: string): string {
  return path.join(ctx.config.dataDir, 'files', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/**
 * Stores an upload under its SHA-256: the same scan uploaded twice is one file. The bytes
 * are written (atomically, by rename) before the row, so a row never names a missing file.
 */
async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}

export async function storeFile(ctx: AppContext, actor: Actor, buf: Buffer) {
  const mime = sniffMime(buf);
  if (!mime) throw new AppError('FILE_TYPE_NOT_ALLOWED');
  const sha256 = createHash('sha256').update(buf).digest('hex');
  const target = filePath(ctx, sha256);
  // Off the event loop (libuv's threads): a village's scans should not stall other requests.
  if (!(await exists(target))) {
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${randomUUID()}.tmp`;
    await fs.promises.writeFile(tmp, buf);
    await fs.promises.rename(tmp, target);
  }
  await ctx.database.db
    .insertInto('stored_file')
    .values({ sha256, size: buf.length, mime, uploaded_by: actor.userId })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  return { sha256, size: buf.length, mime };
}

/** A file may be read by who uploaded it, or by anyone who may see a case that uses it. */
export async function readableFile(ctx: AppContext, actor: Actor, sha256: string) {
  const db = ctx.database.db;
  const row = await db
    .selectFrom('stored_file')
    .selectAll()
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (!row) throw new AppError('FILE_NOT_FOUND');
  const allowed =
    row.uploaded_by === actor.userId || (await ctx.cases.usesVisibleFile(db, actor, sha256));
  if (!allowed) throw new AppError('FILE_NOT_FOUND');
  return {
    mime: row.mime,
    size: row.size,
    bytes: await fs.promises.readFile(filePath(ctx, sha256)),
  };
}

export async function requireUploadedFiles(db: Db, shas: string[]): Promise<void> {
  if (shas.length === 0) return;
  const rows = await db
    .selectFrom('stored_file')
    .select(['sha256', 'uploaded_by'])
    .where('sha256', 'in', shas)
    .execute();
  const found = new Set(rows.map((r) => r.sha256));
  const missing = shas.filter((s) => !found.has(s));
  if (missing.length) {
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      missing.map((s) => ({
        field: 'body.materials',
        message: {
          zh: `文件 ${s.slice(0, 12)}… 未上传`,
          en: `file ${s.slice(0, 12)}… was not uploaded`,
        },
      })),
    );
  }
}
