import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createStaff } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';
import {
  api,
  buildHall,
  CANGSHUIPU,
  type Hall,
  issue,
  seatedStaff,
  XIUSHAN,
} from './queue.fixtures.ts';

/** Groups and windows (/hall/setup): who may change them, and what a change does. */
let env: TestEnv;
let hall: Hall;
before(async () => {
  env = await createTestEnv();
  hall = await buildHall(env, XIUSHAN, {
    groups: [{ prefix: 'A', name: '综合窗口' }],
    windows: [{ name: '1号窗口', groups: ['A'] }],
  });
});
after(() => env.close());

describe('hall setup', () => {
  it('creates, renames and deactivates a group; a deactivated group issues no tickets', async () => {
    const created = await api(env, hall.admin, 'POST', `/hall/service-points/${XIUSHAN}/groups`, {
      name: '户籍',
      nameEn: 'Household registration',
      prefix: 'C',
      priorityEvery: 3,
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.data.priorityEvery, 3);
    const taken = await api(env, hall.admin, 'POST', `/hall/service-points/${XIUSHAN}/groups`, {
      name: '别的',
      prefix: 'C',
    });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.data.error.code, 'QUEUE_PREFIX_TAKEN');
    const badPrefix = await api(env, hall.admin, 'POST', `/hall/service-points/${XIUSHAN}/groups`, {
      name: '别的',
      prefix: 'cc',
    });
    assert.equal(badPrefix.data.error.fields[0].field, 'body.prefix');
    const id = created.data.id;
    const renamed = await api(env, hall.admin, 'PATCH', `/hall/groups/${id}`, { name: '户籍业务' });
    assert.equal(renamed.data.name, '户籍业务');
    const off = await api(env, hall.admin, 'PATCH', `/hall/groups/${id}`, { active: false });
    assert.equal(off.data.active, false);
    const desk = await seatedStaff(env, hall);
    const refused = await api(env, desk, 'POST', `/hall/service-points/${XIUSHAN}/tickets`, {
      groupId: id,
    });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.data.error.code, 'QUEUE_GROUP_INACTIVE');
    const audit = await env.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['queue.group.create', 'queue.group.update', 'queue.group.update'],
    );
  });

  it('creates windows from the point’s own groups, naming a foreign one by its place', async () => {
    const other = await buildHall(env, CANGSHUIPU, {
      groups: [{ prefix: 'A', name: '综合窗口' }],
      windows: [],
    });
    const bad = await api(env, hall.admin, 'POST', `/hall/service-points/${XIUSHAN}/windows`, {
      name: '5号窗口',
      groupIds: [hall.groups.A, other.groups.A],
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.data.error.fields[0].field, 'body.groupIds.1');
    const dup = await api(env, hall.admin, 'POST', `/hall/service-points/${XIUSHAN}/windows`, {
      name: '1号窗口',
      groupIds: [hall.groups.A],
    });
    assert.equal(dup.statusCode, 409);
    const ok = await api(env, hall.admin, 'POST', `/hall/service-points/${XIUSHAN}/windows`, {
      name: '5号窗口',
      groupIds: [hall.groups.A],
    });
    assert.equal(ok.statusCode, 201);
    const w = await seatedStaff(env, hall);
    assert.equal(
      (await api(env, w, 'POST', `/hall/windows/${ok.data.id}/sit`, {})).statusCode,
      200,
    );
    const closed = await api(env, hall.admin, 'PATCH', `/hall/windows/${ok.data.id}`, {
      active: false,
    });
    assert.equal(closed.data.seated, null, 'a closed window has nobody at it');
    const sit = await api(env, w, 'POST', `/hall/windows/${ok.data.id}/sit`, {});
    assert.equal(sit.statusCode, 409);
    assert.equal(sit.data.error.code, 'QUEUE_WINDOW_INACTIVE');
  });

  it('is for administrators over the point; its staff read it, others do not', async () => {
    const clerk = await seatedStaff(env, hall);
    const view = await api(env, clerk, 'GET', `/hall/service-points/${XIUSHAN}`);
    assert.equal(view.statusCode, 200);
    assert.deepEqual(view.data.can, { serve: true, manage: false });
    const change = await api(env, clerk, 'POST', `/hall/service-points/${XIUSHAN}/groups`, {
      name: '新',
      prefix: 'Q',
    });
    assert.equal(change.statusCode, 403);
    const heshan = await createStaff(env.db, {
      roles: ['county_admin'],
      servicePointCode: '430903',
    });
    const far = await api(env, heshan.token, 'PATCH', `/hall/groups/${hall.groups.A}`, {
      name: 'x',
    });
    assert.equal(far.statusCode, 404);
    const city = await createStaff(env.db, { roles: ['city_admin'], servicePointCode: '4309' });
    const cityView = await api(env, city.token, 'GET', `/hall/service-points/${XIUSHAN}`);
    assert.deepEqual(cityView.data.can, { serve: false, manage: true });
    // A manager cannot issue tickets at a hall that is not theirs.
    const t = await api(env, city.token, 'POST', `/hall/service-points/${XIUSHAN}/tickets`, {
      groupId: hall.groups.A,
    });
    assert.equal(t.statusCode, 403);
    await issue(env, clerk, hall, 'A');
  });

  it('documents the hall in the OpenAPI document', async () => {
    const doc = await call(env.app, { method: 'GET', url: '/api/openapi.json' });
    assert.equal(doc.statusCode, 200);
    for (const path of [
      '/api/v1/hall/service-points/{code}/tickets',
      '/api/v1/hall/windows/{id}/call-next',
      '/api/v1/hall/tickets/{id}/transfer',
      '/api/v1/hall/service-points/{code}/display/stream',
      '/api/v1/hall/figures',
      '/api/v1/stats/queue',
    ])
      assert.ok(doc.data.paths[path], path);
  });
});
