import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { bearerCall, type Call, signInStaff } from './flows.ts';
import { newContext, paperPng, shot, testWorld, watchErrors } from './harness.ts';

/**
 * The leader's figures: 益阳市, a click on 桃江县's bar, 修山镇 from the table, the back
 * button, a CSV export, charts drawn, every figure on screen the API's own; and the leader
 * reads figures only, never a case or a villager.
 */
const world = testWorld();

const bearerFor = (login: Record<string, unknown>, path?: string) =>
  bearerCall(world.server, login, path);
const staff = (username: string) => bearerFor({ username, password: 'yimen-demo' });

interface Place {
  agent: Call;
  approver: Call;
  residentId: string;
  name: string;
  idNumber: string;
  village: string;
}

async function place(agentName: string, approverName: string, name: string, village: string) {
  const agent = await staff(agentName);
  const approver = await staff(approverName);
  const found = await agent<{ items: { id: string; name: string }[] }>(
    'GET',
    `/residents?q=${encodeURIComponent(name)}&within=${village}`,
  );
  const residentId = found.items.find((r) => r.name === name)?.id ?? '';
  // Staff of the village may read the full number (an audited read), as the window does.
  const detail = await agent<{ idNumber: string }>('GET', `/residents/${residentId}`);
  return { agent, approver, residentId, name, idNumber: detail.idNumber, village };
}

/** A 高龄津贴 case at the village station, taken as far as `until`. */
async function makeCase(p: Place, until: 'submitted' | 'running' | 'concluded') {
  const materials = [];
  for (const key of ['idCard', 'householdRegister', 'payoutAccount']) {
    const f = await p.agent<{ sha256: string }>('POST', '/files', paperPng(key), 'image/png');
    materials.push({ key, sha256: f.sha256 });
  }
  let c = await p.agent<{ id: string; version: number }>('POST', '/applications', {
    itemCode: '4309-MZ-JF-005',
    channel: 'counter',
    applicantId: p.residentId,
    formData: {
      applicantName: p.name,
      idNumber: p.idNumber,
      residenceVillage: p.village,
      ageGroup: '80-89',
      payoutAccountType: 'one_card',
      contactName: p.name,
      mobile: '13800000005',
    },
    materials,
  });
  const act = async (who: Call, action: string, body: Record<string, unknown> = {}) => {
    c = await who('POST', `/applications/${c.id}/actions/${action}`, {
      version: c.version,
      ...body,
    });
  };
  if (until === 'submitted') return c.id;
  await act(p.agent, 'accept');
  if (until === 'running') return c.id;
  await act(p.approver, 'approve');
  await act(p.approver, 'issue');
  await act(p.agent, 'handOver', { recipient: { name: p.name, idNumber: p.idNumber } });
  return c.id;
}

