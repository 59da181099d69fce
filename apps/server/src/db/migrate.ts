import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './connection.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface MigrationFile {
  version: string;
  file: string;
}

export function listMigrations(): MigrationFile[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), file: path.join(MIGRATIONS_DIR, f) }));
}

/**
 * Applies every migration not yet applied, each in its own transaction with the row that
 * records it. Forward only: there is no down. On PostgreSQL an advisory lock keeps two
 * starting servers from migrating at once.
 */
export async function migrate(database: Database): Promise<string[]> {
  const { db } = database;
  await sql`CREATE TABLE IF NOT EXISTS schema_migration (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  const applied: string[] = [];
  for (const m of listMigrations()) {
    const done = await db.transaction().execute(async (trx) => {
      if (database.kind === 'postgres') {
        await sql`SELECT pg_advisory_xact_lock(hashtext('yimen.migrate'))`.execute(trx);
      }
      const row = await trx
        .selectFrom('schema_migration')
        .select('version')
        .where('version', '=', m.version)
        .executeTakeFirst();
      if (row) return false;
      await sql.raw(fs.readFileSync(m.file, 'utf8')).execute(trx);
      await trx.insertInto('schema_migration').values({ version: m.version }).execute();
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

export async function pendingMigrations(database: Database): Promise<string[]> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('schema_migration')::text AS t`
    .execute(database.db)
    .then((r) => r.rows[0]?.t);
  const applied = exists
    ? new Set(
        (await database.db.selectFrom('schema_migration').select('version').execute()).map(
          (r) => r.version,
        ),
      )
    : new Set<string>();
  return listMigrations()
    .map((m) => m.version)
    .filter((v) => !applied.has(v));
}
