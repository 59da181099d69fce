import { randomBytes, randomUUID } from 'node:crypto';
import { makeTestIdNumber } from '@yimen/core';
import type { ApiClient } from './api.ts';
import { percentile } from './stats.ts';

/**
 * The lifecycle benchmark's case-workers: what a village agent and a township approver do
 * through the API for one case of 生育登记 (4309-WJ-QR-001: the village accepts, the
 * township decides and issues an e-certificate under its seal, the village hands it over),
 * each request timed, as a real client would send it: bearer token, an Idempotency-Key on
 * every write, the version last seen in every action's body.
 */
export const ITEM_CODE = '4309-WJ-QR-001';
/** The item's required materials, each uploaded first as a scan. */
const MATERIALS = ['idCard', 'householdRegister', 'marriageCertificate', 'birthPledge'];
/** Synthetic scans: a PDF header and random bytes, unique so no upload is deduplicated. */
export const SCAN_BYTES = 8 * 1024;

/**
 * upload: POST /files · submit: POST /applications · open: GET /applications/{id} (the
 * approver opening the case, and the agent opening it to hand over) · the rest: POST
 * /applications/{id}/actions/{action}.
 */
export const STEPS = [
  'upload',
  'submit',
  'accept',
  'open',
  'approve',
  'issue',
  'handOver',
] as const;
export type Step = (typeof STEPS)[number];
export const REQUESTS_PER_CASE = MATERIALS.length + 7;

export interface Resident {
  id: string;
  idNumber: string;
  name: string;
}

/** One village station and its township centre, with signed-in staff and villagers. */
export interface Chain {
  village: string;
  township: string;
  agent: string;
  approver: string;
  residents: Resident[];
  next: number;
}

export class StepLog {
  readonly latencies = new Map<Step, number[]>(STEPS.map((s) => [s, []]));
  readonly errors = new Map<Step, number>(STEPS.map((s) => [s, 0]));
  readonly samples = new Set<string>();
  readonly caseMs: number[] = [];
  casesDone = 0;
  casesFailed = 0;

  record(step: Step, ms: number, error?: string): void {
    this.latencies.get(step)!.push(ms);
    if (error === undefined) return;
    this.errors.set(step, this.errors.get(step)! + 1);
    if (this.samples.size < 5) this.samples.add(`${step}: ${error}`);
  }

  requests(): number {
    return [...this.latencies.values()].reduce((s, l) => s + l.length, 0);
  }

  errorCount(): number {
    return [...this.errors.values()].reduce((s, n) => s + n, 0);
  }

  summary(step: Step) {
    const sorted = Float64Array.from(this.latencies.get(step)!).sort();
    return {
      requests: sorted.length,
      errors: this.errors.get(step)!,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    };
  }
}

class StepFailed extends Error {}

