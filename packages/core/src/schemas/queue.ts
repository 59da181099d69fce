import { z } from 'zod';
import { bi } from '../bilingual.ts';
import { regionCodeParam } from './common.ts';

/**
 * The service-hall queue (取号 / 叫号): service groups per service point, windows that call
 * from them, tickets numbered per group per day (A001…), the hall display and the figures.
 */

export const TICKET_STATUSES = [
  'waiting',
  'called',
  'serving',
  'done',
  'no_show',
  'transferred',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_STATUS_LABELS: Record<TicketStatus, { zh: string; en: string }> = {
  waiting: { zh: '等候中', en: 'waiting' },
  called: { zh: '已叫号', en: 'called' },
  serving: { zh: '办理中', en: 'being served' },
  done: { zh: '已办结', en: 'done' },
  no_show: { zh: '已过号', en: 'no-show' },
  transferred: { zh: '已转移', en: 'transferred' },
};

/** Who may go first: 老年人 and 残疾人 (priority tickets are interleaved, see the service). */
export const PRIORITY_REASONS = ['elderly', 'disabled'] as const;
export type PriorityReason = (typeof PRIORITY_REASONS)[number];
export const PRIORITY_LABELS: Record<PriorityReason, { zh: string; en: string }> = {
  elderly: { zh: '老年人优先', en: 'Priority: elderly' },
  disabled: { zh: '残疾人优先', en: 'Priority: disabled' },
};

export const TICKET_CHANNELS = ['kiosk', 'desk'] as const;

const uuid = (what: string, whatEn: string) =>
  z.uuid(bi(`${what}编号格式错误`, `not a valid ${whatEn} id`));

export const hallServicePointParams = z.strictObject({
  code: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9-]+$/, bi('服务网点代码格式错误', 'not a valid service point code'))
    .describe('Service point code: the region code for stations and centres'),
});
export const hallIdParams = z.strictObject({ id: z.uuid(bi('编号格式错误', 'not a valid id')) });

// ---- groups and windows (/hall/setup) ----

export const queueGroupSchema = z.object({
  id: z.string(),
  servicePointCode: z.string(),
  name: z.string(),
  nameEn: z.string(),
  prefix: z.string().describe('The letter in front of the number: A001'),
  priorityEvery: z
    .number()
    .int()
    .describe('After this many normal calls a waiting priority ticket is called first'),
  active: z.boolean(),
  sort: z.number().int(),
});
export type QueueGroup = z.infer<typeof queueGroupSchema>;

const groupName = z
  .string()
  .trim()
  .min(1, bi('必填', 'required'))
  .max(20, bi('最多 20 个字', 'at most 20 characters'));
const groupNameEn = z.string().trim().max(40, bi('最多 40 个字符', 'at most 40 characters'));
const prefix = z
  .string()
  .regex(/^[A-Z]$/, bi('前缀为一个大写字母 A–Z', 'the prefix is one capital letter A–Z'));
const priorityEvery = z
  .number()
  .int(bi('应为整数', 'a whole number'))
  .min(1, bi('最小为 1', 'at least 1'))
  .max(20, bi('最大为 20', 'at most 20'));

export const createQueueGroupBody = z.strictObject({
  name: groupName,
  nameEn: groupNameEn.optional(),
  prefix,
  priorityEvery: priorityEvery.optional(),
  sort: z.number().int().min(0).max(999).optional(),
});
export const updateQueueGroupBody = z.strictObject({
  name: groupName.optional(),
  nameEn: groupNameEn.optional(),
  prefix: prefix.optional(),
  priorityEvery: priorityEvery.optional(),
  sort: z.number().int().min(0).max(999).optional(),
  active: z.boolean().optional(),
});

export const queueWindowSchema = z.object({
  id: z.string(),
  servicePointCode: z.string(),
  name: z.string(),
  groupIds: z
    .array(z.string())
    .describe('The groups this window calls from, in order: the first with anyone waiting'),
  active: z.boolean(),
  seated: z
    .object({ userId: z.string(), name: z.string(), since: z.string() })
    .nullable()
    .describe('Who sits at the window now'),
});
export type QueueWindow = z.infer<typeof queueWindowSchema>;

const windowName = z
  .string()
  .trim()
  .min(1, bi('必填', 'required'))
  .max(20, bi('最多 20 个字', 'at most 20 characters'));
