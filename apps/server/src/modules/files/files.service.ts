import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../app-context.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import type { StoredFileTable } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { findFile, insertFile, uploadedAmong } from './files.repo.ts';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
type FileMime = StoredFileTable['mime'];

/** The type by the file's first bytes, whatever the client says it is. */
function sniffMime(buf: Buffer): FileMime | undefined {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  return undefined;
}

function filePath(ctx: AppContext, sha256: string): string {
  return path.join(ctx.config.dataDir, 'files', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stores an upload under its SHA-256: the same scan uploaded twice is one file. The bytes
 * are written (atomically, by rename) before the row, so a row never names a missing file.
 * The row is not written in a unit of work (http/write.ts): it is one idempotent statement
 * with nothing that must commit beside it, and uploads are the most frequent write (four of
 * a case's eleven requests), to which a transaction would add BEGIN and COMMIT.
 */
/**
 * An upload's bytes, kept under their SHA-256 before the row is written (so a row never
 * names a missing file): the same scan uploaded twice is one file, written atomically by
 * rename, off the event loop (libuv's threads) so a village's scans stall no other request.
 */
export async function keepFileBytes(ctx: AppContext, body: unknown): Promise<StoredFile> {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('FILE_TYPE_NOT_ALLOWED');
  const mime = sniffMime(body);
  if (!mime) throw new AppError('FILE_TYPE_NOT_ALLOWED');
  const sha256 = createHash('sha256').update(body).digest('hex');
  const target = filePath(ctx, sha256);
  if (!(await exists(target))) {
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${randomUUID()}.tmp`;
    await fs.promises.writeFile(tmp, body);
    await fs.promises.rename(tmp, target);
  }
  return { sha256, size: body.length, mime };
}

export interface StoredFile {
  sha256: string;
  size: number;
  mime: FileMime;
}

/** The upload's row: one statement (who uploaded it may read it back). */
export async function recordFile(db: Db, actor: Actor, file: StoredFile): Promise<StoredFile> {
  await insertFile(db, { ...file, uploadedBy: actor.userId });
  return file;
}

/** A file may be read by who uploaded it, or by anyone who may see a case that uses it. */
export async function readableFile(ctx: AppContext, actor: Actor, sha256: string) {
  const db = ctx.database.db;
  const row = await findFile(db, sha256);
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
  const found = await uploadedAmong(db, shas);
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
