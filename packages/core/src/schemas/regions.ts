import { z } from 'zod';
import { REGION_LEVELS } from '../region-code.ts';
import { limitParam, offsetParam, regionCodeParam } from './common.ts';

export const regionLevelSchema = z.enum(REGION_LEVELS);

export const regionRefSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: regionLevelSchema,
});

export const regionSchema = regionRefSchema.extend({
  parentCode: z.string().nullable(),
  path: z.array(regionRefSchema).describe('From the province down to this region itself'),
});
export type Region = z.infer<typeof regionSchema>;

export const regionListItemSchema = regionRefSchema.extend({
  parentCode: z.string().nullable(),
});
export type RegionListItem = z.infer<typeof regionListItemSchema>;

export const regionCodeParams = z.strictObject({ code: regionCodeParam });

export const regionChildrenQuery = z.strictObject({
  limit: limitParam,
  cursor: regionCodeParam.optional().describe('The last code of the previous page'),
});

export const regionSearchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .describe('Name, full pinyin ("xiushan") or pinyin initials ("xsz")'),
  within: regionCodeParam.optional().describe('Only regions inside this one'),
  level: regionLevelSchema.optional(),
  limit: limitParam,
  cursor: regionCodeParam.optional().describe('Listing only: the last code of the previous page'),
  offset: offsetParam.describe('Search only: rows to skip'),
});
export type RegionSearchQuery = z.infer<typeof regionSearchQuery>;

export const regionPageSchema = z.object({
  items: z.array(regionListItemSchema),
  total: z.number().int().optional().describe('Rows matching, when listing a subtree'),
  nextCursor: z.string().nullable(),
});
export type RegionPage = z.infer<typeof regionPageSchema>;

export const regionLookupBody = z.strictObject({
  codes: z.array(regionCodeParam).min(1).max(200).describe('Up to 200 region codes'),
});

export const regionLookupResultSchema = z.object({
  items: z.array(regionSchema),
  missing: z.array(z.string()).describe('Codes that name no region'),
});
export type RegionLookupResult = z.infer<typeof regionLookupResultSchema>;
