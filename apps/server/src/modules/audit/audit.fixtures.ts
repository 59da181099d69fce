import { randomUUID } from 'node:crypto';
import type { Role } from '@yimen/core';
import { sql } from 'kysely';
import { type Actor, rolesOf } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { type AuditEntry, recordAudit } from './audit.service.ts';

/**
 * Test helpers for the audit trail: actors shaped like the ones auth builds, rows written
 * the way services write them, and tampering that goes round the append-only trigger the
 * way someone with database access would.
 */
export function staffActor(
  servicePointCode: string,
  opts: { roles?: Role[]; regionCode?: string; name?: string } = {},
): Actor {
  return {
    userId: randomUUID(),
    kind: 'staff',
    name: opts.name ?? '李四',
    username: `staff-${servicePointCode}`,
    ...rolesOf(opts.roles ?? ['village_agent']),
    servicePoint: {
      id: randomUUID(),
      code: servicePointCode,
      name: `${servicePointCode} 便民服务站`,
      regionCode: opts.regionCode ?? servicePointCode,
    },
    department: null,
    residentId: null,
    sessionId: randomUUID(),
    authMethod: 'bearer',
  };
}

export async function record(db: Db, entry: Partial<AuditEntry> & { actor: Actor | null }) {
  await db.transaction().execute((trx) =>
    recordAudit(trx, {
      meta: { requestId: randomUUID(), ip: '10.0.0.1' },
      action: 'test.act',
      ...entry,
    }),
  );
}

export async function rowsOf(db: Db, chain: string) {
  return db.selectFrom('audit_log').selectAll().where('chain', '=', chain).orderBy('seq').execute();
}

/** Runs SQL with triggers off, as a superuser editing the table by hand would. */
export async function tamper(db: Db, statement: ReturnType<typeof sql>) {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}
