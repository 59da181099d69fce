import { TICKET_STATUS_LABELS, type Ticket } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import type { QueueTicketStatus } from '../../db/schema.ts';
import { afterCommit } from '../../db/unit-of-work.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { reachPointOf, requireServe } from './queue.access.ts';
import { queueClock } from './queue.clock.ts';
import { displayHubOf } from './queue.display.ts';
import { presentTicket } from './queue.presenter.ts';
import { findGroup, findWindow, type HallPoint } from './queue.repo.ts';
import * as tickets from './queue.tickets.repo.ts';

/**
 * What every step on a ticket shares: loading and locking it, the checks, its history row,
 * the audit row, and the answer — after which, once committed, the hall display hears of it.
 */

const ACTIONS = {
  recall: { zh: '重呼', en: 'recalled' },
  skip: { zh: '过号', en: 'skipped' },
  start: { zh: '开始办理', en: 'started' },
  finish: { zh: '办结', en: 'finished' },
  transfer: { zh: '转移', en: 'transferred' },
} as const;
type TicketAction = keyof typeof ACTIONS;

export const secondsBetween = (from: Date, to: Date) =>
  Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

function stateError(ticket: tickets.TicketRow, action: TicketAction): AppError {
  return new AppError('QUEUE_TICKET_STATE', {
    number: ticket.number,
    statusZh: TICKET_STATUS_LABELS[ticket.status].zh,
    statusEn: TICKET_STATUS_LABELS[ticket.status].en,
    actionZh: ACTIONS[action].zh,
    actionEn: ACTIONS[action].en,
  });
}

/** One step at a hall: who takes it, in which transaction, at which point and time. */
export interface Step {
  ctx: AppContext;
  trx: Db;
  actor: Actor;
  meta: RequestMeta;
  point: HallPoint;
  at: Date;
}

/** A step taken now, by the queue's clock. */
export function stepAt(
  ctx: AppContext,
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  point: HallPoint,
): Step {
  return { ctx, trx, actor, meta, point, at: queueClock.now() };
}

/** The step's history row for one ticket. */
export function record(
  s: Step,
  e: Omit<tickets.TicketEvent, 'actor' | 'requestId' | 'at'>,
): Promise<number> {
  return tickets.appendEvent(s.trx, {
    ...e,
    actor: { userId: s.actor.userId, name: s.actor.name },
    requestId: s.meta.requestId,
    at: s.at,
  });
}

export async function audit(
  s: Step,
  action: string,
  ticket: tickets.TicketRow,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
) {
  await recordAudit(s.trx, {
    actor: s.actor,
    meta: s.meta,
    action: `queue.ticket.${action}`,
    targetType: 'queue_ticket',
    targetId: ticket.id,
    regionCode: s.point.region_code,
    before,
    after: { number: ticket.number, ...after },
  });
}

/**
 * Once the step commits, the point's hall displays get the new state and the calls among
 * `eventIds` to announce. The answer does not wait for them.
 */
export function tellDisplays(s: Step, eventIds: number[]): void {
  afterCommit(s.trx, () => displayHubOf(s.ctx).announce(s.point.id, eventIds));
}

/** The step's answer: the ticket as it is now, the displays told of the step's history rows. */
export async function answer(
  s: Step,
  ticketId: string,
  eventIds: number[],
): Promise<{ ticket: Ticket }> {
  tellDisplays(s, eventIds);
  return { ticket: presentTicket(await tickets.ticketView(s.trx, ticketId)) };
}

/** The ticket, locked, with its point and group; the act must be allowed in its state. */
export async function ticketFor(
  trx: Db,
  actor: Actor,
  id: string,
  action: TicketAction,
  allowed: readonly QueueTicketStatus[],
) {
  const { row: ticket, point } = await reachPointOf(
    trx,
    actor,
    await tickets.lockTicket(trx, id),
    'QUEUE_TICKET_NOT_FOUND',
  );
  requireServe(actor, point);
  if (!allowed.includes(ticket.status)) throw stateError(ticket, action);
  const group = (await findGroup(trx, ticket.group_id))!;
  return { ticket, point, group };
}

/** A group of this point that tickets may be issued into or moved to; its name in the body. */
export async function requireGroupAt(trx: Db, point: HallPoint, groupId: string) {
  const group = await findGroup(trx, groupId);
  if (!group || group.service_point_id !== point.id)
    throw new AppError('QUEUE_GROUP_NOT_FOUND', {}, [
      { field: 'body.groupId', message: { zh: '本网点没有这项业务', en: 'no such group here' } },
    ]);
  return group;
}

/** A called or served ticket is acted on only from the window that called it. */
export async function requireSeatedAtTicket(trx: Db, actor: Actor, ticket: tickets.TicketRow) {
  const win = ticket.window_id ? await findWindow(trx, ticket.window_id) : undefined;
  if (!win) throw new AppError('QUEUE_WINDOW_NOT_FOUND');
  if (win.seated_user_id !== actor.userId)
    throw new AppError('QUEUE_NOT_AT_WINDOW', { window: win.name });
  return win;
}
