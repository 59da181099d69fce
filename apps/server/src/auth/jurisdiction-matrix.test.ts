import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeTestIdNumber, type Role } from '@yimen/core';
import { createServicePoints, importRegions } from '../modules/regions/regions.import.ts';
import { bearer, createCitizen, createStaff } from '../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../test/harness.ts';

/**
 * Role × jurisdiction × endpoint. Every role acts from its service point; each endpoint is
 * tried on an object inside that point's region and on one outside it. The rule under
 * test: a role lacking the permission gets 403 wherever the object is; a role that has it
 * reaches inside (2xx) and never outside (404, as if the object did not exist). Only the
 * system administrator reaches everywhere.
 */
let env: TestEnv;
const INSIDE = '430922101220'; // 三官桥村, 桃江县修山镇, 益阳市
const OUTSIDE_COUNTY = '430903105237'; // 金山村, 赫山区: outside Taojiang, inside Yiyang
const OUTSIDE_CITY = '430102001001'; // a community of 长沙市: outside Yiyang

const ACTORS: { label: string; roles: Role[]; at: string }[] = [
  { label: 'village_agent@三官桥村', roles: ['village_agent'], at: INSIDE },
  { label: 'township_clerk@修山镇', roles: ['township_clerk'], at: '430922101' },
  { label: 'township_approver@修山镇', roles: ['township_approver'], at: '430922101' },
  { label: 'department_officer@益阳市', roles: ['department_officer'], at: '4309' },
  { label: 'county_admin@桃江县', roles: ['county_admin'], at: '430922' },
  { label: 'city_admin@益阳市', roles: ['city_admin'], at: '4309' },
  { label: 'leader@益阳市', roles: ['leader'], at: '4309' },
  { label: 'system_admin', roles: ['system_admin'], at: '4309' },
];

interface Target {
  resident: string;
  household: string;
  user: string;
}
const targets: Record<string, Target> = {};
const tokens: Record<string, string> = {};
let citizenToken = '';

before(async () => {
  env = await createTestEnv();
  await importRegions(env.db, [
    { code: '4301', name: '长沙市' },
    { code: '430102', name: '芙蓉区' },
    { code: '430102001', name: '文艺路街道' },
    { code: '430102001001', name: '识字岭社区' },
  ]);
  await createServicePoints(env.db, '4301');
  const admin = await createStaff(env.db, { roles: ['system_admin'], servicePointCode: '4309' });
  let seq = 100;
  for (const village of [INSIDE, OUTSIDE_COUNTY, OUTSIDE_CITY]) {
    const hh = await call(env.app, {
      method: 'POST',
      url: '/api/v1/households',
      headers: bearer(admin.token),
      payload: { regionCode: village, address: '测试组 1 号' },
    });
    assert.equal(hh.statusCode, 201, hh.body);
    const r = await call(env.app, {
      method: 'POST',
      url: '/api/v1/residents',
      headers: bearer(admin.token),
      payload: {
        name: '测试居民',
        idNumber: makeTestIdNumber(village.slice(0, 6), '19700101', String(seq++)),
        regionCode: village,
        householdId: hh.data.id,
        relationship: 'head',
      },
    });
    assert.equal(r.statusCode, 201, r.body);
    const u = await createStaff(env.db, { roles: ['village_agent'], servicePointCode: village });
    targets[village] = { resident: r.data.id, household: hh.data.id, user: u.id };
  }
  for (const a of ACTORS)
    tokens[a.label] = (await createStaff(env.db, { roles: a.roles, servicePointCode: a.at })).token;
  citizenToken = (await createCitizen(env.db)).token;
});
after(() => env.close());

