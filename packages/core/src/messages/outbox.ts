import type { CaseEvent } from '../schemas/integrations.ts';

/**
 * Everything that leaves the platform goes through the outbox, as one of these messages,
 * written in the transaction of the change it reports and sent after it commits (at least
 * once; receivers deduplicate on the message id). One repository writes them
 * (apps/server/src/modules/outbox/outbox.repo.ts); each topic has one handler that sends it.
 */
export type OutboundMessage =
  | SmsOutbound
  | DepartmentCallOutbound
  | WebhookOutbound
  | NatsOutbound
  | CarrierOutbound
  | BankOutbound;

/** A text message. To a resident: sent only if they have a mobile (looked up as it is written). */
export interface SmsOutbound {
  topic: 'sms';
  to: { mobile: string } | { residentId: string };
  /** Why it is sent, for the SMS log: application.accepted, proxy-consent… */
  purpose: string;
  body: string;
  /** The case it is about: a case's messages go out in order. */
  applicationId?: string;
}

/** A case handed to a department system. Holds no personal data: built from the case when sent. */
export interface DepartmentCallOutbound {
  topic: 'department';
  applicationId: string;
  systemId: string;
  reason: 'accepted' | 'resubmitted';
}

/** A case event to one webhook subscription or one connector that subscribes to it. */
export interface WebhookOutbound {
  topic: 'webhook';
  receiver: { kind: 'subscription' | 'system'; id: string };
  /** The event; its eventId is the message id, set when the message is written. */
  event: Omit<CaseEvent, 'eventId'>;
}

/** A case event published to NATS JetStream under `subject`. */
export interface NatsOutbound {
  topic: 'nats';
  subject: string;
  event: Omit<CaseEvent, 'eventId'>;
}

/** Room for the parcel station: a call to a carrier's system about one parcel. */
export interface CarrierOutbound {
  topic: 'carrier';
  carrierId: string;
  parcelId: string;
  kind: string;
  data: Record<string, unknown>;
}

/** Room for the finance point: a message to a bank's system about one transaction. */
export interface BankOutbound {
  topic: 'bank';
  bankId: string;
  transactionId: string;
  kind: string;
  data: Record<string, unknown>;
}

export type OutboundTopic = OutboundMessage['topic'];

/**
 * The messages one ordering key holds go out one at a time, in order. One receiver's
 * failures never hold up another's: the key is per receiver and per case (or parcel, or
 * transaction).
 */
export function orderingKeyOf(m: OutboundMessage): string | null {
  switch (m.topic) {
    case 'sms':
      return m.applicationId ? `application:${m.applicationId}` : null;
    case 'department':
      return `department:${m.applicationId}`;
    case 'webhook':
      return `${m.receiver.kind}:${m.receiver.id}:${m.event.application.id}`;
    case 'nats':
      return `nats::${m.event.application.id}`;
    case 'carrier':
      return `carrier:${m.carrierId}:${m.parcelId}`;
    case 'bank':
      return `bank:${m.bankId}:${m.transactionId}`;
  }
}
