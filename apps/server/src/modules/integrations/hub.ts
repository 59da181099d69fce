import type { AppContext } from '../../app-context.ts';
import { purgeIdempotencyKeys, purgeSystemMessages } from '../../db/idempotency.repo.ts';
import {
  type DispatcherOptions,
  dispatchOnce,
  startDispatcher,
  type TopicHandler,
} from '../outbox/dispatcher.ts';
import { purgeSent, wakeStrandedQueues } from '../outbox/outbox.repo.ts';
import { departmentHandler } from './department.handler.ts';
import { purgeExchanges } from './message-log.repo.ts';
import { logSettled } from './message-log.ts';
import { natsPublisher } from './nats.handler.ts';
import { purgeNonces } from './systems.repo.ts';
import { webhookHandler } from './webhook.handler.ts';

const PURGE_EVERY_MS = 60 * 60_000;

/**
 * The hub's topics beside whatever else the outbox carries (SMS): department calls,
 * webhooks, and NATS when configured. One dispatcher sends them all.
 */
export function hubHandlers(ctx: AppContext, others: Record<string, TopicHandler> = {}) {
  const nats = ctx.config.integrations.natsUrl ? natsPublisher(ctx) : null;
  const handlers: Record<string, TopicHandler> = {
    ...others,
    department: departmentHandler(ctx),
    webhook: webhookHandler(ctx),
    ...(nats ? { nats: nats.handler } : {}),
  };
  return { handlers, close: async () => nats?.close() };
}

export function dispatcherOptions(ctx: AppContext): DispatcherOptions {
  const c = ctx.config.integrations;
  return {
    leaseMs: c.outboxLeaseMs,
    maxAttempts: c.outboxMaxAttempts,
    concurrency: c.dispatchConcurrency,
    batchSize: Math.max(20, c.dispatchConcurrency * 4),
    onSettle: logSettled,
  };
}

/**
 * Retention: the message log keeps `messageLogDays`, and the delivered outbox rows and the
 * answered department message ids go with it; nonces as soon as they leave the signature
 * window; users' idempotency keys after `idempotencyHours`.
 */
export async function purgeExpired(ctx: AppContext): Promise<{ messages: number }> {
  const { db } = ctx.database;
  const days = ctx.config.integrations.messageLogDays;
  const messages = await purgeExchanges(db, days);
  await purgeNonces(db);
  await purgeSystemMessages(db, days);
  await purgeSent(db, days);
  await purgeIdempotencyKeys(db, ctx.config.idempotencyHours);
  await wakeStrandedQueues(db);
  return { messages };
}

/** Runs the dispatcher and, hourly, the retention, until stopped. */
export function startHub(
  ctx: AppContext,
  others: Record<string, TopicHandler>,
  onError: (err: unknown, what: string) => void,
): { stop(): Promise<void> } {
  const { handlers, close } = hubHandlers(ctx, others);
  const dispatcher = startDispatcher(ctx.database.db, handlers, {
    ...dispatcherOptions(ctx),
    onError: (err) => onError(err, 'outbox dispatch failed'),
  });
  const retention = () =>
    purgeExpired(ctx).catch((err) => onError(err, 'message log retention failed'));
  const first = setTimeout(retention, 10_000);
  const timer = setInterval(retention, PURGE_EVERY_MS);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await dispatcher.stop();
      await close();
    },
  };
}

/** Tests and tools: dispatch until nothing is due (or `maxPasses`), returning how many were handled. */
export async function drainOutbox(
  ctx: AppContext,
  handlers: Record<string, TopicHandler>,
  opts: DispatcherOptions & { maxPasses?: number } = {},
): Promise<number> {
  let total = 0;
  for (let i = 0; i < (opts.maxPasses ?? 1000); i++) {
    const n = await dispatchOnce(ctx.database.db, handlers, { ...dispatcherOptions(ctx), ...opts });
    if (n === 0) break;
    total += n;
  }
  return total;
}
