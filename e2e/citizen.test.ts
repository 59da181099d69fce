import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeTestIdNumber } from '@yimen/core';
import type { Page } from 'playwright-core';
import { act, signInCitizen, signInStaff } from './flows.ts';
import {
  DIST,
  newContext,
  PHONE,
  SCREENSHOTS,
  scan,
  shot,
  testWorld,
  watchErrors,
} from './harness.ts';

/**
 * A villager on a 360 px phone: finds the item by pinyin, applies with the generated form and
 * the camera, sees the server's refusals next to the fields, survives a lost answer without a
 * duplicate, and answers the village's one-time correction notice. Then elderly mode and
 * English, remembered on the device.
 */
const world = testWorld();

async function fillBirthForm(page: Page, wifeId: string) {
  await page.getByLabel('女方姓名').fill('张丽');
  await page.getByLabel('女方公民身份号码').fill(wifeId);
  await page.getByLabel('男方姓名').fill('王强');
  await page.getByLabel('男方公民身份号码').fill(makeTestIdNumber('430903', '19860212', '031'));
  await page.getByLabel('联系电话').fill('13800000003');
  await page.getByLabel('结婚登记日期').fill('2015-05-01');
  await page.getByLabel('第二个子女').check();
  await page.getByRole('radiogroup', { name: '是否已怀孕' }).getByLabel('是').check();
  await page.getByLabel('现居住村（社区）').click();
  await page.keyboard.type('jinshan');
  await page.locator('.ant-select-item-option', { hasText: '赫山区沧水铺镇' }).click();
}

