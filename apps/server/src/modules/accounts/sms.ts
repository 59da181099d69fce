import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/connection.ts';
import { insertSmsMessage } from './sms.repo.ts';

interface SmsMessage {
  mobile: string;
  body: string;
  purpose: string;
}

/**
 * Where text messages go. A real gateway implements `send`; the default driver records each
 * message in the database (table sms_message), which is what tests read, and in demo mode
 * also writes it to the log so that someone trying yimen can sign in as a citizen.
 */
export interface SmsProvider {
  send(trx: Db, message: SmsMessage): Promise<void>;
}

export function databaseSmsProvider(opts: { demo: boolean; log: FastifyBaseLogger }): SmsProvider {
  return {
    async send(trx, message) {
      await insertSmsMessage(trx, message);
      if (opts.demo) {
        opts.log.info(
          { demoSms: { mobile: message.mobile, body: message.body } },
          'demo SMS (演示短信)',
        );
      }
    },
  };
}
