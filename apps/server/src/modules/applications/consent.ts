import { randomInt } from 'node:crypto';
import { maskMobile } from '@yimen/core';
import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import { requirePermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import type { SmsProvider } from '../accounts/sms.ts';
import { recordAudit } from '../audit/audit.service.ts';

/**
 * Proxy applications need the villager's consent: a code sent to their phone that they read
 * out to the agent, or a signed consent form scanned at the station.
 */
const purposeOf = (agentId: string, residentId: string) => `proxy-consent:${agentId}:${residentId}`;
const hashOf = (ctx: AppContext, residentId: string, code: string) =>
  ctx.keys.personalData.lookupHash(`proxy-consent:${residentId}:${code}`);

export async function sendConsentCode(
  ctx: AppContext,
  sms: SmsProvider,
  actor: Actor,
  meta: RequestMeta,
  residentId: string,
): Promise<{ mobileMasked: string; expiresInSeconds: number }> {
  requirePermission(actor, 'application.submitProxy');
  return ctx.database.db.transaction().execute(async (trx) => {
    const resident = await trx
      .selectFrom('resident')
      .select(['id', 'mobile', 'name'])
      .where('id', '=', residentId)
      .executeTakeFirst();
    if (!resident) throw new AppError('RESIDENT_NOT_FOUND');
    if (!resident.mobile)
      throw new AppError('CONSENT_INVALID', {
        reason:
          '居民未登记手机号，请使用签字授权书 / no mobile on record: use a signed consent form',
      });
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await trx
      .insertInto('sms_code')
      .values({
        mobile: resident.mobile,
        purpose: purposeOf(actor.userId, residentId),
        code_hash: hashOf(ctx, residentId, code),
        ip: meta.ip,
        expires_at: new Date(Date.now() + 10 * 60_000),
      })
      .execute();
    await sms.send(trx, {
      mobile: resident.mobile,
      purpose: 'proxy-consent',
      body: `【一门】${actor.servicePoint?.name ?? ''}代办员${actor.name}申请为您代办事项，如同意请将验证码 ${code} 告知代办员，10 分钟内有效。`,
    });
    await recordAudit(trx, {
      actor,
      meta,
      action: 'application.proxyConsent.send',
      targetType: 'resident',
      targetId: residentId,
    });
    return { mobileMasked: maskMobile(resident.mobile), expiresInSeconds: 600 };
  });
}

export interface CheckedConsent {
  record: Record<string, unknown>;
  smsCodeId: string | null;
}

/**
 * Checks the consent before the case's transaction opens: a wrong code must count as a try
 * even though the submission then fails and rolls back.
 */
export async function checkConsent(
  ctx: AppContext,
  actor: Actor,
  residentId: string,
  consent: { method: 'sms'; code: string } | { method: 'signedScan'; sha256: string } | undefined,
): Promise<CheckedConsent> {
  const db = ctx.database.db;
  if (!consent)
    throw new AppError('CONSENT_INVALID', {
      reason: '代办须记录授权 / a proxy application needs the villager’s consent',
    });
  if (consent.method === 'signedScan') {
    const file = await db
      .selectFrom('stored_file')
      .select('sha256')
      .where('sha256', '=', consent.sha256)
      .executeTakeFirst();
    if (!file)
      throw new AppError('CONSENT_INVALID', {
        reason: '授权书扫描件未上传 / the signed form was not uploaded',
      });
    return {
      record: {
        method: 'signedScan',
        sha256: consent.sha256,
        recordedAt: new Date().toISOString(),
      },
      smsCodeId: null,
    };
  }
  const row = await db
    .selectFrom('sms_code')
    .select(['id', 'code_hash', 'attempts', 'mobile'])
    .where('purpose', '=', purposeOf(actor.userId, residentId))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!row || row.attempts >= 5 || row.code_hash !== hashOf(ctx, residentId, consent.code)) {
    if (row)
      await sql`UPDATE sms_code SET attempts = attempts + 1 WHERE id = ${row.id}`.execute(db);
    throw new AppError('CONSENT_INVALID', { reason: '验证码错误或已过期 / wrong or expired code' });
  }
  return {
    record: {
      method: 'sms',
      mobileMasked: maskMobile(row.mobile),
      verifiedAt: new Date().toISOString(),
    },
    smsCodeId: row.id,
  };
}

/** Uses the code up, in the case's transaction: one code, one case. */
export async function consumeConsent(trx: Db, checked: CheckedConsent): Promise<void> {
  if (!checked.smsCodeId) return;
  const r = await trx
    .updateTable('sms_code')
    .set({ used_at: new Date() })
    .where('id', '=', checked.smsCodeId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1)
    throw new AppError('CONSENT_INVALID', { reason: '验证码已使用 / the code was already used' });
}
