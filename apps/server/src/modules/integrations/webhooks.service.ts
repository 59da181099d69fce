import { randomUUID } from 'node:crypto';
import type { webhookCreateBody, webhookPatchBody } from '@yimen/core';
import type { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireIntegrationAdmin } from './systems.service.ts';
import * as repo from './webhooks.repo.ts';

type CreateInput = z.infer<typeof webhookCreateBody>;
type PatchInput = z.infer<typeof webhookPatchBody>;

function present(r: Awaited<ReturnType<typeof repo.insertWebhook>>) {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    events: r.events,
    regionCode: r.region_code,
    active: r.active,
    createdAt: r.created_at.toISOString(),
  };
}

const withoutSecret = ({ secret, ...rest }: Partial<CreateInput>) => ({
  ...rest,
  ...(secret ? { secretChanged: true } : {}),
});

export async function listWebhooks(db: Db, actor: Actor) {
  requireIntegrationAdmin(actor);
  return { items: (await repo.listWebhooks(db)).map(present) };
}

export async function createWebhook(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  input: CreateInput,
) {
  requireIntegrationAdmin(actor);
  const id = randomUUID();
  const row = await repo.insertWebhook(trx, {
    id,
    name: input.name,
    url: input.url,
    secret_cipher: ctx.keys.connector.encrypt(Buffer.from(input.secret, 'utf8'), id),
    events: input.events,
    region_code: input.regionCode ?? null,
    active: input.active,
    created_by: actor.userId,
  });
  await recordAudit(trx, {
    actor,
    meta,
    action: 'integration.webhook.create',
    targetType: 'webhook_subscription',
    targetId: id,
    after: withoutSecret(input),
  });
  return present(row);
}

export async function updateWebhook(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  patch: PatchInput,
) {
  requireIntegrationAdmin(actor);
  const row = await repo.updateWebhook(trx, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.url !== undefined ? { url: patch.url } : {}),
    ...(patch.secret !== undefined
      ? { secret_cipher: ctx.keys.connector.encrypt(Buffer.from(patch.secret, 'utf8'), id) }
      : {}),
    ...(patch.events !== undefined ? { events: patch.events } : {}),
    ...(patch.regionCode !== undefined ? { region_code: patch.regionCode } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
    updated_at: new Date(),
  });
  if (!row) throw new AppError('WEBHOOK_NOT_FOUND', { id });
  await recordAudit(trx, {
    actor,
    meta,
    action: 'integration.webhook.update',
    targetType: 'webhook_subscription',
    targetId: id,
    after: withoutSecret(patch),
  });
  return present(row);
}

/** Deleting stops new events; messages already queued for it fail and become dead letters. */
export async function deleteWebhook(trx: Db, actor: Actor, meta: RequestMeta, id: string) {
  requireIntegrationAdmin(actor);
  if (!(await repo.deleteWebhook(trx, id))) throw new AppError('WEBHOOK_NOT_FOUND', { id });
  await recordAudit(trx, {
    actor,
    meta,
    action: 'integration.webhook.delete',
    targetType: 'webhook_subscription',
    targetId: id,
  });
}