type Endpoint = {
  name: string;
  permission: string;
  request: (t: Target) => {
    method: 'GET' | 'PATCH';
    url: string;
    payload?: Record<string, unknown>;
  };
};
const ENDPOINTS: Endpoint[] = [
  {
    name: 'GET resident',
    permission: 'resident.read',
    request: (t) => ({ method: 'GET', url: `/api/v1/residents/${t.resident}` }),
  },
  {
    name: 'PATCH resident',
    permission: 'resident.write',
    request: (t) => ({
      method: 'PATCH',
      url: `/api/v1/residents/${t.resident}`,
      payload: { mobile: '13600000000' },
    }),
  },
  {
    name: 'GET household',
    permission: 'resident.read',
    request: (t) => ({ method: 'GET', url: `/api/v1/households/${t.household}` }),
  },
  {
    name: 'GET user',
    permission: 'user.manage',
    request: (t) => ({ method: 'GET', url: `/api/v1/users/${t.user}` }),
  },
  {
    name: 'PATCH user',
    permission: 'user.manage',
    request: (t) => ({
      method: 'PATCH',
      url: `/api/v1/users/${t.user}`,
      payload: { displayName: '改名' },
    }),
  },
];

import { permissionsOf } from '@yimen/core';

function expected(roles: Role[], permission: string, where: 'inside' | 'outside'): number | 'ok' {
  const perms = permissionsOf(roles) as Set<string>;
  if (!perms.has(permission)) return 403;
  if (roles.includes('system_admin')) return 'ok';
  return where === 'inside' ? 'ok' : 404;
}

function regionOf(actor: (typeof ACTORS)[number]) {
  // "outside" is outside the actor's own region: the other county for township and county
  // roles, another city for city roles.
  return actor.at.length <= 4
    ? { inside: INSIDE, outside: OUTSIDE_CITY }
    : { inside: INSIDE, outside: OUTSIDE_COUNTY };
}

describe('role × jurisdiction × endpoint', () => {
  for (const actor of ACTORS) {
    for (const ep of ENDPOINTS) {
      for (const where of ['inside', 'outside'] as const) {
        it(`${actor.label} · ${ep.name} · ${where}`, async () => {
          const village = regionOf(actor)[where];
          const req = ep.request(targets[village]!);
          const res = await call(env.app, { ...req, headers: bearer(tokens[actor.label]!) });
          const want = expected(actor.roles, ep.permission, where);
          if (want === 'ok')
            assert.ok(
              res.statusCode >= 200 && res.statusCode < 300,
              `${res.statusCode} ${res.body}`,
            );
          else assert.equal(res.statusCode, want, res.body);
        });
      }
    }
  }

  it('a citizen reaches no one else’s records', async () => {
    for (const village of [INSIDE, OUTSIDE_COUNTY]) {
      for (const ep of ENDPOINTS) {
        const res = await call(env.app, {
          ...ep.request(targets[village]!),
          headers: bearer(citizenToken),
        });
        assert.ok([403, 404].includes(res.statusCode), `${ep.name}: ${res.statusCode}`);
      }
    }
  });

  it('lists stay inside the jurisdiction: users, residents, audit', async () => {
    for (const actor of ACTORS.filter((a) => !a.roles.includes('system_admin'))) {
      const { outside } = regionOf(actor);
      const h = bearer(tokens[actor.label]!);
      const users = await call(env.app, {
        method: 'GET',
        url: '/api/v1/users?limit=200',
        headers: h,
      });
      if (users.statusCode === 200) {
        for (const u of users.data.items)
          assert.ok(!u.servicePoint.regionCode.startsWith(outside.slice(0, 6)), actor.label);
      }
      const residents = await call(env.app, {
        method: 'GET',
        url: `/api/v1/residents?within=${outside}`,
        headers: h,
      });
      assert.ok(
        [403, 404].includes(residents.statusCode) || residents.data.items.length === 0,
        `${actor.label} residents ${residents.statusCode}`,
      );
      const audit = await call(env.app, {
        method: 'GET',
        url: '/api/v1/audit?limit=200&action=*',
        headers: h,
      });
      if (audit.statusCode === 200) {
        for (const row of audit.data.items)
          assert.ok(!String(row.regionCode ?? '').startsWith(outside.slice(0, 6)), actor.label);
      }
    }
  });

  it('refusals are in the audit trail with the actor', async () => {
    const rows = await env.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('outcome', '=', 'denied')
      .where('actor_user_id', 'is not', null)
      .execute();
    assert.ok(rows.some((r) => r.action.includes('/api/v1/residents/:id')));
    assert.ok(rows.some((r) => r.action.includes('/api/v1/users/:id')));
  });
});
