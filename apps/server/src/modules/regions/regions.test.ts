import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
before(async () => {
  env = await createTestEnv();
});
after(() => env.close());

describe('regions API', () => {
  it('answers a village with its path from the province down', async () => {
    const res = await call(env.app, { method: 'GET', url: '/api/v1/regions/430922101220' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.data, {
      code: '430922101220',
      name: '三官桥村',
      level: 'village',
      parentCode: '430922101',
      path: [
        { code: '43', name: '湖南省', level: 'province' },
        { code: '4309', name: '益阳市', level: 'city' },
        { code: '430922', name: '桃江县', level: 'county' },
        { code: '430922101', name: '修山镇', level: 'township' },
        { code: '430922101220', name: '三官桥村', level: 'village' },
      ],
    });
  });

  it('accepts a zero-padded 12-digit code for a township', async () => {
    const res = await call(env.app, { method: 'GET', url: '/api/v1/regions/430903105000' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.data.name, '沧水铺镇');
    assert.equal(res.data.level, 'township');
  });

  it('holds all of Yiyang: 8 county-level units, 98 townships, 1,446 villages', async () => {
    const counties = await call(env.app, { method: 'GET', url: '/api/v1/regions/4309/children' });
    assert.equal(counties.data.items.length, 8);
    for (const [level, n] of [
      ['township', 98],
      ['village', 1446],
    ] as const) {
      const res = await call(env.app, {
        method: 'GET',
        url: `/api/v1/regions?within=4309&level=${level}&limit=1`,
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.data.total, n);
    }
  });

  it('pages children with a cursor until the last page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/regions/430922101/children?limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await call(env.app, { method: 'GET', url });
      assert.equal(res.statusCode, 200);
      assert.ok(res.data.items.length <= 7);
      seen.push(...res.data.items.map((r: { code: string }) => r.code));
      cursor = res.data.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.includes('430922101220'));
    assert.ok(seen.includes('430922101224'));
    assert.deepEqual([...seen].sort(), seen);
  });

  it('finds 修山镇 by name, full pinyin and initials (even with a slipped letter)', async () => {
    for (const q of ['修山', 'xiushan', 'xsz', 'xss']) {
      const res = await call(env.app, {
        method: 'GET',
        url: `/api/v1/regions?q=${encodeURIComponent(q)}&within=4309`,
      });
      assert.equal(res.statusCode, 200, q);
      const codes = res.data.items.map((r: { code: string }) => r.code);
      assert.ok(codes.includes('430922101'), `${q} → ${codes.join(',')}`);
    }
    const exact = await call(env.app, {
      method: 'GET',
      url: '/api/v1/regions?q=xsz&within=430922',
    });
    assert.equal(exact.data.items[0].code, '430922101', 'an exact initials match ranks first');
  });

  it('limits search to a subtree and level', async () => {
    const res = await call(env.app, {
      method: 'GET',
      url: `/api/v1/regions?q=${encodeURIComponent('村')}&within=430922101&level=village&limit=200`,
    });
    assert.equal(res.statusCode, 200);
    assert.ok(res.data.items.length > 5);
    for (const r of res.data.items) {
      assert.ok(r.code.startsWith('430922101'));
      assert.equal(r.level, 'village');
    }
  });

  it('says 404 for a well-formed code that does not exist, in the chosen language', async () => {
    const zh = await call(env.app, { method: 'GET', url: '/api/v1/regions/430999' });
    assert.equal(zh.statusCode, 404);
    assert.equal(zh.data.error.code, 'REGION_NOT_FOUND');
    assert.match(zh.data.error.message, /不存在/);
    const en = await call(env.app, {
      method: 'GET',
      url: '/api/v1/regions/430999',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    assert.match(en.data.error.message, /not found/);
    assert.equal(typeof en.data.error.requestId, 'string');
  });

  it('answers /health with the backend and version', async () => {
    const res = await call(env.app, { method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.data.status, 'ok');
    assert.equal(res.data.database, env.ctx.database.kind);
    assert.match(res.data.version, /^\d+\.\d+\.\d+/);
  });

  it('serves the OpenAPI document with the region routes', async () => {
    const res = await call(env.app, { method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.ok(res.data.paths['/api/v1/regions/{code}']);
    assert.ok(res.data.paths['/api/v1/regions']);
    const docs = await call(env.app, { method: 'GET', url: '/api/docs/' });
    assert.equal(docs.statusCode, 200);
  });
});
