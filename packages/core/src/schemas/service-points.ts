import { z } from 'zod';
import { limitParam, regionCodeParam } from './common.ts';

export const SERVICE_POINT_KINDS = [
  'village_station',
  'township_centre',
  'county_centre',
  'city_centre',
  'department_office',
] as const;
export const servicePointKindSchema = z.enum(SERVICE_POINT_KINDS);

export const servicePointSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: servicePointKindSchema,
  regionCode: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
});
export type ServicePoint = z.infer<typeof servicePointSchema>;

export const servicePointCodeParams = z.strictObject({
  code: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9-]+$/)
    .describe('Service point code: the region code for stations and centres'),
});

export const servicePointListQuery = z.strictObject({
  within: regionCodeParam.optional().describe('Only points attached to regions inside this one'),
  kind: servicePointKindSchema.optional(),
  limit: limitParam,
  cursor: z.string().max(64).optional().describe('The last code of the previous page'),
});

export const servicePointPageSchema = z.object({
  items: z.array(servicePointSchema),
  nextCursor: z.string().nullable(),
});
export type ServicePointPage = z.infer<typeof servicePointPageSchema>;
