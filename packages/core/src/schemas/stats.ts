import { z } from 'zod';

const rateSchema = z.number().nullable().describe('0–1, null when there is nothing to count');

export const figuresSchema = z.object({
  submitted: z.number().int(),
  accepted: z.number().int(),
  concluded: z.number().int(),
  approved: z.number().int(),
  denied: z.number().int(),
  refused: z.number().int(),
  withdrawn: z.number().int(),
  crossRegion: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  onTimeRate: rateSchema,
  ratings: z.object({
    count: z.number().int(),
    distribution: z.record(z.string(), z.number().int()).describe('5 非常满意 … 1 非常不满意'),
    average: z.number().nullable(),
    satisfiedRate: rateSchema.describe('基本满意 or better'),
  }),
});
export type Figures = z.infer<typeof figuresSchema>;

const regionRefSchema = z.object({ code: z.string(), name: z.string(), level: z.string() });
const openSchema = z
  .object({ running: z.number().int(), overdue: z.number().int() })
  .describe('Cases whose clock runs now, by deciding region; overdue: past their due date');
const followUpsSchema = z
  .object({ open: z.number().int(), overdue: z.number().int() })
  .describe('Open follow-ups (回访) of bad ratings, by the receiving point’s region');

export const statsOverviewSchema = z.object({
  region: regionRefSchema,
  path: z
    .array(regionRefSchema)
    .describe('From the top of one’s jurisdiction down to the region (the breadcrumb)'),
  from: z.string(),
  to: z.string(),
  totals: figuresSchema,
  open: openSchema,
  followUps: followUpsSchema,
  byChild: z.array(
    figuresSchema.extend({
      code: z.string(),
      name: z.string(),
      level: z.string().nullable(),
      open: openSchema,
      followUps: followUpsSchema,
    }),
  ),
  byItem: z.array(figuresSchema.extend({ itemCode: z.string(), name: z.string() })),
  trend: z.array(figuresSchema.extend({ month: z.string() })),
});
export type StatsOverview = z.infer<typeof statsOverviewSchema>;
