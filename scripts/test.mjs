#!/usr/bin/env node
// Runs the test files on the embedded database, then, when TEST_DATABASE_URL is set, the
// same files again on PostgreSQL, then the browser tests (e2e/*.test.ts: a real server and
// Debian's Chromium). Ends with one line that totals every run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Node 20's test runner takes no globs: list the *.test.ts files under the source folders.
const ROOTS = ['packages/core/src', 'apps/server/src'];
const args = process.argv.slice(2);
const isE2e = (f) => path.normalize(f).startsWith(`e2e${path.sep}`);
const e2eFiles = (
  args.length ? args.filter(isE2e) : fs.readdirSync('e2e').map((f) => path.join('e2e', f))
)
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
const files = args.length
  ? args.filter((f) => !isE2e(f))
  : ROOTS.flatMap((root) =>
      fs
        .readdirSync(root, { recursive: true })
        .filter((f) => String(f).endsWith('.test.ts'))
        .map((f) => path.join(root, String(f))),
    ).sort();

const runs = [];
if (files.length) {
  runs.push({ name: 'pglite', url: undefined, files });
  if (process.env.TEST_DATABASE_URL)
    runs.push({ name: 'postgres', url: process.env.TEST_DATABASE_URL, files });
}
// The browser tests run against the built web app: build it first (a no-op when current).
if (e2eFiles.length) runs.push({ name: 'the browser (e2e)', e2e: true, files: e2eFiles });

function runOnce(run) {
  const env = { ...process.env };
  if (run.url) env.TEST_DATABASE_URL = run.url;
  else delete env.TEST_DATABASE_URL;
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=2',
    ...run.files,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
let status = 0;
function buildWeb() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

for (const run of runs) {
  console.log(`\n=== tests on ${run.name} ===`);
  if (run.e2e && (await buildWeb()) !== 0) {
    console.log('the web app did not build: the browser tests count as failed');
    failed += run.files.length;
    status = 1;
    continue;
  }
  const { code, out } = await runOnce(run);
  const num = (label) => Number(new RegExp(`^ℹ ${label} (\\d+)`, 'm').exec(out)?.[1] ?? 0);
  passed += num('pass');
  failed += num('fail') + num('cancelled');
  skipped += num('skipped');
  if (code !== 0) status = code;
}
if (status !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status);
