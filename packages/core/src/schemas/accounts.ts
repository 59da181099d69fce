import { z } from 'zod';
import { bi } from '../bilingual.ts';
import { mobileSchema } from '../phone.ts';
import { ROLES } from '../roles.ts';
import { limitParam, regionCodeParam } from './common.ts';
import { regionRefSchema } from './regions.ts';
import { servicePointKindSchema } from './service-points.ts';

export const roleSchema = z.enum(ROLES);

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._-]{2,39}$/,
    bi(
      '用户名为 3–40 位小写字母、数字或 . _ -',
      'a username has 3–40 lower-case letters, digits or . _ -',
    ),
  );

export const tokenTypeSchema = z
  .enum(['cookie', 'bearer'])
  .default('cookie')
  .describe('cookie for the web app (HttpOnly session + CSRF token), bearer for API clients');

export const loginBody = z.strictObject({
  username: usernameSchema,
  password: z.string().min(1).max(200),
  tokenType: tokenTypeSchema,
});

export const smsCodeBody = z.strictObject({ mobile: mobileSchema });

export const smsLoginBody = z.strictObject({
  mobile: mobileSchema,
  code: z.string().regex(/^\d{6}$/, bi('验证码为 6 位数字', 'the code has 6 digits')),
  tokenType: tokenTypeSchema,
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});

export const meSchema = z.object({
  id: z.string(),
  kind: z.enum(['staff', 'citizen']),
  name: z.string(),
  username: z.string().nullable(),
  roles: z.array(z.object({ role: roleSchema, label: z.string() })),
  servicePoint: z
    .object({
      code: z.string(),
      name: z.string(),
      kind: servicePointKindSchema,
      regionCode: z.string(),
    })
    .nullable(),
  regionPath: z.array(regionRefSchema).describe('The jurisdiction, from the province down'),
  department: z.string().nullable(),
  mobileMasked: z.string().nullable(),
  resident: z.object({ id: z.string(), name: z.string(), idNumberMasked: z.string() }).nullable(),
});
export type Me = z.infer<typeof meSchema>;

export const loginResultSchema = z.object({
  user: meSchema,
  expiresAt: z.string(),
  token: z.string().optional().describe('bearer only: send as Authorization: Bearer <token>'),
  csrfToken: z
    .string()
    .optional()
    .describe('cookie only: send as the x-csrf-token header on every state-changing request'),
});
export type LoginResult = z.infer<typeof loginResultSchema>;

export const smsCodeResultSchema = z.object({
  expiresInSeconds: z.number().int(),
  resendAfterSeconds: z.number().int(),
});
export type SmsCodeResult = z.infer<typeof smsCodeResultSchema>;

export const sessionSchema = z.object({
  id: z.string(),
  kind: z.enum(['cookie', 'bearer']),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

export const idParams = z.strictObject({ id: z.uuid(bi('编号格式错误', 'not a valid id')) });

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  servicePoint: z.object({ code: z.string(), name: z.string(), regionCode: z.string() }),
  department: z.string().nullable(),
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const createUserBody = z.strictObject({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(50),
  password: z.string().min(1).max(200),
  servicePointCode: z.string().trim().min(1).max(64),
  roles: z.array(roleSchema).min(1).max(8),
  department: z.string().trim().min(1).max(50).optional(),
});

export const updateUserBody = z.strictObject({
  displayName: z.string().trim().min(1).max(50).optional(),
  roles: z.array(roleSchema).min(1).max(8).optional(),
  active: z.boolean().optional(),
  servicePointCode: z.string().trim().min(1).max(64).optional(),
  department: z.string().trim().min(1).max(50).nullable().optional(),
});

export const resetPasswordBody = z.strictObject({ newPassword: z.string().min(1).max(200) });

export const userListQuery = z.strictObject({
  within: regionCodeParam.optional(),
  role: roleSchema.optional(),
  q: z.string().trim().min(1).max(40).optional().describe('username or name contains'),
  servicePointCode: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('Only staff of this service point'),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: active accounts only; false: disabled ones only'),
  limit: limitParam,
  cursor: z.string().max(64).optional().describe('The last username of the previous page'),
});

export const userPageSchema = z.object({
  items: z.array(userSchema),
  nextCursor: z.string().nullable(),
});
export type UserPage = z.infer<typeof userPageSchema>;
