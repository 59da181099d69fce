import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * The browser tests' world: a real yimen server started for the test file (demo data, its own
 * temporary data directory, a free port), and Debian's Chromium driven by playwright-core.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOTS = path.join(ROOT, 'e2e', 'screenshots');
export const DIST = path.join(ROOT, 'apps', 'web', 'dist');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const APT = 'apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk';

export interface Server {
  url: string;
  /** The newest demo SMS code sent to `mobile` after `since` (waits for it). */
  smsCode: (mobile: string, since?: number) => Promise<string>;
  stop: () => Promise<void>;
}

interface Sms {
  at: number;
  mobile: string;
  body: string;
}

/**
 * A data directory that already holds the migrations, Yiyang's regions and the demo data,
 * made once per version of those (first start ~10 s) and copied for each test file (~0.3 s).
 */
async function templateDir(): Promise<string> {
  const h = createHash('sha256');
  for (const dir of ['apps/server/src/db/migrations', 'apps/server/src/seed', 'data']) {
    for (const f of fs.readdirSync(path.join(ROOT, dir), { recursive: true }).map(String).sort()) {
      const full = path.join(ROOT, dir, f);
      if (fs.statSync(full).isFile())
        h.update(`${f}:${fs.statSync(full).size}:`).update(fs.readFileSync(full));
    }
  }
  const prefix = 'yimen-e2e-template-';
  const template = path.join(os.tmpdir(), `${prefix}${h.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(template, 'ready'))) return template;
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'yimen-e2e-seed-'));
  const server = await launch(fresh);
  await server.stop(false);
  fs.writeFileSync(path.join(fresh, 'ready'), '');
  try {
    fs.renameSync(fresh, template);
    for (const old of fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(prefix)))
      if (path.join(os.tmpdir(), old) !== template)
        fs.rmSync(path.join(os.tmpdir(), old), { recursive: true, force: true });
  } catch {
    // another test file made it first
    fs.rmSync(fresh, { recursive: true, force: true });
  }
  return template;
}

export async function startServer(): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yimen-e2e-'));
  fs.cpSync(await templateDir(), dataDir, { recursive: true });
  fs.rmSync(path.join(dataDir, 'ready'), { force: true });
  return launch(dataDir);
}

async function launch(
  dataDir: string,
): Promise<Server & { stop: (remove?: boolean) => Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'apps/server/bin/yimen.js'), 'serve'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        YIMEN_DATA_DIR: dataDir,
        YIMEN_DEMO: '1',
        // Demo SMS codes are logged at info: the only way a test reads the code a villager
        // would read off the phone. Other lines are dropped; errors are shown.
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const sms: Sms[] = [];
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 180_000);
    const onLine = (line: string) => {
      const m = /running at (http:\/\/localhost:\d+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
      if (!line.startsWith('{')) return;
      try {
        const j = JSON.parse(line) as { level: number; demoSms?: { mobile: string; body: string } };
        if (j.demoSms) sms.push({ at: Date.now(), ...j.demoSms });
        else if (j.level >= 50) process.stderr.write(`[server] ${line}\n`);
      } catch {
        // not a log line
      }
    };
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return {
    url,
    async smsCode(mobile, since = 0) {
      for (let i = 0; i < 100; i++) {
        // Only a message that carries a code: case notices to the same phone also hold
        // digits (an application number), and the outbox sends them whenever it gets to them.
        const hit = sms
          .filter((s) => s.mobile === mobile && s.at >= since && s.body.includes('验证码'))
          .at(-1);
        const code = hit && /验证码(?:为)?\s*(\d{6})/.exec(hit.body)?.[1];
        if (code) return code;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no SMS to ${mobile}`);
    },
    async stop(remove = true) {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      if (remove) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless. Missing Chromium fails loudly with the command to install it. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the browser tests need it.\n  Run (as root): ${APT}\n  or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { viewport: { width: 1280, height: 860 } };
export const PHONE = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export interface World {
  server: Server;
  browser: Browser;
}

/**
 * A test file's world: made before its tests, taken down after them. The browser comes first:
 * without Chromium the file fails at once, with no server left behind.
 */
export function testWorld(): World {
  const world = {} as World;
  before(async () => {
    world.browser = await launchBrowser();
    world.server = await startServer();
  });
  after(async () => {
    await world.browser?.close();
    await world.server?.stop();
  });
  return world;
}

/** A browser context on the world's server: a person at a device, in Chinese by default. */
export async function newContext(
  world: World,
  opts: Parameters<Browser['newContext']>[0] = DESKTOP,
): Promise<BrowserContext> {
  const ctx = await world.browser.newContext({
    baseURL: world.server.url,
    locale: 'zh-CN',
    ...opts,
  });
  ctx.setDefaultTimeout(15_000);
  return ctx;
}

/** A screenshot of a main screen, named by the screen, for the README's gallery. */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // Let loading spinners and skeletons settle first (best effort: a picture, not an assertion).
  await page
    .locator('.ant-spin-spinning, .ant-skeleton, .ant-table-loading')
    .first()
    .waitFor({ state: 'detached', timeout: 5000 })
    .catch(() => undefined);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Browser errors (CSP violations, uncaught exceptions) fail the test that caused them. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
      errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/**
 * A phone photo of a paper, drawn: a white page with lines of "text" and a red seal, so the
 * materials viewer in the screenshots shows something. Each scan differs, as real papers do.
 */
export function paperPng(label: string): Buffer {
  const w = 300;
  const h = 400;
  const seed = [...label].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 997, 7);
  const raw = Buffer.alloc((w * 3 + 1) * h, 255);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const line = y > 40 && y < 360 && y % 18 < 6 && x > 30 && x < 270 - ((y * seed) % 90);
      const seal =
        (x - 220) ** 2 + (y - 320) ** 2 < 35 ** 2 && (x - 220) ** 2 + (y - 320) ** 2 > 29 ** 2;
      const title = y > 14 && y < 30 && x > 90 && x < 210;
      if (seal) raw.set([200, 30, 30], o);
      else if (line || title) raw.set([60, 60, 70], o);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('tEXt', Buffer.from(`Comment\0${label}:${Math.random()}`)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const scan = (name: string) => ({ name, mimeType: 'image/png', buffer: paperPng(name) });
