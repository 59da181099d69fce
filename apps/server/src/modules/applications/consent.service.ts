import { randomInt } from 'node:crypto';
import { maskMobile } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import { requirePermission } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import type { SmsProvider } from '../accounts/sms.ts';
import * as codes from '../accounts/sms-codes.repo.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { fileExists } from '../files/files.repo.ts';
import { applicantContact } from './applications.repo.ts';

/**
 * Proxy applications need the villager's consent: a code sent to their phone that they read
 * out to the agent, or a signed consent form scanned at the station.
 */
const purposeOf = (agentId: string, residentId: string) => `proxy-consent:${agentId}:${residentId}`;
const hashOf = (ctx: AppContext, residentId: string, code: string) =>
  ctx.keys.personalData.lookupHash(`proxy-consent:${residentId}:${code}`);

export async function sendConsentCode(
  ctx: AppContext,
  trx: Db,
  sms: SmsProvider,
  actor: Actor,
  meta: RequestMeta,
  residentId: string,
): Promise<{ mobileMasked: string; expiresInSeconds: number }> {
  requirePermission(actor, 'application.submitProxy');
  const resident = await applicantContact(trx, residentId);
  if (!resident) throw new AppError('RESIDENT_NOT_FOUND');
  if (!resident.mobile)
    throw new AppError('CONSENT_INVALID', {
      reason: '居民未登记手机号，请使用签字授权书 / no mobile on record: use a signed consent form',
    });
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await codes.insertCode(trx, {
    mobile: resident.mobile,
    purpose: purposeOf(actor.userId, residentId),
    codeHash: hashOf(ctx, residentId, code),
    ip: meta.ip,
    expiresAt: new Date(Date.now() + 10 * 60_000),
  });
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
    if (!(await fileExists(db, consent.sha256)))
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
  const row = await codes.liveCodeFor(db, purposeOf(actor.userId, residentId));
  if (!row || row.attempts >= 5 || row.code_hash !== hashOf(ctx, residentId, consent.code)) {
    if (row) await codes.countTry(db, row.id);
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
  if (!(await codes.useCode(trx, checked.smsCodeId)))
    throw new AppError('CONSENT_INVALID', { reason: '验证码已使用 / the code was already used' });
}
