import type { Db } from '../../db/connection.ts';
import type { SmsProvider } from '../accounts/sms.ts';
import type { TopicHandler } from './dispatcher.ts';

/** Sends the SMS copies of notices through the provider. */
export function smsHandler(db: Db, provider: SmsProvider): TopicHandler {
  return async (m) => {
    const p = m.payload as { mobile?: string; body?: string; purpose?: string };
    if (!p.mobile || !p.body)
      return { ok: false, error: 'malformed sms payload', retryable: false };
    await provider.send(db, { mobile: p.mobile, body: p.body, purpose: p.purpose ?? 'notice' });
    return { ok: true };
  };
}
