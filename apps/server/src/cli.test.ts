import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TEST_BACKEND } from './test/harness.ts';

/**
 * The CLI as a user runs it: `yimen serve` in a child process on its own data directory,
 * a second one refused by the lock, SIGTERM closing cleanly, a restart reusing the data.
 */
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/yimen.js');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yimen-cli-'));
const env = {
  ...process.env,
  YIMEN_DATA_DIR: dataDir,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
};
delete (env as Record<string, string | undefined>).DATABASE_URL;

const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function startServer(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = /running at (http:\/\/localhost:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out });
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

describe('yimen CLI', { skip: TEST_BACKEND !== 'pglite' && 'embedded-database behaviour' }, () => {
  it('prints its commands', () => {
    const r = spawnSync(process.execPath, [BIN, '--help'], { env, encoding: 'utf8' });
    assert.equal(r.status, 0);
    for (const cmd of ['serve', 'migrate', 'seed', 'regions', 'doctor'])
      assert.match(r.stdout, new RegExp(cmd));
  });

  it('serves, refuses a second process on the same data, stops on SIGTERM and restarts', async () => {
    const first = await startServer();
    const health = (await fetch(`${first.url}/health`).then((r) => r.json())) as Record<
      string,
      unknown
    >;
    assert.deepEqual(
      { ...health, version: 'x' },
      { status: 'ok', database: 'pglite', version: 'x' },
    );
    assert.ok(fs.existsSync(path.join(dataDir, 'yimen.lock')));

    const second = spawnSync(process.execPath, [BIN, 'serve'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(second.status, 2, second.stderr);
    assert.match(second.stderr, /数据目录已被进程 \d+ 占用/);
    assert.match(second.stderr, /in use by process/);

    const doctor = spawnSync(process.execPath, [BIN, 'doctor'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.match(doctor.stdout, /held by running process/);

    first.child.kill('SIGTERM');
    assert.equal(await exitOf(first.child), 0);
    assert.ok(!fs.existsSync(path.join(dataDir, 'yimen.lock')), 'the lock is released');

    const again = await startServer();
    const village = (await fetch(`${again.url}/api/v1/regions/430903105237`).then((r) =>
      r.json(),
    )) as { name: string };
    assert.equal(village.name, '金山村');
    again.child.kill('SIGTERM');
    assert.equal(await exitOf(again.child), 0);

    const doctorAfter = spawnSync(process.execPath, [BIN, 'doctor'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(doctorAfter.status, 0, doctorAfter.stdout + doctorAfter.stderr);
    assert.match(doctorAfter.stdout, /migrations\s+up to date/);
    assert.match(doctorAfter.stdout, /village 1446/);
  });

  it('takes over a lock left by a process that died', async () => {
    fs.writeFileSync(path.join(dataDir, 'yimen.lock'), '999999\n');
    const s = await startServer();
    s.child.kill('SIGTERM');
    assert.equal(await exitOf(s.child), 0);
  });

  it('rejects bad configuration naming the variable', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve'], {
      env: { ...env, PORT: 'eighty' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /PORT/);
  });
});
