import { hash, verify } from '@node-rs/argon2';
import { bi } from '@yimen/core';
import { z } from 'zod';
import { AppError } from '../../errors.ts';

// OWASP's argon2id minimum (19 MiB, 2 passes): about 45 ms here, enough to slow guessing
// and cheap enough for a township centre's morning sign-ins.
const OPTIONS = {
  algorithm: 2 /* Argon2id: the package's const enum cannot be imported here */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Spent on unknown usernames so that a miss takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('yimen-dummy-password');
  await verifyPassword(await dummyHash, password);
}

const COMMON = new Set([
  'password123',
  '1234567890',
  'qwertyuiop',
  '12345678910',
  'abc1234567',
  'a123456789',
]);

/**
 * The minimum policy: 10 to 128 characters, at least two kinds among letters, digits and
 * symbols, and not one of the passwords every list of leaked passwords starts with.
 */
const passwordSchema = z
  .string()
  .min(10, bi('密码至少 10 个字符', 'at least 10 characters'))
  .max(128, bi('密码最多 128 个字符', 'at most 128 characters'))
  .refine(
    (p) => [/[A-Za-z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(p)).length >= 2,
    bi('密码须包含字母、数字、符号中的至少两类', 'use at least two of: letters, digits, symbols'),
  )
  .refine((p) => !COMMON.has(p.toLowerCase()), bi('密码过于常见', 'this password is too common'));

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
