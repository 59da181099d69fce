import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../app.ts';
import { bearer, createStaff, idNumberFor } from '../test/factories.ts';
import { createTestEnv, type TestEnv } from '../test/harness.ts';

/** Log lines carry the request id and never a clear ID number, mobile or token. */
let env: TestEnv;
let lines: string[] = [];
let app: Awaited<ReturnType<typeof buildApp>>;
before(async () => {
  env = await createTestEnv();
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  app = await buildApp(
    { ...env.ctx, config: { ...env.ctx.config, logLevel: 'info' } },
    { logStream: stream },
  );
  await app.ready();
});
after(async () => {
  await app.close();
  await env.close();
});

describe('request logs', () => {
  it('tag every line with the request id and mask personal data in URLs', async () => {
    lines = [];
    const staff = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: '430903105237',
    });
    const id = idNumberFor('430903');
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/residents?idNumber=${id}&mobile=13800000001`,
      headers: { ...bearer(staff.token), 'x-request-id': 'log-test-1' },
    });
    assert.ok(res.statusCode < 500);
    const mine = lines.filter((l) => l.includes('log-test-1'));
    assert.ok(mine.length >= 2, 'incoming and completed lines carry the request id');
    const all = lines.join('\n');
    assert.ok(!all.includes(id), `no clear ID number in the log:\n${all}`);
    assert.ok(!all.includes('13800000001'), 'no clear mobile in the log');
    assert.ok(!all.includes(staff.token), 'no token in the log');
    assert.match(all, /\*{8}/);
  });
});
