#!/usr/bin/env node
// Runs the test files on the embedded database, then, when TEST_DATABASE_URL is set, the
// same files again on PostgreSQL. Ends with one line that totals both runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Node 20's test runner takes no globs: list the *.test.ts files under the source folders.
const ROOTS = ['packages/core/src', 'apps/server/src'];
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ROOTS.flatMap((root) =>
      fs
        .readdirSync(root, { recursive: true })
        .filter((f) => String(f).endsWith('.test.ts'))
        .map((f) => path.join(root, String(f))),
    ).sort();

const runs = [{ name: 'pglite', url: undefined }];
if (process.env.TEST_DATABASE_URL)
  runs.push({ name: 'postgres', url: process.env.TEST_DATABASE_URL });

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
    ...files,
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
for (const run of runs) {
  console.log(`\n=== tests on ${run.name} ===`);
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