const windowGroups = z
  .array(uuid('业务', 'group'))
  .min(1, bi('至少选择一项业务', 'choose at least one group'))
  .max(10, bi('最多 10 项业务', 'at most 10 groups'));

export const createQueueWindowBody = z.strictObject({ name: windowName, groupIds: windowGroups });
export const updateQueueWindowBody = z.strictObject({
  name: windowName.optional(),
  groupIds: windowGroups.optional(),
  active: z.boolean().optional(),
});

export const hallServicePointSchema = z.object({
  servicePoint: z.object({ code: z.string(), name: z.string(), kind: z.string() }),
  groups: z.array(queueGroupSchema),
  windows: z.array(queueWindowSchema),
  can: z.object({
    serve: z.boolean().describe('Issue tickets, sit at a window, call'),
    manage: z.boolean().describe('Create and change groups and windows'),
  }),
});
export type HallServicePoint = z.infer<typeof hallServicePointSchema>;

export const hallMeSchema = z.object({
  servicePoint: z.object({ code: z.string(), name: z.string() }).nullable(),
  can: z.object({ serve: z.boolean(), manage: z.boolean(), figures: z.boolean() }),
  windowId: z.string().nullable().describe('The window one sits at now'),
});
export type HallMe = z.infer<typeof hallMeSchema>;

// ---- tickets ----

