#!/usr/bin/env node
// Builds the web app (apps/web → apps/web/dist) when its sources changed since the last
// build: a hash of the sources, its package files and the installed versions of its main
// dependencies is kept in dist/.build-hash, so `npm start` costs a few milliseconds when
// nothing changed. `--soft` (used by prestart and postinstall) warns instead of failing, so
// a broken or impossible web build never stops the API from installing or starting.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'apps/web');
const DIST = path.join(WEB, 'dist');
const STAMP = path.join(DIST, '.build-hash');
const soft = process.argv.includes('--soft');
const force = process.argv.includes('--force');
const INPUTS = ['src', 'public', 'index.html', 'package.json', 'vite.config.ts', 'tsconfig.json'];
const DEPS = [
  'vite',
  '@vitejs/plugin-react',
  'react',
  'react-dom',
  'antd',
  'react-router',
  'i18next',
];

function fail(message) {
  console.error(`\n!! web app not built: ${message}`);
  if (soft) {
    console.error(
      '!! the server starts without it (/ goes to the API docs); run `npm run build:web`.\n',
    );
    process.exit(0);
  }
  process.exit(1);
}

function files(p) {
  if (!fs.existsSync(p)) return [];
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs
    .readdirSync(p, { recursive: true })
    .map((f) => path.join(p, String(f)))
    .filter((f) => fs.statSync(f).isFile())
    .sort();
}

function sourceHash() {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap((i) => files(path.join(WEB, i)))) {
    h.update(path.relative(WEB, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  }
  const require = createRequire(path.join(WEB, 'package.json'));
  for (const d of DEPS) {
    try {
      h.update(`${d}@${require(`${d}/package.json`).version}\0`);
    } catch {
      h.update(`${d}@missing\0`);
    }
  }
  return h.digest('hex');
}

if (!fs.existsSync(WEB)) fail('apps/web is missing');
const hash = sourceHash();
const built = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : '';
if (!force && built === hash && fs.existsSync(path.join(DIST, 'index.html'))) {
  console.log('web app is up to date (apps/web/dist)');
  process.exit(0);
}

let vite;
try {
  const require = createRequire(path.join(WEB, 'package.json'));
  vite = await import(require.resolve('vite'));
} catch {
  fail('vite is not installed (npm install without --omit=dev builds it)');
}
const started = Date.now();
try {
  await vite.build({ root: WEB, logLevel: 'warn', configFile: path.join(WEB, 'vite.config.ts') });
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
fs.writeFileSync(STAMP, `${hash}\n`);
console.log(`web app built in ${Date.now() - started} ms (apps/web/dist)`);
