import { z } from 'zod';
import { bi } from '../bilingual.ts';

/** Every list answers at most this many rows, whatever `limit` asks for. */
export const MAX_PAGE_SIZE = 200;

export const limitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_PAGE_SIZE)
  .default(50)
  .describe(`Page size, 1–${MAX_PAGE_SIZE}`);

export const offsetParam = z.coerce.number().int().min(0).max(10_000).default(0);

export const regionCodeParam = z
  .string()
  .regex(
    /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/,
    bi('行政区划代码应为 2、4、6、9 或 12 位数字', 'a region code has 2, 4, 6, 9 or 12 digits'),
  )
  .describe('Region code (行政区划代码): 2, 4, 6, 9 or 12 digits');

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      requestId: z.string(),
    }),
  })
  .describe('An error: code, message in the requested language, the bad fields');
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The `response` entries of a route's refusals: every one has the error body's shape. */
export function errorResponses<const S extends number>(
  ...statuses: S[]
): Record<S, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema])) as Record<
    S,
    typeof errorBodySchema
  >;
}