/** Runs one case from the scans to the hand-over; false if a step failed (it is logged). */
export async function runCase(api: ApiClient, chain: Chain, log: StepLog): Promise<boolean> {
  const resident = chain.residents[chain.next++ % chain.residents.length]!;
  const t0 = performance.now();
  const call = async <T>(
    step: Step,
    status: number,
    method: string,
    path: string,
    token: string,
    body?: unknown,
    extra: { contentType?: string; key?: boolean } = {},
  ): Promise<T> => {
    const headers: Record<string, string> = extra.key ? { 'idempotency-key': randomUUID() } : {};
    const sent = performance.now();
    try {
      const res = await api.request<T>(method, path, {
        token,
        body,
        headers,
        ...(extra.contentType ? { contentType: extra.contentType } : {}),
      });
      if (res.status !== status) {
        const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
        log.record(step, res.ms, `HTTP ${res.status} ${text.slice(0, 200)}`);
        throw new StepFailed();
      }
      log.record(step, res.ms);
      return res.body;
    } catch (err) {
      if (!(err instanceof StepFailed)) log.record(step, performance.now() - sent, String(err));
      throw err;
    }
  };
  type Detail = { id: string; version: number; status: string; certificateNo: string | null };
  const act = (who: string, id: string, action: Step, body: Record<string, unknown>) =>
    call<Detail>(action, 200, 'POST', `/api/v1/applications/${id}/actions/${action}`, who, body, {
      key: true,
    });
  try {
    const materials: { key: string; sha256: string }[] = [];
    for (const key of MATERIALS) {
      const scan = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(SCAN_BYTES - 9)]);
      const file = await call<{ sha256: string }>(
        'upload',
        201,
        'POST',
        '/api/v1/files',
        chain.agent,
        scan,
        {
          contentType: 'application/pdf',
        },
      );
      materials.push({ key, sha256: file.sha256 });
    }
    const county = chain.village.slice(0, 6);
    const submitted = await call<Detail>(
      'submit',
      201,
      'POST',
      '/api/v1/applications',
      chain.agent,
      {
        itemCode: ITEM_CODE,
        channel: 'counter',
        applicantId: resident.id,
        formData: {
          wifeName: resident.name,
          wifeIdNumber: resident.idNumber,
          husbandName: '王强',
          husbandIdNumber: makeTestIdNumber(county, '19860212', '013'),
          mobile: '13800000002',
          marriageDate: '2015-05-01',
          childOrder: '1',
          pregnant: false,
          residenceVillage: chain.village,
        },
        materials,
      },
      { key: true },
    );
    const id = submitted.id;
    await act(chain.agent, id, 'accept', { version: submitted.version });
    const seen = await call<Detail>(
      'open',
      200,
      'GET',
      `/api/v1/applications/${id}`,
      chain.approver,
    );
    const approved = await act(chain.approver, id, 'approve', { version: seen.version });
    const issued = await act(chain.approver, id, 'issue', { version: approved.version });
    if (!issued.certificateNo) throw new Error(`case ${id} issued without a certificate`);
    const back = await call<Detail>('open', 200, 'GET', `/api/v1/applications/${id}`, chain.agent);
    const done = await act(chain.agent, id, 'handOver', {
      version: back.version,
      recipient: { name: resident.name, idNumber: resident.idNumber, relation: 'self' },
    });
    if (done.status !== 'concluded') throw new Error(`case ${id} ended ${done.status}`);
    log.caseMs.push(performance.now() - t0);
    log.casesDone++;
    return true;
  } catch (err) {
    log.casesFailed++;
    if (!(err instanceof StepFailed) && log.samples.size < 5) log.samples.add(String(err));
    return false;
  }
}

/** Closed loop: `workers` case-workers, each starting its next case when the last is done. */
export async function closedLoop(
  api: ApiClient,
  chains: Chain[],
  log: StepLog,
  opts: { workers: number; cases: number; signal: AbortSignal },
): Promise<void> {
  let started = 0;
  const worker = async (w: number) => {
    const chain = chains[w % chains.length]!;
    while (started < opts.cases && !opts.signal.aborted) {
      started++;
      await runCase(api, chain, log);
    }
  };
  await Promise.all(Array.from({ length: opts.workers }, (_, w) => worker(w)));
  opts.signal.throwIfAborted();
}

/**
 * Open loop: a new case every 1/rate seconds for `seconds`, whatever the earlier ones are
 * doing, round-robin over the chains; then waits for the cases still running.
 */
export async function openLoop(
  api: ApiClient,
  chains: Chain[],
  log: StepLog,
  opts: { perSecond: number; seconds: number; signal: AbortSignal },
): Promise<void> {
  const running = new Set<Promise<boolean>>();
  const start = performance.now();
  const total = Math.floor(opts.perSecond * opts.seconds);
  for (let k = 0; k < total && !opts.signal.aborted; k++) {
    const wait = start + (k * 1000) / opts.perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const p = runCase(api, chains[k % chains.length]!, log);
    running.add(p);
    void p.finally(() => running.delete(p));
  }
  await Promise.all(running);
  opts.signal.throwIfAborted();
}
