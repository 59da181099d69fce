import { randomUUID } from 'node:crypto';
import type { webhookCreateBody, webhookPatchBody } from '@yimen/core';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { WebhookSubscriptionTable } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { requireIntegrationAdmin } from './systems.service.ts';

type CreateInput = z.infer<typeof webhookCreateBody>;
type PatchInput = z.infer<typeof webhookPatchBody>;

function present(r: Selectable<WebhookSubscriptionTable>) {
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

export async function listWebhooks(ctx: AppContext, actor: Actor) {
  requireIntegrationAdmin(actor);
  const rows = await ctx.database.db
    .selectFrom('webhook_subscription')
    .selectAll()
    .orderBy('created_at')
    .execute();
  return { items: rows.map(present) };
}

export async function createWebhook(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta,
  input: CreateInput,
) {
  requireIntegrationAdmin(actor);
  return ctx.database.db.transaction().execute(async (trx) => {
    const id = randomUUID();
    const row = await trx
      .insertInto('webhook_subscription')
      .values({
        id,
        name: input.name,
        url: input.url,
        secret_cipher: ctx.keys.connector.encrypt(Buffer.from(input.secret, 'utf8'), id),
        events: input.events,
        region_code: input.regionCode ?? null,
        active: input.active,
        created_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      meta,
      action: 'integration.webhook.create',
      targetType: 'webhook_subscription',
      targetId: id,
      after: withoutSecret(input),
    });
    return present(row);
  });
}

export async function updateWebhook(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  patch: PatchInput,
) {
  requireIntegrationAdmin(actor);
  return ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('webhook_subscription')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.secret !== undefined
          ? { secret_cipher: ctx.keys.connector.encrypt(Buffer.from(patch.secret, 'utf8'), id) }
          : {}),
        ...(patch.events !== undefined ? { events: patch.events } : {}),
        ...(patch.regionCode !== undefined ? { region_code: patch.regionCode } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
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
  });
}

/** Deleting stops new events; messages already queued for it fail and become dead letters. */
export async function deleteWebhook(ctx: AppContext, actor: Actor, meta: RequestMeta, id: string) {
  requireIntegrationAdmin(actor);
  await ctx.database.db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('webhook_subscription').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new AppError('WEBHOOK_NOT_FOUND', { id });
    await recordAudit(trx, {
      actor,
      meta,
      action: 'integration.webhook.delete',
      targetType: 'webhook_subscription',
      targetId: id,
    });
  });
}