export const ticketSchema = z.object({
  id: z.string(),
  number: z.string().describe('A001: the group prefix and the day’s sequence'),
  servicePointCode: z.string(),
  groupId: z.string(),
  groupName: z.string(),
  groupNameEn: z.string(),
  day: z.string().describe('The China date it was first issued'),
  priority: z.enum(PRIORITY_REASONS).nullable(),
  channel: z.enum(TICKET_CHANNELS),
  status: z.enum(TICKET_STATUSES),
  issuedAt: z.string().describe('When the number was first taken (kept across transfers)'),
  calledAt: z.string().nullable(),
  callCount: z.number().int(),
  windowId: z.string().nullable(),
  windowName: z.string().nullable(),
  servingStartedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  applicationNo: z.string().nullable(),
  transferredFrom: z.string().nullable(),
  transferredTo: z.string().nullable(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const ticketEventSchema = z.object({
  id: z.number().int(),
  event: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  windowName: z.string().nullable(),
  actorName: z.string().nullable(),
  payload: z.unknown(),
  occurredAt: z.string(),
});
export const ticketDetailSchema = ticketSchema.extend({ history: z.array(ticketEventSchema) });

export const issueTicketBody = z.strictObject({
  groupId: uuid('业务', 'group'),
  priority: z.enum(PRIORITY_REASONS).nullable().optional(),
  channel: z.enum(TICKET_CHANNELS).default('kiosk').describe('kiosk: the hall machine; desk'),
});
export const issuedTicketSchema = z.object({
  ticket: ticketSchema,
  waitingAhead: z.number().int().describe('Tickets of the group waiting before this one'),
});
export type IssuedTicket = z.infer<typeof issuedTicketSchema>;

export const ticketListQuery = z.strictObject({
  status: z.enum(TICKET_STATUSES).optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, bi('日期格式为 YYYY-MM-DD', 'a date is YYYY-MM-DD'))
    .optional(),
});
export const ticketListSchema = z.object({ items: z.array(ticketSchema) });

export const sitBody = z
  .strictObject({
    takeOver: z.boolean().optional().describe('Take the window from the person sitting there'),
  })
  .optional();
export const transferTicketBody = z.strictObject({
  groupId: uuid('业务', 'group'),
  note: z.string().trim().max(200, bi('最多 200 个字', 'at most 200 characters')).optional(),
});
export const finishTicketBody = z.strictObject({
  applicationNo: z
    .string()
    .trim()
    .regex(
      /^[0-9A-Za-z-]{6,40}$/,
      bi('办件编号格式错误', 'not an application number (430903105237-20261129-0007)'),
    )
    .optional()
    .describe('The application this visit produced'),
  note: z.string().trim().max(200, bi('最多 200 个字', 'at most 200 characters')).optional(),
});
export const emptyBody = z.strictObject({}).optional();

export const groupWaitingSchema = z.object({
  groupId: z.string(),
  name: z.string(),
  nameEn: z.string(),
  prefix: z.string(),
  waiting: z.number().int(),
  priorityWaiting: z.number().int(),
});

export const windowConsoleSchema = z.object({
  window: queueWindowSchema,
  current: ticketSchema.nullable().describe('The ticket called or being served here'),
  waiting: z.array(groupWaitingSchema).describe('The groups this window calls from'),
  otherGroups: z.array(groupWaitingSchema).describe('Active groups one may transfer to'),
  handledToday: z.array(ticketSchema),
});
export type WindowConsole = z.infer<typeof windowConsoleSchema>;
export const callNextSchema = z.object({ ticket: ticketSchema.nullable() });
export type CallNext = z.infer<typeof callNextSchema>;

// ---- the hall display (public: numbers and windows only, never names) ----

export const displayCallSchema = z.object({
  eventId: z.number().int(),
  number: z.string(),
  windowName: z.string(),
  groupName: z.string(),
  groupNameEn: z.string(),
  recall: z.boolean(),
  at: z.string(),
});
export type DisplayCall = z.infer<typeof displayCallSchema>;

export const displayStateSchema = z.object({
  servicePoint: z.object({ code: z.string(), name: z.string() }),
  day: z.string(),
  lastEventId: z.number().int().describe('The id the stream continues from'),
  windows: z.array(
    z.object({
      name: z.string(),
      number: z.string().nullable(),
      status: z.enum(TICKET_STATUSES).nullable(),
    }),
  ),
  recent: z.array(displayCallSchema).describe('The last calls, newest first'),
  waiting: z.array(
    z.object({ name: z.string(), nameEn: z.string(), prefix: z.string(), waiting: z.number() }),
  ),
});
export type DisplayState = z.infer<typeof displayStateSchema>;

/** The data of each `event: hall` on the display stream: the state, and the calls to announce. */
export const displayEventSchema = z.object({
  state: displayStateSchema,
  calls: z.array(displayCallSchema).describe('Oldest first; on a reconnect, the ones missed'),
});
export type DisplayEvent = z.infer<typeof displayEventSchema>;

export const displayStreamQuery = z.strictObject({
  lastEventId: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Where to resume when the client cannot send the Last-Event-ID header'),
});

// ---- figures ----

/** Seconds; null when nothing was measured. */
export const queueFiguresSchema = z.object({
  tickets: z.number().int(),
  served: z.number().int(),
  noShow: z.number().int(),
  waitMedianSec: z.number().nullable(),
  waitP90Sec: z.number().nullable(),
  serveMedianSec: z.number().nullable(),
  serveP90Sec: z.number().nullable(),
});
export type QueueFigures = z.infer<typeof queueFiguresSchema>;

export const hallFiguresQuery = z.strictObject({
  servicePoint: hallServicePointParams.shape.code,
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, bi('日期格式为 YYYY-MM-DD', 'a date is YYYY-MM-DD'))
    .optional()
    .describe('Default: today in China'),
});
export const hallFiguresSchema = z.object({
  servicePoint: z.object({ code: z.string(), name: z.string() }),
  date: z.string(),
  totals: queueFiguresSchema.extend({ waitingNow: z.number().int() }),
  groups: z.array(
    queueFiguresSchema.extend({
      groupId: z.string(),
      name: z.string(),
      nameEn: z.string(),
      prefix: z.string(),
      transferredIn: z.number().int(),
      transferredOut: z.number().int(),
    }),
  ),
  windows: z.array(
    queueFiguresSchema.extend({
      windowId: z.string(),
      name: z.string(),
      transferredOut: z.number().int(),
    }),
  ),
});
export type HallFigures = z.infer<typeof hallFiguresSchema>;

export const queueStatsQuery = z.strictObject({
  region: regionCodeParam.optional().describe('Default: one’s own jurisdiction'),
  from: z.string().max(7).optional().describe('First month, YYYY-MM (default: a year before `to`)'),
  to: z.string().max(7).optional().describe('Last month, YYYY-MM (default: this month)'),
});
export const queueStatsSchema = z.object({
  region: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  from: z.string(),
  to: z.string(),
  totals: queueFiguresSchema,
  byChild: z.array(
    queueFiguresSchema.extend({ code: z.string(), name: z.string(), level: z.string() }),
  ),
  trend: z.array(queueFiguresSchema.extend({ month: z.string() })),
});
export type QueueStats = z.infer<typeof queueStatsSchema>;
