import assert from 'node:assert/strict';
import type { Role } from '@yimen/core';
import { bearer, createStaff } from '../../test/factories.ts';
import { call, type TestEnv } from '../../test/harness.ts';
import { queueClock } from './queue.clock.ts';

/** A hall built through the API: groups and windows by an admin, staff seated at windows. */

export const XIUSHAN = '430922101'; // 修山镇党群和政务服务中心
export const SANGUANQIAO = '430922101220'; // 三官桥村便民服务站, under 修山镇
export const CANGSHUIPU = '430903105'; // 沧水铺镇, another county

/** The hall clock, set by the test: times are then exact to the second. */
export function setClock(iso: string): void {
  const at = new Date(iso);
  queueClock.now = () => at;
}
export function resetClock(): void {
  queueClock.now = () => new Date();
}

export interface Hall {
  code: string;
  admin: string;
  groups: Record<string, string>;
  windows: Record<string, string>;
}

export async function api(
  env: TestEnv,
  token: string,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return call(env.app, {
    method,
    url: `/api/v1${url}`,
    headers: { ...bearer(token), ...headers },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

export async function buildHall(
  env: TestEnv,
  code: string,
  spec: {
    groups: { prefix: string; name: string; priorityEvery?: number }[];
    windows: { name: string; groups: string[] }[];
  },
  adminAt = code.slice(0, 6),
): Promise<Hall> {
  const admin = await createStaff(env.db, { roles: ['county_admin'], servicePointCode: adminAt });
  const hall: Hall = { code, admin: admin.token, groups: {}, windows: {} };
  for (const g of spec.groups) {
    const res = await api(env, admin.token, 'POST', `/hall/service-points/${code}/groups`, g);
    assert.equal(res.statusCode, 201, res.body);
    hall.groups[g.prefix] = res.data.id;
  }
  for (const w of spec.windows) {
    const res = await api(env, admin.token, 'POST', `/hall/service-points/${code}/windows`, {
      name: w.name,
      groupIds: w.groups.map((p) => hall.groups[p]),
    });
    assert.equal(res.statusCode, 201, res.body);
    hall.windows[w.name] = res.data.id;
  }
  return hall;
}

/** A member of the hall's staff, seated at a window when one is named. */
export async function seatedStaff(
  env: TestEnv,
  hall: Hall,
  windowName?: string,
  roles: Role[] = ['township_clerk'],
): Promise<string> {
  const s = await createStaff(env.db, { roles, servicePointCode: hall.code });
  if (windowName) {
    const res = await api(env, s.token, 'POST', `/hall/windows/${hall.windows[windowName]}/sit`, {
      takeOver: true,
    });
    assert.equal(res.statusCode, 200, res.body);
  }
  return s.token;
}

export async function issue(
  env: TestEnv,
  token: string,
  hall: Hall,
  prefix: string,
  priority: 'elderly' | 'disabled' | null = null,
) {
  const res = await api(env, token, 'POST', `/hall/service-points/${hall.code}/tickets`, {
    groupId: hall.groups[prefix],
    priority,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.data.ticket as { id: string; number: string; status: string; day: string };
}

export async function callNext(env: TestEnv, token: string, hall: Hall, windowName: string) {
  const res = await api(
    env,
    token,
    'POST',
    `/hall/windows/${hall.windows[windowName]}/call-next`,
    {},
  );
  assert.equal(res.statusCode, 200, res.body);
  return res.data.ticket as { id: string; number: string; status: string } | null;
}

export async function step(env: TestEnv, token: string, id: string, action: string, body = {}) {
  return api(env, token, 'POST', `/hall/tickets/${id}/${action}`, body);
}
