import type { AppContext } from '../../app-context.ts';
import type { SendResult, TopicHandler } from '../outbox/dispatcher.ts';
import { postSigned } from './http-client.ts';
import { type Exchange, outboundExchange } from './message-log.ts';
import type { SigningKey } from './signing.ts';
import { type Connector, connectorCache } from './systems.repo.ts';
import { findWebhook } from './webhooks.repo.ts';

interface EventPayload {
  kind: 'subscription' | 'system';
  event: { eventId: string; event: string; application: { applicationNo: string } };
}

/** Where an event goes and how it is signed: a subscription's URL, or a connector's /events. */
async function receiverOf(
  ctx: AppContext,
  connectorOf: (id: string) => Promise<Connector | undefined>,
  kind: EventPayload['kind'],
  targetId: string,
): Promise<
  | { url: string; key: SigningKey; timeoutMs: number; systemId?: string; subscriptionId?: string }
  | { gone: string }
  | { disabled: string }
> {
  const { db } = ctx.database;
  if (kind === 'system') {
    const c = await connectorOf(targetId);
    if (!c) return { gone: 'no such department system' };
    if (!c.active) return { disabled: `connector ${c.code} is disabled` };
    return { url: `${c.baseUrl}/events`, key: c.signing, timeoutMs: c.timeoutMs, systemId: c.id };
  }
  const sub = await findWebhook(db, targetId);
  if (!sub) return { gone: 'no such webhook subscription' };
  if (!sub.active) return { disabled: `subscription ${sub.name} is paused` };
  const secret = ctx.keys.connector.decrypt(sub.secret_cipher, sub.id).toString('utf8');
  return {
    url: sub.url,
    key: { kind: 'hmac', secret },
    timeoutMs: 10_000,
    subscriptionId: sub.id,
  };
}

/**
 * Delivers case events to webhook subscribers and subscribing connectors: signed like every
 * call the platform makes, the event id as the message id, logged. Any 2xx is delivered;
 * anything else is tried again with backoff until the message becomes a dead letter.
 */
export function webhookHandler(ctx: AppContext): TopicHandler {
  const connectorOf = connectorCache(ctx.database.db, ctx.keys);
  return async (m): Promise<SendResult> => {
    const p = m.payload as EventPayload;
    if (!m.targetId || !p?.event) return { ok: false, error: 'malformed event', retryable: false };
    const to = await receiverOf(ctx, connectorOf, p.kind, m.targetId);
    if ('gone' in to) return { ok: false, error: to.gone, retryable: false };
    if ('disabled' in to) return { ok: false, error: to.disabled };
    const x = await postSigned({
      url: to.url,
      body: JSON.stringify(p.event),
      key: to.key,
      messageId: m.messageId,
      requestId: `${m.messageId}.${m.attempts}`,
      applicationNo: p.event.application.applicationNo,
      timeoutMs: to.timeoutMs,
    });
    const delivered = x.statusCode !== null && x.statusCode >= 200 && x.statusCode < 300;
    const error = delivered
      ? null
      : (x.error ?? `HTTP ${x.statusCode}: ${x.responseBody.slice(0, 300)}`);
    const exchange: Exchange = {
      ...outboundExchange(m, x),
      channel: 'webhook',
      systemId: to.systemId ?? null,
      subscriptionId: to.subscriptionId ?? null,
      requestId: `${m.messageId}.${m.attempts}`,
      applicationNo: p.event.application.applicationNo,
      outcome: delivered ? 'delivered' : 'failed',
      error,
    };
    return delivered ? { ok: true, exchange } : { ok: false, error: error!, exchange };
  };
}
