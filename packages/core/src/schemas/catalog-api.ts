import { z } from 'zod';
import {
  catalogItemFileSchema,
  itemCodeSchema,
  itemContentSchema,
} from '../catalog/item-schema.ts';
import { CHANNELS, DEPARTMENTS, THEMES } from '../catalog/vocab.ts';
import { limitParam, offsetParam, regionCodeParam } from './common.ts';

const keysOf = <T extends Record<string, unknown>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const catalogStatusSchema = z.enum(['draft', 'published', 'retired']);
export type CatalogStatus = z.infer<typeof catalogStatusSchema>;

export const itemSearchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .describe('Keyword, full pinyin ("shengyu") or initials ("sfz")'),
  region: regionCodeParam.optional().describe('Only items available at this region'),
  theme: z.enum(keysOf(THEMES)).optional(),
  department: z.enum(keysOf(DEPARTMENTS)).optional(),
  channel: z.enum(keysOf(CHANNELS)).optional(),
  status: z
    .enum(['published', 'draft', 'retired', 'all'])
    .optional()
    .describe(
      'Administrators (catalog.manage) only: items of another status, or all; drafts only within their jurisdiction. Adds draftVersion to each item',
    ),
  limit: limitParam,
  offset: offsetParam,
});

export const itemSummarySchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  scopeRegionCode: z.string(),
  status: catalogStatusSchema,
  version: z.number().int().nullable(),
  department: z.string(),
  type: z.string(),
  themes: z.array(z.string()),
  channels: z.array(z.string()),
  acceptLevel: z.string(),
  promisedDays: z.number().int(),
  visitsRequired: z.number().int(),
  draftVersion: z
    .number()
    .int()
    .nullable()
    .optional()
    .describe('With ?status= (administrators): the open draft version, if any'),
});
export type ItemSummary = z.infer<typeof itemSummarySchema>;

export const itemPageSchema = z.object({
  items: z.array(itemSummarySchema),
  total: z.number().int(),
});
export type ItemPage = z.infer<typeof itemPageSchema>;

export const itemCodeParams = z.strictObject({ code: itemCodeSchema });
export const itemVersionParams = z.strictObject({
  code: itemCodeSchema,
  version: z.coerce.number().int().min(1).max(100_000),
});
export const itemGetQuery = z.strictObject({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe('An older (or, for admins, a draft) version'),
});

export const itemVersionSchema = z.object({
  code: z.string(),
  scopeRegionCode: z.string(),
  version: z.number().int(),
  status: catalogStatusSchema,
  publishedAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
  content: itemContentSchema,
  formJsonSchema: z.record(z.string(), z.unknown()).describe('The application form as JSON Schema'),
});
export type ItemVersion = z.infer<typeof itemVersionSchema>;

export const versionListSchema = z.object({
  items: z.array(
    z.object({
      version: z.number().int(),
      status: catalogStatusSchema,
      createdAt: z.string(),
      publishedAt: z.string().nullable(),
      retiredAt: z.string().nullable(),
    }),
  ),
});
export type VersionList = z.infer<typeof versionListSchema>;

export const createItemBody = catalogItemFileSchema;

/** What a write to an item answers: the version it made or changed. */
export const itemVersionRefSchema = z.object({ code: z.string(), version: z.number() });
export type ItemVersionRef = z.infer<typeof itemVersionRefSchema>;

/** The consistency check run on a draft's content without saving or publishing it. */
export const catalogCheckResultSchema = z.object({
  ok: z.boolean(),
  problems: z
    .array(
      z.object({
        field: z.string().describe('Where: "content.routing.acceptLevel", "scopeRegionCode"'),
        message: z.string(),
      }),
    )
    .describe('Every broken publishing rule at once, in the requested language'),
});
export type CatalogCheckResult = z.infer<typeof catalogCheckResultSchema>;
export const draftBody = z.strictObject({ content: itemContentSchema });

export const importCatalogBody = z.strictObject({
  items: z.array(catalogItemFileSchema).min(1).max(2000),
  publish: z.boolean().default(true),
});
export const importResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  published: z.number().int(),
});

export const exportQuery = z.strictObject({ within: regionCodeParam.optional() });
export const exportSchema = z.object({ items: z.array(catalogItemFileSchema) });

export const themeListSchema = z.object({
  items: z.array(z.object({ theme: z.string(), label: z.string(), count: z.number().int() })),
});
export type ThemeList = z.infer<typeof themeListSchema>;
