import { randomInt } from 'node:crypto';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { residentsWithMobile } from '../residents/residents.repo.ts';
import {
  burnPasswordTime,
  hashPassword,
  validateNewPassword,
  verifyPassword,
} from './passwords.ts';
import { revokeSessions, type SessionKind } from './sessions.repo.ts';
import { createSession, type NewSession, resolveSession } from './sessions.ts';
import type { SmsProvider } from './sms.ts';
import * as codes from './sms-codes.repo.ts';
import * as users from './users.repo.ts';

/**
 * Signing in and out. What must count even when the request fails — a wrong password, a
 * wrong code — is checked before the request's unit of work (`check…`, on the database
 * outside it); the rest runs in the unit's `trx`.
 */

const LOCKOUT_AFTER = 5;
const LOCKOUT_MAX_MS = 60 * 60_000;

/** 1 min after the 5th failure, doubling with each further one, at most an hour. */
function lockoutMs(failures: number): number {
  if (failures < LOCKOUT_AFTER) return 0;
  return Math.min(60_000 * 2 ** (failures - LOCKOUT_AFTER), LOCKOUT_MAX_MS);
}

export interface SignedIn {
  actor: Actor;
  session: NewSession;
}

/** How a client asked to be signed in. */
interface SignInRequest {
  tokenType: SessionKind;
  userAgent: string | null;
}

function ttlMs(ctx: AppContext, kind: SessionKind): number {
  return kind === 'cookie'
    ? ctx.config.sessionHours * 3_600_000
    : ctx.config.tokenDays * 86_400_000;
}

async function openSession(
  ctx: AppContext,
  trx: Db,
  userId: string,
  meta: RequestMeta,
  how: SignInRequest,
): Promise<SignedIn> {
  const session = await createSession(trx, {
    userId,
    kind: how.tokenType,
    ttlMs: ttlMs(ctx, how.tokenType),
    ip: meta.ip,
    userAgent: how.userAgent,
  });
  const resolved = await resolveSession(trx, session.token, how.tokenType);
  if (typeof resolved === 'string') throw new Error(`new session did not resolve: ${resolved}`);
  return { actor: resolved.actor, session };
}

/**
 * Checks a staff member's password; answers their user id. A wrong one is counted, and may
 * lock the account, before the refusal is thrown: the count must survive the error.
 */
export async function checkStaffPassword(
  ctx: AppContext,
  input: { username: string; password: string },
): Promise<string> {
  const { db } = ctx.database;
  const user = await users.findStaffLogin(db, input.username);
  if (!user?.password_hash) {
    await burnPasswordTime(input.password);
    throw new AppError('INVALID_CREDENTIALS', { username: input.username });
  }
  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    const retryAfter = Math.ceil((user.locked_until.getTime() - Date.now()) / 1000);
    throw new AppError('ACCOUNT_LOCKED', { retryAfter, username: input.username });
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    const failures = user.failed_logins + 1;
    const lockFor = lockoutMs(failures);
    await users.setLoginFailures(
      db,
      user.id,
      failures,
      lockFor ? new Date(Date.now() + lockFor) : null,
    );
    throw new AppError('INVALID_CREDENTIALS', { username: input.username, failures });
  }
  if (!user.active) throw new AppError('ACCOUNT_DISABLED');
  return user.id;
}

/** Signs in the staff member whose password `checkStaffPassword` accepted. */
export async function signInStaff(
  ctx: AppContext,
  trx: Db,
  meta: RequestMeta,
  userId: string,
  how: SignInRequest,
): Promise<SignedIn> {
  await users.setLoginFailures(trx, userId, 0, null);
  const signedIn = await openSession(ctx, trx, userId, meta, how);
  await recordAudit(trx, {
    actor: signedIn.actor,
    meta,
    action: 'auth.login',
    targetType: 'user',
    targetId: userId,
    after: { method: 'password', tokenType: how.tokenType, sessionId: signedIn.session.id },
  });
  return signedIn;
}

const CODE_TTL_S = 300;
const RESEND_AFTER_S = 60;
const MAX_PER_MOBILE_HOUR = 5;
const MAX_PER_IP_HOUR = 20;
const MAX_ATTEMPTS = 5;

function codeHash(ctx: AppContext, mobile: string, code: string): string {
  return ctx.keys.personalData.lookupHash(`sms-login:${mobile}:${code}`);
}

/** The limits on sending sign-in codes: per mobile (a wait and an hourly cap) and per address. */
export async function checkSmsAllowance(
  ctx: AppContext,
  meta: RequestMeta,
  mobile: string,
): Promise<void> {
  const { db } = ctx.database;
  const hourAgo = new Date(Date.now() - 3_600_000);
  const recent = await codes.codesSentTo(db, mobile, hourAgo);
  // The hourly cap counts every code sent to the phone; the wait between two counts only
  // sign-in codes: a villager who just read a proxy-consent code to the agent may sign in.
  const last = recent.find((r) => r.purpose === 'login')?.created_at.getTime();
  if (last && Date.now() - last < RESEND_AFTER_S * 1000) {
    throw new AppError('SMS_RATE_LIMITED', {
      retryAfter: Math.ceil((last + RESEND_AFTER_S * 1000 - Date.now()) / 1000),
    });
  }
  if (recent.length >= MAX_PER_MOBILE_HOUR) {
    const oldest = recent[recent.length - 1]!.created_at.getTime();
    throw new AppError('SMS_RATE_LIMITED', {
      retryAfter: Math.ceil((oldest + 3_600_000 - Date.now()) / 1000),
    });
  }
  if (meta.ip && (await codes.countCodesFromIp(db, meta.ip, hourAgo)) >= MAX_PER_IP_HOUR)
    throw new AppError('SMS_RATE_LIMITED', { retryAfter: 3600 });
}

