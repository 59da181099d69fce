import { randomUUID } from 'node:crypto';
import type { ApiClient } from '../lib/api.ts';
import type { Recorder, WorkloadStep } from './record.ts';

/**
 * One timed request of a case, sent as the person taking the step would send it: their
 * bearer token, their address in X-Forwarded-For (villagers come from many phones, stations
 * from their own lines: with YIMEN_TRUST_PROXY the server's per-address limits see them
 * apart), an Idempotency-Key on case writes. A status other than the expected one fails
 * the step, which is recorded, and the case with it.
 */
export interface Actor {
  token: string | null;
  ip: string;
}

export class StepFailed extends Error {}

export interface Send {
  status: number;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Raw bytes (a scan) instead of JSON. */
  contentType?: string;
  idempotent?: boolean;
  /** Another status that is an answer, not a failure (the caller reads the body to tell). */
  orStatus?: number;
}

export class TimedClient {
  constructor(
    private readonly api: ApiClient,
    private readonly recorder: Recorder,
  ) {}

  async send<T>(step: WorkloadStep, who: Actor, req: Send): Promise<T> {
    const headers: Record<string, string> = { 'x-forwarded-for': who.ip };
    if (req.idempotent) headers['idempotency-key'] = randomUUID();
    const t0 = performance.now();
    let res: Awaited<ReturnType<ApiClient['request']>>;
    try {
      res = await this.api.request(req.method, req.path, {
        ...(who.token ? { token: who.token } : {}),
        ...(req.body === undefined ? {} : { body: req.body }),
        ...(req.contentType ? { contentType: req.contentType } : {}),
        headers,
      });
    } catch (err) {
      this.recorder.record(step, performance.now() - t0, String(err));
      throw new StepFailed(String(err));
    }
    if (res.status !== req.status && res.status !== req.orStatus) {
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      const what = `HTTP ${res.status} ${req.method} ${req.path.replace(/[0-9a-f-]{36}/g, ':id')}: ${text.slice(0, 200)}`;
      this.recorder.record(step, res.ms, what);
      throw new StepFailed(what);
    }
    this.recorder.record(step, res.ms);
    return res.body as T;
  }
}
