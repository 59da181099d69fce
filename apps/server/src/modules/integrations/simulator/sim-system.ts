import { createHash, randomUUID } from 'node:crypto';
import { signedHeaders } from '../signing.ts';

/**
 * One simulated department system: how it answers a case (after its latency, failing at its
 * error rate, the first answer kept per message id) and how it calls the platform back when
 * it answered "later" — signed, with its own message id, retrying until it gets an answer.
 */
export type SimAnswer = 'accepted' | 'rejected' | 'correction' | 'later';
export interface SimSystemConfig {
  /** The routing key and the path prefix: http://host:port/<key>. */
  key: string;
  name: string;
  /** Its x-yimen-system when calling the platform. */
  clientId: string;
  /** The HMAC secret shared with the platform. */
  secret: string;
  latencyMs: number;
  /** Share of calls answered 503 (0–1). */
  errorRate: number;
  answer: SimAnswer;
  /** After "later": how long until the callback, and what it says. */
  laterMs: number;
  laterOutcome: 'accepted' | 'rejected' | 'result';
  /** Down: connections are cut without an answer. */
  down: boolean;
}

export const SIM_SYSTEMS: { key: string; name: string; department: string }[] = [
  { key: 'hrss', name: '人社业务系统（模拟）', department: '人社' },
  { key: 'medical-insurance', name: '医保业务系统（模拟）', department: '医保' },
  { key: 'civil-affairs', name: '民政业务系统（模拟）', department: '民政' },
  { key: 'public-security', name: '公安人口系统（模拟）', department: '公安' },
];

/** A stable demo secret per system, so re-running the simulator keeps the connector valid. */
export function simSecret(key: string, seed = 'yimen-dept-sim'): string {
  return createHash('sha256').update(`${seed}:${key}`).digest('base64url');
}

export interface Received {
  messageId: string;
  applicationNo: string | null;
  kind: 'case' | 'event';
  /** For events: which (submitted, accepted…). */
  event?: string;
  at: number;
}

export interface CaseMessage {
  messageId: string;
  application: { applicationNo: string };
  callback: { status: string; result: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SimSystem {
  readonly config: SimSystemConfig;
  /** Every delivery in arrival order, repeats included. */
  readonly received: Received[] = [];
  readonly callbacks: { messageId: string; applicationNo: string; status: number | null }[] = [];
  /** Requests being answered right now (inside the latency). */
  inFlight = 0;
  refused = 0;
  private readonly answers = new Map<string, { status: number; body: unknown }>();
  closing = false;

  constructor(
    key: string,
    given: Partial<SimSystemConfig>,
    private readonly platformUrl: string | undefined,
    private readonly log: (line: string) => void,
  ) {
    const known = SIM_SYSTEMS.find((s) => s.key === key);
    this.config = {
      key,
      name: known?.name ?? key,
      clientId: `${key}-sim`,
      secret: simSecret(key),
      latencyMs: 0,
      errorRate: 0,
      answer: 'accepted',
      laterMs: 1000,
      laterOutcome: 'accepted',
      down: false,
      ...given,
    };
  }

  private answerFor(applicationNo: string): { status: number; body: unknown } {
    const reference = `${this.config.key.toUpperCase()}-${applicationNo}`;
    switch (this.config.answer) {
      case 'accepted':
        return { status: 200, body: { result: 'accepted', reference } };
      case 'rejected':
        return {
          status: 400,
          body: {
            result: 'rejected',
            verdict: 'deny',
            reasons: '不符合办理条件（模拟）',
            reference,
          },
        };
      case 'correction':
        return {
          status: 400,
          body: {
            result: 'rejected',
            verdict: 'correction',
            missing: [{ item: '户口簿首页复印件', detail: '模拟：请补充' }],
          },
        };
      case 'later':
        return { status: 202, body: { result: 'later', reference } };
    }
  }

  /** A case from the platform; answers with the first answer to a repeated message id. */
  onCase(message: CaseMessage): { status: number; body: unknown } {
    const no = message.application.applicationNo;
    this.received.push({
      messageId: message.messageId,
      applicationNo: no,
      kind: 'case',
      at: Date.now(),
    });
    const first = this.answers.get(message.messageId);
    if (first) return first;
    if (Math.random() < this.config.errorRate)
      return { status: 503, body: { error: 'simulated failure' } };
    const answer = this.answerFor(no);
    this.answers.set(message.messageId, answer);
    this.log(`${this.config.key}: case ${no} → ${answer.status}`);
    if (this.config.answer === 'later') this.scheduleCallback(message);
    return answer;
  }

  private scheduleCallback(message: CaseMessage) {
    const no = message.application.applicationNo;
    const outcome = this.config.laterOutcome;
    const reference = `${this.config.key.toUpperCase()}-${no}`;
    const [url, body] =
      outcome === 'result'
        ? [message.callback.result, { reference, certificate: { number: `${reference}-C` } }]
        : outcome === 'accepted'
          ? [message.callback.status, { result: 'accepted', reference }]
          : [
              message.callback.status,
              { result: 'rejected', verdict: 'deny', reasons: '核查不通过（模拟）' },
            ];
    setTimeout(() => void this.callBack(url, no, body), this.config.laterMs).unref();
  }

  /** The department's own retrying client: it keeps calling back until the platform answers. */
  private async callBack(callbackUrl: string, applicationNo: string, body: unknown) {
    const messageId = randomUUID();
    const url = this.platformUrl
      ? new URL(new URL(callbackUrl).pathname, this.platformUrl)
      : new URL(callbackUrl);
    const text = JSON.stringify(body);
    for (let attempt = 1; attempt <= 20 && !this.closing; attempt++) {
      const headers = signedHeaders({
        system: this.config.clientId,
        key: { kind: 'hmac', secret: this.config.secret },
        method: 'POST',
        path: url.pathname,
        body: text,
        messageId,
      });
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: text,
        });
        await res.text();
        this.callbacks.push({ messageId, applicationNo, status: res.status });
        this.log(`${this.config.key}: callback ${applicationNo} → ${res.status}`);
        if (res.status < 500) return;
      } catch (err) {
        this.callbacks.push({ messageId, applicationNo, status: null });
        this.log(`${this.config.key}: callback ${applicationNo} failed: ${(err as Error).message}`);
      }
      await sleep(Math.min(30_000, 200 * 2 ** attempt));
    }
  }

  onEvent(messageId: string, event: { event?: string; application?: { applicationNo?: string } }) {
    this.received.push({
      messageId,
      applicationNo: event.application?.applicationNo ?? null,
      kind: 'event',
      ...(event.event ? { event: event.event } : {}),
      at: Date.now(),
    });
  }
}