/**
 * Sends a sign-in code. The answer is the same whether or not the number has an account,
 * so the endpoint cannot be used to find out who uses the platform.
 */
export async function sendSignInCode(
  ctx: AppContext,
  trx: Db,
  sms: SmsProvider,
  meta: RequestMeta,
  mobile: string,
): Promise<{ expiresInSeconds: number; resendAfterSeconds: number }> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await codes.insertCode(trx, {
    mobile,
    purpose: 'login',
    codeHash: codeHash(ctx, mobile, code),
    ip: meta.ip,
    expiresAt: new Date(Date.now() + CODE_TTL_S * 1000),
  });
  await sms.send(trx, {
    mobile,
    purpose: 'login',
    body: `【一门】您的登录验证码为 ${code}，5 分钟内有效。请勿告诉他人。Your yimen sign-in code is ${code}, valid for 5 minutes.`,
  });
  await recordAudit(trx, {
    actor: null,
    meta,
    action: 'auth.smsCode.send',
    targetType: 'mobile',
    after: { mobile },
  });
  return { expiresInSeconds: CODE_TTL_S, resendAfterSeconds: RESEND_AFTER_S };
}

/**
 * Checks a citizen's sign-in code; answers the code's id. A wrong code counts as a try even
 * though the sign-in then fails.
 */
export async function checkSignInCode(
  ctx: AppContext,
  input: { mobile: string; code: string },
): Promise<string> {
  const { db } = ctx.database;
  const pending = await codes.liveCodeFor(db, 'login', input.mobile);
  if (!pending || pending.attempts >= MAX_ATTEMPTS) throw new AppError('SMS_CODE_INVALID');
  if (pending.code_hash !== codeHash(ctx, input.mobile, input.code)) {
    await codes.countTry(db, pending.id);
    throw new AppError('SMS_CODE_INVALID');
  }
  return pending.id;
}

/**
 * Signs a citizen in with the code `checkSignInCode` accepted, using it up. The first
 * sign-in creates the account; it links to the resident registered with that mobile when
 * there is exactly one.
 */
export async function signInCitizen(
  ctx: AppContext,
  trx: Db,
  meta: RequestMeta,
  codeId: string,
  input: SignInRequest & { mobile: string },
): Promise<SignedIn> {
  if (!(await codes.useCode(trx, codeId))) throw new AppError('SMS_CODE_INVALID');
  let user = await users.findCitizenByMobile(trx, input.mobile);
  let created = false;
  if (!user) {
    const residents = await residentsWithMobile(trx, input.mobile, 2);
    const resident = residents.length === 1 ? residents[0] : undefined;
    user = await users.insertCitizen(trx, {
      mobile: input.mobile,
      displayName: resident?.name ?? input.mobile,
      residentId: resident?.id ?? null,
    });
    created = true;
  }
  if (!user.active) throw new AppError('ACCOUNT_DISABLED');
  const signedIn = await openSession(ctx, trx, user.id, meta, input);
  await recordAudit(trx, {
    actor: signedIn.actor,
    meta,
    action: created ? 'auth.citizen.register' : 'auth.login',
    targetType: 'user',
    targetId: user.id,
    after: { method: 'sms', mobile: input.mobile, tokenType: input.tokenType },
  });
  return signedIn;
}

export async function logout(trx: Db, actor: Actor, meta: RequestMeta): Promise<void> {
  await revokeSessions(trx, actor.userId, { only: actor.sessionId });
  await recordAudit(trx, {
    actor,
    meta,
    action: 'auth.logout',
    targetType: 'session',
    targetId: actor.sessionId,
  });
}

/**
 * Checks the current password and the new one against the policy; answers the new one's
 * hash, made before the unit of work so that argon2's time does not hold a transaction.
 */
export async function checkPasswordChange(
  ctx: AppContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<string> {
  const user = await users.findPasswordOf(ctx.database.db, actor.userId);
  if (!user.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError('VALIDATION_FAILED', {}, [
      {
        field: 'body.currentPassword',
        message: { zh: '当前密码错误', en: 'wrong current password' },
      },
    ]);
  }
  const newPassword = validateNewPassword(input.newPassword, user.username, input.currentPassword);
  return hashPassword(newPassword);
}

export async function changePassword(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  passwordHash: string,
): Promise<void> {
  await users.setPassword(trx, actor.userId, passwordHash, { unlock: false });
  // Everyone else who knew the old password is signed out; this session stays.
  await revokeSessions(trx, actor.userId, { except: actor.sessionId });
  await recordAudit(trx, {
    actor,
    meta,
    action: 'user.password.change',
    targetType: 'user',
    targetId: actor.userId,
  });
}
