import assert from 'node:assert/strict';
import type { DepartmentSystem } from '@yimen/core';
import type { Config } from '../../config.ts';
import { seedDemo } from '../../seed/seed.ts';
import { type CaseClient, residentByName, signIn } from '../../test/cases.ts';
import { bearer } from '../../test/factories.ts';
import { call, createTestEnv, TEST_KEYS, type TestEnv } from '../../test/harness.ts';
import { databaseSmsProvider } from '../accounts/sms.ts';
import type { DispatcherOptions } from '../outbox/dispatcher.ts';
import { QUEUED_BEHIND } from '../outbox/outbox.repo.ts';
import { smsHandler } from '../outbox/sms.handler.ts';
import { drainOutbox, hubHandlers } from './hub.ts';
import { type SimSystemConfig, type Simulator, startSimulator } from './simulator/simulator.ts';

/**
 * A platform listening on a real port with the demo data, the department simulator calling
 * it back over HTTP, and an administrator's token. Tests drive the dispatcher themselves
 * (`drain`), so nothing depends on timing.
 */
export interface HubEnv extends TestEnv {
  url: string;
  sim: Simulator;
  adminToken: string;
  clerk: CaseClient;
  approver: CaseClient;
  drain(opts?: DispatcherOptions): Promise<number>;
  /** Makes every pending row due now (skips the backoff wait), but not those queued behind. */
  dueNow(): Promise<void>;
  closeHub(): Promise<void>;
}

export async function createHubEnv(
  opts: {
    systems?: (Partial<SimSystemConfig> & { key: string })[];
    integrations?: Partial<Config['integrations']>;
  } = {},
): Promise<HubEnv> {
  const base = await createTestEnv();
  // The handlers read the config at creation: give them the overrides.
  Object.assign(base.ctx.config.integrations, opts.integrations ?? {});
  await seedDemo(base.db, TEST_KEYS);
  await base.app.listen({ port: 0, host: '127.0.0.1' });
  const address = base.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  base.ctx.config.integrations.publicUrl = url;
  const sim = await startSimulator({ platformUrl: url, systems: opts.systems });
  const hub = hubHandlers(base.ctx, {
    sms: smsHandler(base.db, databaseSmsProvider({ demo: false, log: { info() {} } as never })),
  });
  const admin = await signIn(base.app, 'admin');
  return {
    ...base,
    url,
    sim,
    adminToken: admin.token,
    clerk: await signIn(base.app, 'clerk.xiushan'),
    approver: await signIn(base.app, 'approver.xiushan'),
    drain: (o = {}) => drainOutbox(base.ctx, hub.handlers, { maxAttempts: 5, ...o }),
    dueNow: async () => {
      await base.db
        .updateTable('outbox')
        .set({ next_attempt_at: new Date(0) })
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<', QUEUED_BEHIND)
        .execute();
    },
    closeHub: async () => {
      await hub.close();
      await sim.close();
      await base.close();
    },
  };
}

export function adminCall(
  env: HubEnv,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return call(env.app, {
    method,
    url: `/api/v1/integrations${url}`,
    headers: bearer(env.adminToken),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/** Registers the simulator's system `key` as a connector (HMAC, the simulator's secret). */
export async function registerSimConnector(
  env: HubEnv,
  key: string,
  over: Record<string, unknown> = {},
): Promise<DepartmentSystem> {
  const c = env.sim.config(key);
  const res = await adminCall(env, 'POST', '/systems', {
    code: `${key}-test`,
    systemKey: key,
    name: c.name,
    department: key,
    baseUrl: env.sim.baseUrlOf(key),
    clientId: c.clientId,
    auth: { kind: 'hmac', secret: c.secret },
    timeoutMs: 5000,
    ...over,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.data;
}

/** 陈志强 of 花桥港村 registers as unemployed at the 修山镇 window (就业失业登记 → hrss). */
export async function submitUnemployment(
  env: HubEnv,
): Promise<{ id: string; applicationNo: string }> {
  const chen = await residentByName(env.app, env.clerk, '陈志强', '430922101224');
  const row = await env.db
    .selectFrom('resident')
    .select('id_number_cipher')
    .where('id', '=', chen)
    .executeTakeFirstOrThrow();
  const res = await env.clerk.submit({
    itemCode: '4309-RS-GG-001',
    channel: 'counter',
    applicantId: chen,
    formData: {
      applicantName: '陈志强',
      idNumber: TEST_KEYS.personalData.decrypt(row.id_number_cipher),
      mobile: '13800000006',
      residenceVillage: '430922101224',
      registrationType: 'unemployment',
      employmentStatus: 'none',
      effectiveDate: '2026-11-02',
      education: 'senior',
    },
    materials: [{ key: 'idCard', sha256: await env.clerk.upload() }],
  });
  assert.equal(res.statusCode, 201, res.body);
  return { id: res.data.id, applicationNo: res.data.applicationNo };
}

/** Submits and accepts: the case goes to the department. */
export async function caseWithDepartment(env: HubEnv) {
  const c = await submitUnemployment(env);
  const accepted = await env.clerk.act(c.id, 'accept');
  assert.equal(accepted.statusCode, 200, accepted.body);
  assert.equal(accepted.data.status, 'with_department');
  return c;
}

export async function statusOf(env: HubEnv, id: string): Promise<string> {
  return (await env.clerk.get(id)).data.status;
}

/** Polls (for callbacks, which arrive on their own) until the case reaches `status`. */
export async function waitForStatus(env: HubEnv, id: string, status: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  let now = '';
  while (Date.now() < until) {
    now = await statusOf(env, id);
    if (now === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`case ${id} stayed ${now}, expected ${status}`);
}
