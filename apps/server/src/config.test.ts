import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('gives the embedded database a 16 MB buffer cache unless told otherwise', () => {
    const db = loadConfig({ YIMEN_DATA_DIR: '/tmp/yimen-config-test' }).database;
    assert.deepEqual(db, {
      kind: 'pglite',
      dataDir: '/tmp/yimen-config-test/db',
      sharedBuffers: '16MB',
    });
    const set = loadConfig({ YIMEN_PGLITE_SHARED_BUFFERS: '64MB' }).database;
    assert.equal(set.kind === 'pglite' && set.sharedBuffers, '64MB');
  });

  it('refuses a buffer cache size PostgreSQL would not read, naming the variable', () => {
    assert.throws(
      () => loadConfig({ YIMEN_PGLITE_SHARED_BUFFERS: '16 MB' }),
      (err: Error) => err instanceof ConfigError && /YIMEN_PGLITE_SHARED_BUFFERS/.test(err.message),
    );
  });

  it('has no buffer cache setting on PostgreSQL', () => {
    const db = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/yimen' }).database;
    assert.deepEqual(db, { kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/yimen' });
  });
  it('trusts X-Forwarded-For from nobody, everybody, or the named proxies only', () => {
    const base = { YIMEN_DATA_DIR: '/tmp/x' };
    assert.equal(loadConfig(base).trustProxy, false);
    assert.equal(loadConfig({ ...base, YIMEN_TRUST_PROXY: 'true' }).trustProxy, true);
    assert.deepEqual(
      loadConfig({ ...base, YIMEN_TRUST_PROXY: '10.0.0.2, 10.1.0.0/16,fd00::/8' }).trustProxy,
      ['10.0.0.2', '10.1.0.0/16', 'fd00::/8'],
    );
    assert.throws(
      () => loadConfig({ ...base, YIMEN_TRUST_PROXY: 'nginx' }),
      /YIMEN_TRUST_PROXY.*proxy addresses/s,
    );
  });
});
