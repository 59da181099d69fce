import { EventEmitter } from 'node:events';
import type { DisplayCall, DisplayState } from '@yimen/core';
import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Db } from '../../db/connection.ts';
import type { HallPoint } from './queue.access.ts';
import { queueToday } from './queue.clock.ts';

/**
 * The hall display: what a screen on the wall shows (numbers, windows, how many wait — never
 * a name), and the live fan-out to the screens of a service point. Changes are announced
 * only after their transaction commits; each message carries the whole state, so a screen
 * that missed one is right again at the next.
 */

const RECENT = 8;

export interface DisplayMessage {
  /** The SSE id: the newest history row the state includes (Last-Event-ID resumes from it). */
  id: number;
  state: DisplayState;
  /** Calls to announce (newest last): numbers called or recalled since the last message. */
  calls: DisplayCall[];
}

type CallRow = {
  id: number;
  number: string;
  window_name: string | null;
  group_name: string;
  group_name_en: string;
  event: string;
  occurred_at: Date;
};

const presentCall = (r: CallRow): DisplayCall => ({
  eventId: Number(r.id),
  number: r.number,
  windowName: r.window_name ?? '',
  groupName: r.group_name,
  groupNameEn: r.group_name_en,
  recall: r.event === 'recall',
  at: r.occurred_at.toISOString(),
});

function callEvents(db: Db, pointId: string) {
  return db
    .selectFrom('queue_ticket_event')
    .select(['id', 'number', 'window_name', 'group_name', 'group_name_en', 'event', 'occurred_at'])
    .where('service_point_id', '=', pointId)
    .where('event', 'in', ['call', 'recall']);
}

export async function displayState(db: Db, point: Pick<HallPoint, 'id' | 'code' | 'name'>) {
  const day = queueToday();
  const windows = await sql<{ name: string; number: string | null; status: string | null }>`
    SELECT w.name, t.number, t.status
    FROM queue_window w
    LEFT JOIN queue_ticket t ON t.window_id = w.id AND t.status IN ('called', 'serving')
    WHERE w.service_point_id = ${point.id} AND w.active
    ORDER BY w.created_at, w.name`.execute(db);
  const recent = (await callEvents(db, point.id)
    .where('day', '=', day)
    .orderBy('id', 'desc')
    .limit(RECENT)
    .execute()) as CallRow[];
  const waiting = await sql<{ name: string; name_en: string; prefix: string; waiting: number }>`
    SELECT g.name, g.name_en, g.prefix, COUNT(t.id)::int AS waiting
    FROM queue_group g
    LEFT JOIN queue_ticket t ON t.group_id = g.id AND t.status = 'waiting' AND t.day = ${day}
    WHERE g.service_point_id = ${point.id} AND g.active
    GROUP BY g.id ORDER BY g.sort, g.prefix`.execute(db);
  const last = await db
    .selectFrom('queue_ticket_event')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('service_point_id', '=', point.id)
    .executeTakeFirst();
  const state: DisplayState = {
    servicePoint: { code: point.code, name: point.name },
    day,
    lastEventId: Number(last?.id ?? 0),
    windows: windows.rows.map((w) => ({
      name: w.name,
      number: w.number,
      status: w.status as DisplayState['windows'][number]['status'],
    })),
    recent: recent.map(presentCall),
    waiting: waiting.rows.map((g) => ({
      name: g.name,
      nameEn: g.name_en,
      prefix: g.prefix,
      waiting: g.waiting,
    })),
  };
  return state;
}

/** Calls after `afterId` (today, the last few): what a reconnecting screen missed. */
export async function callsSince(db: Db, pointId: string, afterId: number, ids?: number[]) {
  let q = callEvents(db, pointId).where('id', '>', afterId);
  if (ids) q = q.where('id', 'in', ids.length ? ids : [0]);
  else q = q.where('day', '=', queueToday());
  const rows = (await q.orderBy('id', 'desc').limit(RECENT).execute()) as CallRow[];
  return rows.reverse().map(presentCall);
}

type Listener = (m: DisplayMessage) => void;

/** In-process fan-out, one channel per service point; one hub per app. */
export class DisplayHub {
  private readonly emitter = new EventEmitter();
  private readonly closers = new Set<() => void>();
  constructor(private readonly db: Db) {
    // Every open screen is a listener: there is no sensible small limit.
    this.emitter.setMaxListeners(0);
  }

  subscribe(pointId: string, fn: Listener): () => void {
    this.emitter.on(pointId, fn);
    return () => this.emitter.off(pointId, fn);
  }

  listeners(pointId: string): number {
    return this.emitter.listenerCount(pointId);
  }

  /** Open streams register how to end them, so the server can close with them open. */
  onShutdown(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  closeAll(): void {
    for (const close of [...this.closers]) close();
  }

  /** After commit: the point's screens get the new state and the calls to announce. */
  async publish(pointId: string, eventIds: number[]): Promise<void> {
    if (this.listeners(pointId) === 0) return;
    const point = await this.db
      .selectFrom('service_point')
      .select(['id', 'code', 'name'])
      .where('id', '=', pointId)
      .executeTakeFirstOrThrow();
    const state = await displayState(this.db, point);
    const calls = eventIds.length ? await callsSince(this.db, pointId, 0, eventIds) : [];
    this.emitter.emit(pointId, { id: state.lastEventId, state, calls } satisfies DisplayMessage);
  }
}

const hubs = new WeakMap<AppContext, DisplayHub>();

/** The hub of an app (tests read its listener count to see closed streams cleaned up). */
export function displayHubOf(ctx: AppContext): DisplayHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = new DisplayHub(ctx.database.db);
    hubs.set(ctx, hub);
  }
  return hub;
}
