import { EventEmitter } from 'node:events';
import type { DisplayCall, DisplayState } from '@yimen/core';
import type { AppContext } from '../../app-context.ts';
import type { Db } from '../../db/connection.ts';
import { queueToday } from './queue.clock.ts';
import { lastEventId, listCalls, listWindowsNow, waitingByGroup } from './queue.display.repo.ts';
import { presentCall } from './queue.presenter.ts';
import { findPointById, type HallPoint } from './queue.repo.ts';

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

export async function displayState(db: Db, point: Pick<HallPoint, 'id' | 'code' | 'name'>) {
  const day = queueToday();
  const windows = await listWindowsNow(db, point.id);
  const recent = await listCalls(db, point.id, { day }, RECENT);
  const waiting = await waitingByGroup(db, point.id, day);
  const state: DisplayState = {
    servicePoint: { code: point.code, name: point.name },
    day,
    lastEventId: await lastEventId(db, point.id),
    windows: windows.map((w) => ({
      name: w.name,
      number: w.number,
      status: w.status as DisplayState['windows'][number]['status'],
    })),
    recent: recent.map(presentCall),
    waiting: waiting.map((g) => ({
      name: g.name,
      nameEn: g.name_en,
      prefix: g.prefix,
      waiting: g.waiting,
    })),
  };
  return state;
}

/**
 * Calls after `afterId` (today, the last few), or among `ids`: what a reconnecting screen
 * missed, or the calls a step made.
 */
export async function callsSince(db: Db, pointId: string, afterId: number, ids?: number[]) {
  const rows = await listCalls(
    db,
    pointId,
    ids ? { afterId, ids } : { afterId, day: queueToday() },
    RECENT,
  );
  return rows.reverse().map(presentCall);
}

type Listener = (m: DisplayMessage) => void;
/** Where a failed update of the screens is reported: the app's log. */
type HubLog = { error: (obj: object, msg: string) => void };

/** In-process fan-out, one channel per service point; one hub per app. */
export class DisplayHub {
  private readonly emitter = new EventEmitter();
  private readonly closers = new Set<() => void>();
  constructor(
    private readonly db: Db,
    private readonly log: HubLog,
  ) {
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
    const point = await findPointById(this.db, pointId);
    const state = await displayState(this.db, point);
    const calls = eventIds.length ? await callsSince(this.db, pointId, 0, eventIds) : [];
    this.emitter.emit(pointId, { id: state.lastEventId, state, calls } satisfies DisplayMessage);
  }

  /** `publish` without waiting for it: a step's answer does not wait for the screens. */
  announce(pointId: string, eventIds: number[]): void {
    void this.publish(pointId, eventIds).catch((err: unknown) =>
      this.log.error({ err }, 'hall display update failed'),
    );
  }
}

const hubs = new WeakMap<AppContext, DisplayHub>();

/** The app's hub, made by the queue's routes with the app's log. */
export function openDisplayHub(ctx: AppContext, log: HubLog): DisplayHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = new DisplayHub(ctx.database.db, log);
    hubs.set(ctx, hub);
  }
  return hub;
}

/** The hub the queue's routes made (tests read its listener count to see streams cleaned up). */
export function displayHubOf(ctx: AppContext): DisplayHub {
  const hub = hubs.get(ctx);
  if (!hub) throw new Error('the hall display hub is made with the queue routes');
  return hub;
}
