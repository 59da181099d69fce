import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, createTestEnv, type TestEnv } from '../test/harness.ts';

/**
 * Every kind of bad input the foundation can receive gets a 4xx that names the problem,
 * never a 500, and leaves the data as it was.
 */
let env: TestEnv;
let before_: { regions: number; points: number };

async function counts() {
  const r = await env.db
    .selectFrom('region')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const p = await env.db
    .selectFrom('service_point')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { regions: Number(r.n), points: Number(p.n) };
}

before(async () => {
  env = await createTestEnv({ bodyLimit: 4096 });
  before_ = await counts();
});
after(() => env.close());

function fieldsOf(res: { data: { error: { fields?: { field: string }[] } } }) {
  return (res.data.error.fields ?? []).map((f) => f.field);
}

const json = { 'content-type': 'application/json' };

describe('bad input', () => {
  it('malformed JSON is a 400 MALFORMED_JSON', async () => {
    const res = await call(env.app, {
      method: 'POST',
      url: '/api/v1/regions/lookup',
      headers: json,
      payload: '{"codes": ["43",',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.data.error.code, 'MALFORMED_JSON');
    assert.ok(res.data.error.requestId);
  });

  it('an empty JSON body is a 400, not a crash', async () => {
    const res = await call(env.app, {
      method: 'POST',
      url: '/api/v1/regions/lookup',
      headers: json,
      payload: '',
    });
    assert.equal(res.statusCode, 400);
  });

  it('unknown fields are named', async () => {
    const res = await call(env.app, {
      method: 'POST',
      url: '/api/v1/regions/lookup',
      headers: { ...json, 'accept-language': 'en' },
      payload: { codes: ['43'], admin: true },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.data.error.code, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(res), ['body.admin']);
    assert.equal(res.data.error.fields[0].message, 'unknown field');
  });

  it('wrong types are named, with the expected type, in Chinese by default', async () => {
    const res = await call(env.app, {
      method: 'POST',
      url: '/api/v1/regions/lookup',
      headers: json,
      payload: { codes: '430922' },
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(fieldsOf(res), ['body.codes']);
    assert.match(res.data.error.fields[0].message, /数组/);
    const item = await call(env.app, {
      method: 'POST',
      url: '/api/v1/regions/lookup',
      headers: json,
      payload: { codes: ['430922', 12] },
    });
    assert.deepEqual(fieldsOf(item), ['body.codes.1']);
  });

  it('a missing required field says so', async () => {
    const res = await call(env.app, {
      method: 'POST',
      url: '/api/v1/regions/lookup',
      headers: { ...json, 'accept-language': 'en' },
      payload: {},
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.data.error.fields, [{ field: 'body.codes', message: 'required' }]);
  });

  it('an oversize body is a 413 with the limit', async () => {
    const res = await call(env.app, {
      method: 'POST',
      url: '/api/v1/regions/lookup',
      headers: json,
      payload: JSON.stringify({ codes: Array.from({ length: 1000 }, () => '430922101220') }),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.data.error.code, 'BODY_TOO_LARGE');
    assert.match(res.data.error.message, /4096/);
  });

  it('a body that is not JSON is a 415', async () => {
    const res = await call(env.app, {
      method: 'POST',
      url: '/api/v1/regions/lookup',
      headers: { 'content-type': 'text/plain' },
      payload: 'codes=43',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.data.error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('prototype pollution in JSON is refused', async () => {
    const res = await call(env.app, {
      method: 'POST',
      url: '/api/v1/regions/lookup',
      headers: json,
      payload: '{"codes":["43"],"__proto__":{"admin":true}}',
    });
    assert.equal(res.statusCode, 400);
  });

  it('malformed region codes are a 400 naming the parameter; unknown ones a 404', async () => {
    for (const code of ['4309x', '43092', '1234567890123', "43'--", '%27%20OR%201%3D1']) {
      const res = await call(env.app, { method: 'GET', url: `/api/v1/regions/${code}` });
      assert.equal(res.statusCode, 400, code);
      assert.deepEqual(fieldsOf(res), ['params.code'], code);
    }
    const unknown = await call(env.app, { method: 'GET', url: '/api/v1/regions/990000' });
    assert.equal(unknown.statusCode, 404);
    const within = await call(env.app, { method: 'GET', url: '/api/v1/regions?within=439999' });
    assert.equal(within.statusCode, 404);
  });

  it('a huge, negative or non-numeric limit is a 400 naming query.limit', async () => {
    for (const limit of ['100000', '-1', '0', 'abc', '1e9', '2.5']) {
      const res = await call(env.app, {
        method: 'GET',
        url: `/api/v1/regions?within=4309&limit=${limit}`,
      });
      assert.equal(res.statusCode, 400, limit);
      assert.deepEqual(fieldsOf(res), ['query.limit'], limit);
    }
  });

  it('unknown query parameters are named', async () => {
    const res = await call(env.app, {
      method: 'GET',
      url: '/api/v1/regions?within=4309&sort=name',
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(fieldsOf(res), ['query.sort']);
  });

  it('a search string of 10,000 characters is a 400 naming query.q', async () => {
    const res = await call(env.app, {
      method: 'GET',
      url: `/api/v1/regions?q=${'镇'.repeat(10_000)}`,
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(fieldsOf(res), ['query.q']);
  });

  it('quotes, wildcards and SQL in a search are only text', async () => {
    for (const q of [
      "' OR '1'='1",
      '"; DROP TABLE region; --',
      '%',
      '_',
      '\\',
      "修山'||'",
      '%%%___',
    ]) {
      const res = await call(env.app, {
        method: 'GET',
        url: `/api/v1/regions?q=${encodeURIComponent(q)}`,
      });
      assert.equal(res.statusCode, 200, q);
      assert.deepEqual(res.data.items, [], q);
    }
  });

  it('a cursor on a search, or a bad cursor, is a 400', async () => {
    const a = await call(env.app, { method: 'GET', url: '/api/v1/regions?q=xs&cursor=43' });
    assert.equal(a.statusCode, 400);
    const b = await call(env.app, {
      method: 'GET',
      url: '/api/v1/regions/4309/children?cursor=abc',
    });
    assert.equal(b.statusCode, 400);
    assert.deepEqual(fieldsOf(b), ['query.cursor']);
  });

  it('an unknown route is a 404 in our error shape', async () => {
    const res = await call(env.app, { method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.data.error.code, 'ROUTE_NOT_FOUND');
  });

  it('a client request id is echoed when sane and replaced when not', async () => {
    const good = await call(env.app, {
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'agent-42.a' },
    });
    assert.equal(good.headers['x-request-id'], 'agent-42.a');
    const bad = await call(env.app, {
      method: 'GET',
      url: '/api/v1/regions/4309x',
      headers: { 'x-request-id': '<script>' },
    });
    assert.notEqual(bad.headers['x-request-id'], '<script>');
    assert.equal(bad.data.error.requestId, bad.headers['x-request-id']);
  });

  it('wrote nothing: regions and service points are as they were', async () => {
    assert.deepEqual(await counts(), before_);
  });
});
