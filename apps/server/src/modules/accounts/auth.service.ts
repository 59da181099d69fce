import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { burnPasswordTime, hashPassword, passwordSchema, verifyPassword } from './passwords.ts';
import { createSession, type NewSession, resolveSession } from './sessions.ts';
import type { SmsProvider } from './sms.ts';

export const LOCKOUT_AFTER = 5;
const LOCKOUT_MAX_MS = 60 * 60_000;

/** 1 min after the 5th failure, doubling with each further one, at most an hour. */
export function lockoutMs(failures: number): number {
  if (failures < LOCKOUT_AFTER) return 0;
  return Math.min(60_000 * 2 ** (failures - LOCKOUT_AFTER), LOCKOUT_MAX_MS);
}

export interface SignedIn {
  actor: Actor;
  session: NewSession;
}

function ttlMs(ctx: AppContext, kind: 'cookie' | 'bearer'): number {
  return kind === 'cookie'
    ? ctx.config.sessionHours * 3_600_000
    : ctx.config.tokenDays * 86_400_000;
}

async function openSession(
  ctx: AppContext,
  trx: Db,
  userId: string,
  kind: 'cookie' | 'bearer',
  meta: RequestMeta,
  userAgent: string | null,
): Promise<SignedIn> {
  const session = await createSession(trx, {
    userId,
    kind,
    ttlMs: ttlMs(ctx, kind),
    ip: meta.ip,
    userAgent,
  });
  const resolved = await resolveSession(trx, session.token, kind);
  if (typeof resolved === 'string') throw new Error(`new session did not resolve: ${resolved}`);
  return { actor: resolved.actor, session };
}

export async function loginStaff(
  ctx: AppContext,
  meta: RequestMeta,
  input: {
    username: string;
    password: string;
    tokenType: 'cookie' | 'bearer';
    userAgent: string | null;
  },
): Promise<SignedIn> {
  const { db } = ctx.database;
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'password_hash', 'active', 'failed_logins', 'locked_until'])
    .where('username', '=', input.username)
    .where('kind', '=', 'staff')
    .executeTakeFirst();
  if (!user?.password_hash) {
    await burnPasswordTime(input.password);
    throw new AppError('INVALID_CREDENTIALS', { username: input.username });
  }
  if (user.locked_until && user.locked_until.getTime() > Date.now()) {
    const retryAfter = Math.ceil((user.locked_until.getTime() - Date.now()) / 1000);
    throw new AppError('ACCOUNT_LOCKED', { retryAfter, username: input.username });
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    // Committed before the refusal is thrown: the count must survive the error.
    const failures = user.failed_logins + 1;
    const lockFor = lockoutMs(failures);
    await db
      .updateTable('app_user')
      .set({
        failed_logins: failures,
        locked_until: lockFor ? new Date(Date.now() + lockFor) : null,
      })
      .where('id', '=', user.id)
      .execute();
    throw new AppError('INVALID_CREDENTIALS', { username: input.username, failures });
  }
  if (!user.active) throw new AppError('ACCOUNT_DISABLED');
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    const signedIn = await openSession(ctx, trx, user.id, input.tokenType, meta, input.userAgent);
    await recordAudit(trx, {
      actor: signedIn.actor,
      meta,
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      after: { method: 'password', tokenType: input.tokenType, sessionId: signedIn.session.id },
    });
    return signedIn;
  });
}

const CODE_TTL_S = 300;
const RESEND_AFTER_S = 60;
const MAX_PER_MOBILE_HOUR = 5;
const MAX_PER_IP_HOUR = 20;
const MAX_ATTEMPTS = 5;

function codeHash(ctx: AppContext, mobile: string, code: string): string {
  return ctx.keys.personalData.lookupHash(`sms-login:${mobile}:${code}`);
}

/**
 * Sends a sign-in code. The answer is the same whether or not the number has an account,
 * so the endpoint cannot be used to find out who uses the platform.
 */
export async function requestSmsCode(
  ctx: AppContext,
  sms: SmsProvider,
  meta: RequestMeta,
  mobile: string,
): Promise<{ expiresInSeconds: number; resendAfterSeconds: number }> {
  const { db } = ctx.database;
  const hourAgo = new Date(Date.now() - 3_600_000);
  const recent = await db
    .selectFrom('sms_code')
    .select(['created_at', 'purpose'])
    .where('mobile', '=', mobile)
    .where('created_at', '>', hourAgo)
    .orderBy('created_at', 'desc')
    .execute();
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
  if (meta.ip) {
    const byIp = await db
      .selectFrom('sms_code')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ip', '=', meta.ip)
      .where('created_at', '>', hourAgo)
      .executeTakeFirstOrThrow();
    if (Number(byIp.n) >= MAX_PER_IP_HOUR)
      throw new AppError('SMS_RATE_LIMITED', { retryAfter: 3600 });
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sms_code')
      .values({
        mobile,
        purpose: 'login',
        code_hash: codeHash(ctx, mobile, code),
        ip: meta.ip,
        expires_at: new Date(Date.now() + CODE_TTL_S * 1000),
      })
      .execute();
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
  });
  return { expiresInSeconds: CODE_TTL_S, resendAfterSeconds: RESEND_AFTER_S };
}

