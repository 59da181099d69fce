import { TICKET_STATUS_LABELS } from '@yimen/core';
import type { Actor, RequestMeta } from '../../auth/actor.ts';
import type { Db } from '../../db/connection.ts';
import type { QueueTicketStatus } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findPointById, type HallPoint, requireReach, requireServe } from './queue.access.ts';
import * as repo from './queue.repo.ts';

/** What every step on a ticket shares: loading and locking it, the checks, the audit row. */

export const ACTIONS = {
  recall: { zh: '重呼', en: 'recalled' },
  skip: { zh: '过号', en: 'skipped' },
  start: { zh: '开始办理', en: 'started' },
  finish: { zh: '办结', en: 'finished' },
  transfer: { zh: '转移', en: 'transferred' },
} as const;
export type TicketAction = keyof typeof ACTIONS;

export const secondsBetween = (from: Date, to: Date) =>
  Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

export const actorRef = (actor: Actor) => ({ userId: actor.userId, name: actor.name });

export function stateError(ticket: repo.TicketRow, action: TicketAction): AppError {
  return new AppError('QUEUE_TICKET_STATE', {
    number: ticket.number,
    statusZh: TICKET_STATUS_LABELS[ticket.status].zh,
    statusEn: TICKET_STATUS_LABELS[ticket.status].en,
    actionZh: ACTIONS[action].zh,
    actionEn: ACTIONS[action].en,
  });
}

export interface Done<T> {
  result: T;
  /** The service point whose hall display must hear of it, once committed. */
  pointId: string;
  /** History rows written: the display announces the calls among them. */
  eventIds: number[];
}

export async function audit(
  trx: Db,
  actor: Actor,
  meta: RequestMeta,
  point: HallPoint,
  action: string,
  ticket: repo.TicketRow,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
) {
  await recordAudit(trx, {
    actor,
    meta,
    action: `queue.ticket.${action}`,
    targetType: 'queue_ticket',
    targetId: ticket.id,
    regionCode: point.region_code,
    before,
    after: { number: ticket.number, ...after },
  });
}

/** The ticket, locked, with its point and group; the act must be allowed in its state. */
export async function ticketFor(
  trx: Db,
  actor: Actor,
  id: string,
  action: TicketAction,
  allowed: readonly QueueTicketStatus[],
) {
  const ticket = await repo.lockTicket(trx, id);
  if (!ticket) throw new AppError('QUEUE_TICKET_NOT_FOUND');
  const point = await findPointById(trx, ticket.service_point_id);
  requireReach(actor, point, new AppError('QUEUE_TICKET_NOT_FOUND'));
  requireServe(actor, point);
  if (!allowed.includes(ticket.status)) throw stateError(ticket, action);
  const group = (await repo.findGroup(trx, ticket.group_id))!;
  return { ticket, point, group };
}

/** A called or served ticket is acted on only from the window that called it. */
export async function requireSeatedAtTicket(trx: Db, actor: Actor, ticket: repo.TicketRow) {
  const win = ticket.window_id ? await repo.findWindow(trx, ticket.window_id) : undefined;
  if (!win) throw new AppError('QUEUE_WINDOW_NOT_FOUND');
  if (win.seated_user_id !== actor.userId)
    throw new AppError('QUEUE_NOT_AT_WINDOW', { window: win.name });
  return win;
}