async function rateAsLaoWang(ids: string[], grades: number[]) {
  const mobile = '13800000001';
  const since = Date.now();
  const sent = await fetch(`${world.server.url}/api/v1/auth/sms-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mobile }),
  });
  assert.equal(sent.status, 202);
  const code = await world.server.smsCode(mobile, since);
  const citizen = await bearerFor({ mobile, code }, '/auth/sms-login');
  for (const [i, id] of ids.entries())
    await citizen('POST', `/applications/${id}/rating`, { grade: grades[i] });
}

interface Overview {
  region: { code: string; name: string };
  totals: { submitted: number; concluded: number };
  open: { running: number; overdue: number };
  followUps: { open: number; overdue: number };
  byChild: { code: string; name: string }[];
}

/** The page's KPI cards hold exactly the API's figures for the region on screen. */
async function assertKpisAgree(page: Page, region: string): Promise<Overview> {
  const res = await page.request.get(`/api/v1/stats/overview?region=${region}`);
  assert.equal(res.status(), 200);
  const o = (await res.json()) as Overview;
  const kpi = async (id: string) =>
    (
      (await page.getByTestId(`kpi-${id}`).locator('.ant-statistic-content').textContent()) ?? ''
    ).replace(/[,\s]/g, '');
  assert.equal(await kpi('submitted'), String(o.totals.submitted), `${region} submitted`);
  assert.equal(await kpi('concluded'), String(o.totals.concluded), `${region} concluded`);
  assert.equal(await kpi('running'), String(o.open.running), `${region} running`);
  assert.equal(await kpi('overdue'), String(o.open.overdue), `${region} overdue`);
  assert.equal(await kpi('followUpsOpen'), String(o.followUps.open), `${region} follow-ups`);
  return o;
}

const breadcrumb = async (page: Page) =>
  ((await page.getByTestId('leader-breadcrumb').textContent()) ?? '').replace(/\s+/g, '');

/** Painted pixels of a chart's canvas: a chart that drew nothing has none. */
async function paintedPixels(page: Page, testId: string): Promise<number> {
  const canvas = page.getByTestId(testId).locator('canvas').first();
  await canvas.waitFor();
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; data && i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
}

/**
 * Whether the charts' font stack draws Chinese: two different characters drawn on a canvas
 * differ, where a missing font draws the same empty box for both.
 */
async function drawsChinese(page: Page): Promise<boolean> {
  // No named functions inside: the test runner's compiler would wrap them in a helper the
  // page does not have.
  return page.evaluate(() => {
    const [a, b] = ['益', '阳'].map((ch) => {
      const c = document.createElement('canvas');
      c.width = 40;
      c.height = 40;
      const g = c.getContext('2d')!;
      g.font =
        '32px "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';
      g.fillText(ch, 2, 34);
      return c.toDataURL();
    });
    return a !== b;
  });
}

/** Clicks the middle of a category's band in the drill-down bar chart. */
async function clickBar(page: Page, code: string) {
  const box = page.getByTestId('children-chart-box');
  const codes = JSON.parse((await box.getAttribute('data-categories')) ?? '[]') as string[];
  const [top, bottom] = ((await box.getAttribute('data-grid')) ?? '0,0').split(',').map(Number);
  const i = codes.indexOf(code);
  assert.ok(i >= 0, `${code} has a bar`);
  const b = (await page.getByTestId('chart-children').boundingBox())!;
  const band = (b.height - top! - bottom!) / codes.length;
  await page.mouse.click(b.x + b.width * 0.6, b.y + top! + band * (i + 0.5));
}

describe('the leader’s figures', () => {
  it('drill from 益阳市 to 桃江县 to 修山镇, back again, export CSV; figures only', async () => {
    const xiushan = await place('agent.sanguanqiao', 'approver.xiushan', '刘卫东', '430922101220');
    const jinshan = await place('agent.jinshan', 'approver.cangshuipu', '王建国', '430903105237');
    await makeCase(xiushan, 'concluded');
    const running = await makeCase(xiushan, 'running');
    await makeCase(xiushan, 'submitted');
    const rated = [await makeCase(jinshan, 'concluded'), await makeCase(jinshan, 'concluded')];
    await makeCase(jinshan, 'running');
    await rateAsLaoWang(rated, [5, 2]);

    const ctx = await newContext(world);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signInStaff(page, 'leader');
    await page.waitForURL('**/leader');
    await page.getByTestId('leader-region').getByText('益阳市数据看板').waitFor();
    const city = await assertKpisAgree(page, '4309');
    assert.equal(city.totals.submitted, 6);
    assert.deepEqual(city.followUps, { open: 1, overdue: 0 }, 'the bad rating is followed up');
    for (const chart of ['chart-children', 'chart-trend', 'chart-items', 'chart-ratings'])
      assert.ok((await paintedPixels(page, chart)) > 500, `${chart} is drawn`);
    assert.ok(await drawsChinese(page), 'the charts’ font draws Chinese glyphs, not boxes');
    // The figures are in tables too, for those who do not read charts.
    await page.getByTestId('table-children').getByRole('link', { name: '桃江县' }).waitFor();
    await page.getByTestId('table-ratings').getByText('非常满意').waitFor();
    // The hall queue may not answer yet: either its section or its quiet line is there.
    await page.getByTestId('section-queue').waitFor();
    await shot(page, 'leader-city');

    // 桃江县: a click on its bar.
    await clickBar(page, '430922');
    await page.waitForURL(/[?&]region=430922(&|$)/);
    await page.getByTestId('leader-region').getByText('桃江县数据看板').waitFor();
    assert.equal(await breadcrumb(page), '益阳市/桃江县');
    const county = await assertKpisAgree(page, '430922');
    assert.equal(county.totals.submitted, 3);
    assert.deepEqual(county.open, { running: 1, overdue: 0 });
    await shot(page, 'leader-county');

    // 修山镇: its name in the table under the chart.
    await page.getByTestId('drill-430922101').click();
    await page.waitForURL(/[?&]region=430922101(&|$)/);
    await page.getByTestId('leader-region').getByText('修山镇数据看板').waitFor();
    assert.equal(await breadcrumb(page), '益阳市/桃江县/修山镇');
    const township = await assertKpisAgree(page, '430922101');
    assert.equal(township.totals.submitted, 3);
    await page.getByText('修山镇已是最低一级').waitFor();
    assert.ok((await paintedPixels(page, 'chart-trend')) > 500);
    await shot(page, 'leader-township');

    // The back button walks the drill-down back up.
    await page.goBack();
    await page.getByTestId('leader-region').getByText('桃江县数据看板').waitFor();
    await assertKpisAgree(page, '430922');

    // CSV of what is on screen, fetched with the session cookie.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').split('\n');
    assert.match(lines[0]!, /^section,code,name,submitted,accepted,concluded/);
    assert.match(lines[1]!, /^total,430922,桃江县,3,/);
    assert.ok(
      lines.some((l) => l.startsWith('region,430922101,修山镇,3,')),
      csv,
    );
    assert.match(download.suggestedFilename(), /^yimen-430922-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/);

    await page.goBack();
    await page.getByTestId('leader-region').getByText('益阳市数据看板').waitFor();
    assert.equal(new URL(page.url()).search, '');

    // In the large-type mode the tables carry every figure.
    await page.getByTestId('elderly-switch').click();
    await page.getByTestId('table-children').getByRole('link', { name: '赫山区' }).waitFor();
    await shot(page, 'leader-elderly');
    await page.getByTestId('elderly-switch').click();

    // Figures only: the leader opens no case and no villager, on the API or on screen.
    for (const path of [
      `/api/v1/applications/${running}`,
      `/api/v1/residents/${xiushan.residentId}`,
    ])
      assert.ok(
        [403, 404].includes((await page.request.get(path)).status()),
        `${path} is closed to the leader`,
      );
    await page.goto(`/desk/cases/${running}`);
    await page.locator('.ant-alert-error, .ant-result').first().waitFor();
    const body = (await page.locator('body').textContent()) ?? '';
    assert.ok(!body.includes('刘卫东') && !body.includes(xiushan.idNumber), 'no personal data');

    assert.deepEqual(errors, []);
    await ctx.close();
  });
});