/**
 * Signs a citizen in with the code. The first sign-in creates the account; it links to the
 * resident registered with that mobile when there is exactly one.
 */
export async function loginCitizen(
  ctx: AppContext,
  meta: RequestMeta,
  input: { mobile: string; code: string; tokenType: 'cookie' | 'bearer'; userAgent: string | null },
): Promise<SignedIn> {
  const { db } = ctx.database;
  const pending = await db
    .selectFrom('sms_code')
    .select(['id', 'code_hash', 'attempts'])
    .where('mobile', '=', input.mobile)
    .where('purpose', '=', 'login')
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!pending || pending.attempts >= MAX_ATTEMPTS) throw new AppError('SMS_CODE_INVALID');
  if (pending.code_hash !== codeHash(ctx, input.mobile, input.code)) {
    await db
      .updateTable('sms_code')
      .set({ attempts: sql`attempts + 1` })
      .where('id', '=', pending.id)
      .execute();
    throw new AppError('SMS_CODE_INVALID');
  }
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('sms_code')
      .set({ used_at: new Date() })
      .where('id', '=', pending.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new AppError('SMS_CODE_INVALID');
    let user = await trx
      .selectFrom('app_user')
      .select(['id', 'active'])
      .where('kind', '=', 'citizen')
      .where('mobile', '=', input.mobile)
      .executeTakeFirst();
    let created = false;
    if (!user) {
      const residents = await trx
        .selectFrom('resident')
        .select(['id', 'name'])
        .where('mobile', '=', input.mobile)
        .limit(2)
        .execute();
      const resident = residents.length === 1 ? residents[0] : undefined;
      user = await trx
        .insertInto('app_user')
        .values({
          kind: 'citizen',
          mobile: input.mobile,
          display_name: resident?.name ?? input.mobile,
          resident_id: resident?.id ?? null,
        })
        .returning(['id', 'active'])
        .executeTakeFirstOrThrow();
      created = true;
    }
    if (!user.active) throw new AppError('ACCOUNT_DISABLED');
    const signedIn = await openSession(ctx, trx, user.id, input.tokenType, meta, input.userAgent);
    await recordAudit(trx, {
      actor: signedIn.actor,
      meta,
      action: created ? 'auth.citizen.register' : 'auth.login',
      targetType: 'user',
      targetId: user.id,
      after: { method: 'sms', mobile: input.mobile, tokenType: input.tokenType },
    });
    return signedIn;
  });
}

export async function logout(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<void> {
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('user_session')
      .set({ revoked_at: new Date() })
      .where('id', '=', actor.sessionId)
      .execute();
    await recordAudit(trx, {
      actor,
      meta,
      action: 'auth.logout',
      targetType: 'session',
      targetId: actor.sessionId,
    });
  });
}

export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  meta: RequestMeta,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const { db } = ctx.database;
  const user = await db
    .selectFrom('app_user')
    .select(['password_hash', 'username'])
    .where('id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  if (!user.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError('VALIDATION_FAILED', {}, [
      {
        field: 'body.currentPassword',
        message: { zh: '当前密码错误', en: 'wrong current password' },
      },
    ]);
  }
  const newPassword = validateNewPassword(input.newPassword, user.username, input.currentPassword);
  const passwordHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ password_hash: passwordHash, password_changed_at: new Date(), updated_at: new Date() })
      .where('id', '=', actor.userId)
      .execute();
    // Everyone else who knew the old password is signed out; this session stays.
    await trx
      .updateTable('user_session')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', actor.userId)
      .where('id', '<>', actor.sessionId)
      .where('revoked_at', 'is', null)
      .execute();
    await recordAudit(trx, {
      actor,
      meta,
      action: 'user.password.change',
      targetType: 'user',
      targetId: actor.userId,
    });
  });
}

/** Applies the password policy, naming `field` in the error. */
export function validateNewPassword(
  password: string,
  username: string | null,
  previous?: string,
  field = 'body.newPassword',
): string {
  const parsed = passwordSchema.safeParse(password);
  const problems: { zh: string; en: string }[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [zh = issue.message, en = issue.message] = issue.message.split('‖');
      problems.push({ zh, en });
    }
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push({ zh: '密码不能包含用户名', en: 'must not contain the username' });
  }
  if (previous !== undefined && password === previous) {
    problems.push({ zh: '新密码不能与当前密码相同', en: 'must differ from the current password' });
  }
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      problems.map((message) => ({ field, message })),
    );
  }
  return password;
}