describe('a villager on the phone', () => {
  it('applies on a 360 px screen and answers a correction notice', async () => {
    const phoneCtx = await newContext(world, PHONE);
    const phone = await phoneCtx.newPage();
    const errors = watchErrors(phone);
    await phone.goto('/');
    await phone.getByRole('heading', { name: '办事大厅：找事项' }).waitFor();
    await shot(phone, 'citizen-home-360');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no sideways scrolling at 360 px (page is ${width} px wide)`);

    await phone.getByLabel('搜索事项').fill('sydj');
    await phone.getByLabel('搜索事项').press('Enter');
    await phone.getByTestId('item-4309-WJ-QR-001').click();
    await phone.getByRole('heading', { name: '生育登记' }).waitFor();
    await shot(phone, 'citizen-guide-360');
    await phone.getByTestId('apply').click();
    // Not signed in yet: sign-in comes first and returns to the form.
    await phone.waitForURL('**/login?next=*');
    await signInCitizen(phone, world.server, '13800000003', false);
    await phone.waitForURL('**/items/4309-WJ-QR-001/apply');

    // A number that looks right but has the wrong check character: the server says so, by the field.
    const good = makeTestIdNumber('430903', '19890920', '022');
    const bad = good.slice(0, 17) + (good.endsWith('1') ? '2' : '1');
    await fillBirthForm(phone, bad);
    for (const key of [
      'idCard',
      'householdRegister',
      'marriageCertificate',
      'firstChildBirthCertificate',
    ])
      await phone.getByTestId(`material-${key}-file`).setInputFiles(scan(`${key}.png`));
    await phone.getByTestId('material-firstChildBirthCertificate').getByText('.png').waitFor();
    await phone.getByTestId('submit-application').click();
    await phone.getByTestId('material-birthPledge').getByRole('alert').waitFor();
    await phone.getByTestId('material-birthPledge-file').setInputFiles(scan('birthPledge.png'));
    await phone.getByTestId('material-birthPledge').getByText('birthPledge.png').waitFor();
    await phone.getByTestId('submit-application').click();
    const fieldError = phone.locator('.ant-form-item-has-error', { hasText: '女方公民身份号码' });
    await fieldError.locator('.ant-form-item-explain-error').waitFor();
    assert.match((await fieldError.textContent()) ?? '', /校验|check/);
    await shot(phone, 'citizen-field-error-360');

    // The answer to the submit is lost once: the client retries with the same key, and the
    // server answers the retry with the first case — no duplicate.
    const keys: string[] = [];
    let dropped = false;
    await phone.route('**/api/v1/applications', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      const res = await route.fetch();
      if (!dropped && res.status() === 201) {
        dropped = true;
        return route.abort('connectionreset');
      }
      return route.fulfill({ response: res });
    });
    await phone.getByLabel('女方公民身份号码').fill(good);
    await phone.getByTestId('submit-application').click();
    await phone
      .getByTestId('case-status')
      .filter({ hasText: /待(预审|受理)/ })
      .waitFor();
    await phone.unroute('**/api/v1/applications');
    assert.ok(dropped, 'the first answer was lost');
    assert.equal(new Set(keys.slice(-2)).size, 1, 'the retry carried the same Idempotency-Key');
    await shot(phone, 'citizen-submitted-360');
    const applicationNo = (await phone.getByTestId('case-no').textContent()) ?? '';
    await phone.goto('/me/cases');
    await phone.getByTestId('my-case-link').first().waitFor();
    assert.equal(await phone.getByTestId('my-case-link').count(), 1, 'one case, not two');

    // The village window asks for one more paper, in one notice.
    const deskCtx = await newContext(world);
    const desk = await deskCtx.newPage();
    await signInStaff(desk, 'agent.jinshan');
    await desk.goto('/desk?box=to_accept');
    await desk.getByRole('tab', { name: '待受理' }).waitFor();
    await desk.getByRole('link', { name: applicationNo }).click();
    await desk.getByTestId('action-requestCorrection').click();
    await desk.getByRole('button', { name: '再加一项' }).click();
    await desk.getByTestId('missing-item-0').fill('第一个子女的出生医学证明（清晰原件照片）');
    await shot(desk, 'window-correction-request');
    await desk.getByTestId('confirm-action').click();
    await desk.getByTestId('case-status').filter({ hasText: '待补正' }).waitFor();
    const [notice] = await Promise.all([
      deskCtx.waitForEvent('page'),
      desk.getByTestId('print-notice').click(),
    ]);
    await notice.getByRole('heading', { name: '补正材料一次性告知书' }).waitFor();
    await shot(notice, 'correction-notice-print');

    // 张丽 answers on her phone.
    await phone.getByTestId('my-case-link').first().click();
    await phone.getByTestId('correction-missing').getByText('出生医学证明').waitFor();
    await phone
      .getByTestId('correction-answer')
      .getByTestId('material-firstChildBirthCertificate-file')
      .setInputFiles(scan('birth-certificate-clear.png'));
    await phone.getByText('birth-certificate-clear.png').waitFor();
    await shot(phone, 'citizen-correction-answer-360');
    await phone.getByTestId('resubmit').click();
    await phone
      .getByTestId('case-status')
      .filter({ hasText: /待(预审|受理)/ })
      .waitFor();

    await desk.reload();
    await act(desk, 'accept');
    await desk.getByTestId('case-status').filter({ hasText: '已受理' }).waitFor();
    assert.deepEqual(errors, []);
    await Promise.all([phoneCtx.close(), deskCtx.close()]);
  });

  it('turns on elderly mode and English, and the phone remembers both', async () => {
    const ctx = await newContext(world, PHONE);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto('/');
    await page.getByRole('heading', { name: '办事大厅：找事项' }).waitFor();
    const before = await page.getByLabel('搜索事项').evaluate((e) => getComputedStyle(e).fontSize);
    await page.getByTestId('elderly-switch').click();
    await page.reload();
    await page.getByRole('heading', { name: '办事大厅：找事项' }).waitFor();
    assert.ok(await page.evaluate(() => document.body.classList.contains('ym-elderly')));
    const large = await page.getByLabel('搜索事项').evaluate((e) => getComputedStyle(e).fontSize);
    assert.ok(Number.parseFloat(large) > Number.parseFloat(before), `${large} > ${before}`);
    await shot(page, 'elderly-home-360');
    await page.getByRole('button', { name: /生育/ }).click();
    await page.getByTestId('item-4309-WJ-QR-001').click();
    await shot(page, 'elderly-guide-360');

    await page.getByTestId('lang-switch').click();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Services: find what you need' }).waitFor();
    await page.getByRole('button', { name: /Birth/ }).first().waitFor();
    await shot(page, 'english-home-elderly-360');
    await page.getByTestId('elderly-switch').click();
    await shot(page, 'english-home-360');
    // Errors come back in the UI's language, next to the field.
    await page.goto('/login');
    await page.getByLabel('Mobile number', { exact: true }).fill('13800000004');
    await page.getByLabel('SMS code', { exact: true }).fill('000000');
    await page.getByRole('tabpanel').getByRole('button', { name: 'Sign in', exact: true }).click();
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /[A-Za-z]{4,}/);
    assert.doesNotMatch((await alert.textContent()) ?? '', /[\u4e00-\u9fff]{4,}/);
    await shot(page, 'english-sign-in-error-360');
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  it('loads a small first page: the citizen home pulls no staff screens', async () => {
    const ctx = await newContext(world, PHONE);
    const page = await ctx.newPage();
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.goto('/', { waitUntil: 'networkidle' });
    await page.getByTestId('item-4309-WJ-QR-001').waitFor();
    const size = (p: string, ext: string) => {
      const f = path.join(DIST, `${p}${ext}`);
      return fs.existsSync(f) ? fs.statSync(f).size : fs.statSync(path.join(DIST, p)).size;
    };
    const gzip = scripts.reduce((n, p) => n + size(p, '.gz'), 0);
    const br = scripts.reduce((n, p) => n + size(p, '.br'), 0);
    const raw = scripts.reduce((n, p) => n + size(p, ''), 0);
    const figure = {
      page: '/',
      scripts: scripts.length,
      rawKB: kb(raw),
      gzipKB: kb(gzip),
      brotliKB: kb(br),
    };
    console.log(`first load of the citizen home: ${JSON.stringify(figure)}`, scripts);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.writeFileSync(
      path.join(SCREENSHOTS, 'first-load.json'),
      `${JSON.stringify(figure, null, 2)}\n`,
    );
    assert.ok(
      !scripts.some((p) => /Worklist|StaffCase|Window|Counter|Resident/.test(p)),
      scripts.join(),
    );
    assert.ok(gzip < 300 * 1024, `the citizen home loads ${kb(gzip)} KB of gzipped JS`);
    await ctx.close();
  });
});

const kb = (n: number) => Math.round(n / 102.4) / 10;
