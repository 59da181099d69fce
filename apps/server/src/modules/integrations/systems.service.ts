import { randomUUID } from 'node:crypto';
import type {
  DepartmentSystem,
  DepartmentSystemCreateInput,
  DepartmentSystemPatchInput,
} from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { afterCommit } from '../../db/unit-of-work.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { generateSealKeyPair } from '../certificates/seal-crypto.ts';
import { backlogByTarget, type TargetBacklog } from '../outbox/outbox.repo.ts';
import * as repo from './systems.repo.ts';

/**
 * The integration hub is run by the city: connectors and subscriptions are set up by a
 * system or city administrator.
 */
export function requireIntegrationAdmin(actor: Actor): void {
  if (
    actor.kind !== 'staff' ||
    !actor.roles.some((r) => r === 'system_admin' || r === 'city_admin')
  )
    throw new AppError('FORBIDDEN', { permission: 'integrations (system_admin, city_admin)' });
}

type ListedRow = Awaited<ReturnType<ReturnType<typeof repo.listSystems>['execute']>>[number];

const NO_BACKLOG: TargetBacklog = { pending: 0, dead: 0, failing: 0, lastError: null };

function present(r: ListedRow, backlog: TargetBacklog = NO_BACKLOG): DepartmentSystem {
  return {
    id: r.id,
    code: r.code,
    systemKey: r.system_key,
    name: r.name,
    department: r.department,
    baseUrl: r.base_url,
    clientId: r.client_id,
    authKind: r.auth_kind,
    peerPublicKey: r.peer_public_key,
    platformPublicKey: r.platform_public_key,
    items: r.items,
    events: r.events,
    timeoutMs: r.timeout_ms,
    servicePointCode: r.sp_code,
    active: r.active,
    backlog,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** What an audit row may say about a connector: everything but its credentials. */
function auditView(input: Partial<DepartmentSystemCreateInput>) {
  const { auth, ...rest } = input;
  return { ...rest, ...(auth ? { authKind: auth.kind, credentialsChanged: true } : {}) };
}

/** The credential columns for `auth`: secrets and our private key encrypted to this row. */
function credentialColumns(ctx: AppContext, id: string, auth: DepartmentSystemCreateInput['auth']) {
  if (auth.kind === 'hmac') {
    return {
      auth_kind: 'hmac' as const,
      secret_cipher: ctx.keys.connector.encrypt(Buffer.from(auth.secret, 'utf8'), id),
      peer_public_key: null,
      platform_public_key: null,
      platform_key_cipher: null,
    };
  }
  const ours = generateSealKeyPair();
  return {
    auth_kind: 'ed25519' as const,
    secret_cipher: null,
    peer_public_key: auth.publicKey,
    platform_public_key: ours.publicX,
    platform_key_cipher: ctx.keys.connector.encrypt(ours.pkcs8, id),
  };
}

async function servicePointId(trx: Db, code: string | null | undefined) {
  if (!code) return null;
  const id = await repo.servicePointIdByCode(trx, code);
  if (!id) throw new AppError('SERVICE_POINT_NOT_FOUND', { code });
  return id;
}

/** Connectors with what waits for each in the outbox. */
async function withBacklog(db: Db, rows: ListedRow[]): Promise<DepartmentSystem[]> {
  const backlog = await backlogByTarget(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => present(r, backlog.get(r.id)));
}

export async function getSystem(db: Db, id: string): Promise<DepartmentSystem> {
  const row = await repo.listSystems(db).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('DEPARTMENT_SYSTEM_NOT_FOUND', { id });
  return (await withBacklog(db, [row]))[0]!;
}

export async function listSystems(db: Db, actor: Actor) {
  requireIntegrationAdmin(actor);
  return { items: await withBacklog(db, await repo.listSystems(db).execute()) };
}

export async function createSystem(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  input: DepartmentSystemCreateInput,
): Promise<DepartmentSystem> {
  requireIntegrationAdmin(actor);
  const clash = await repo.findClash(trx, input.code, input.clientId);
  if (clash)
    throw new AppError('DEPARTMENT_SYSTEM_TAKEN', {
      value: clash.code === input.code ? input.code : input.clientId,
    });
  const id = randomUUID();
  await repo.insertSystem(trx, {
    id,
    code: input.code,
    system_key: input.systemKey,
    name: input.name,
    department: input.department,
    base_url: input.baseUrl,
    client_id: input.clientId,
    ...credentialColumns(ctx, id, input.auth),
    items: input.items,
    events: input.events,
    timeout_ms: input.timeoutMs,
    service_point_id: await servicePointId(trx, input.servicePointCode),
    active: input.active,
  });
  await recordAudit(trx, {
    actor,
    meta,
    action: 'integration.system.create',
    targetType: 'department_system',
    targetId: id,
    after: auditView(input),
  });
  afterCommit(trx, repo.connectorsChanged);
  return getSystem(trx, id);
}

export async function updateSystem(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  patch: DepartmentSystemPatchInput,
): Promise<DepartmentSystem> {
  requireIntegrationAdmin(actor);
  const before = await repo.findSystem(trx, id);
  if (!before) throw new AppError('DEPARTMENT_SYSTEM_NOT_FOUND', { id });
  await repo.updateSystem(trx, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.department !== undefined ? { department: patch.department } : {}),
    ...(patch.baseUrl !== undefined ? { base_url: patch.baseUrl } : {}),
    ...(patch.auth ? credentialColumns(ctx, id, patch.auth) : {}),
    ...(patch.items !== undefined ? { items: patch.items } : {}),
    ...(patch.events !== undefined ? { events: patch.events } : {}),
    ...(patch.timeoutMs !== undefined ? { timeout_ms: patch.timeoutMs } : {}),
    ...(patch.servicePointCode !== undefined
      ? { service_point_id: await servicePointId(trx, patch.servicePointCode) }
      : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
    updated_at: new Date(),
  });
  await recordAudit(trx, {
    actor,
    meta,
    action: 'integration.system.update',
    targetType: 'department_system',
    targetId: id,
    before: { baseUrl: before.base_url, active: before.active, items: before.items },
    after: auditView(patch as Partial<DepartmentSystemCreateInput>),
  });
  // After the commit: a cache refilled before it would keep the old row.
  afterCommit(trx, repo.connectorsChanged);
  return getSystem(trx, id);
}
