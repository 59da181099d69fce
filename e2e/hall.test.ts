import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { bearerRequest, birthRegistrationAnswers, signInStaff } from './flows.ts';
import { newContext, paperPng, shot, testWorld, watchErrors } from './harness.ts';

/**
 * A morning at the 沧水铺镇 hall: numbers taken at the kiosk (normal and priority), called at
 * two windows by two clerks in their own browsers, one ticket transferred to 社保医保 and
 * called there, finished with the application it produced, and the hall display on the
 * wall following every call without a reload (and saying so when its connection drops).
 */
const HALL = '430903105';
const world = testWorld();

const apiAs = (username: string) =>
  bearerRequest(world.server, { username, password: 'yimen-demo' });

/** The application a visit produces: 金山村 applies for 王建国, as in the desk story. */
async function anApplication(): Promise<string> {
  const agent = await apiAs('agent.jinshan');
  const found = await agent<{ items: { id: string }[] }>('GET', '/residents?q=王建国');
  const materials = [];
  for (const key of ['idCard', 'householdRegister', 'marriageCertificate', 'birthPledge']) {
    const f = await agent<{ sha256: string }>(
      'POST',
      '/files',
      paperPng(`hall-${key}`),
      'image/png',
    );
    materials.push({ key, sha256: f.data.sha256 });
  }
  const c = await agent<{ applicationNo: string }>('POST', '/applications', {
    itemCode: '4309-WJ-QR-001',
    channel: 'counter',
    applicantId: found.data.items[0]?.id,
    formData: birthRegistrationAnswers('2'),
    materials,
  });
  assert.equal(c.status, 201, JSON.stringify(c.data));
  return c.data.applicationNo;
}

async function takeNumber(kiosk: Page, button: string): Promise<string> {
  await kiosk.getByTestId(button).click();
  const number = (await kiosk.getByTestId('kiosk-ticket-number').textContent()) ?? '';
  // The ticket zooms in: the picture is taken once it stands still.
  await kiosk.waitForFunction(() => !document.querySelector('.ant-zoom-appear, .ant-zoom-enter'));
  return number;
}

async function closeTicket(kiosk: Page) {
  await kiosk.getByTestId('kiosk-done').click();
  await kiosk.getByTestId('kiosk-ticket').waitFor({ state: 'detached' });
}

/** Sits at a window of the console and waits for the console to show it. */
async function sitAt(page: Page, window: string) {
  await page.goto('/hall');
  await page.getByTestId(`sit-${window}`).click();
  await page.getByTestId('console-window').filter({ hasText: window }).waitFor();
}

async function callNext(page: Page, expected: string) {
  await page.getByTestId('call-next').click();
  await page.getByTestId('current-number').filter({ hasText: expected }).waitFor();
}

describe('a morning at the hall', () => {
  it('issues, calls at two windows, transfers, finishes, and the display follows live', async () => {
    const admin = await apiAs('admin.heshan');
    const made = await admin('POST', '/users', {
      username: 'clerk2.cangshuipu',
      displayName: '沧水铺镇窗口二',
      password: 'yimen-demo',
      servicePointCode: HALL,
      roles: ['township_clerk'],
    });
    assert.equal(made.status, 201, JSON.stringify(made.data));
    const applicationNo = await anApplication();

    // The display on the wall: public, no sign-in.
    const wall = await newContext(world, { viewport: { width: 1280, height: 720 } });
    const display = await wall.newPage();
    const displayErrors = watchErrors(display);
    await display.goto(`/hall/display/${HALL}`);
    await display.getByTestId('display-status').filter({ hasText: '实时' }).waitFor();

    // The kiosk, opened by the front desk on the hall tablet.
    const tablet = await newContext(world);
    const kiosk = await tablet.newPage();
    const kioskErrors = watchErrors(kiosk);
    await signInStaff(kiosk, 'clerk.cangshuipu');
    await kiosk.goto(`/hall/kiosk/${HALL}`);
    await kiosk.getByTestId('kiosk-take-A').waitFor();
    await shot(kiosk, 'hall-kiosk');
    assert.equal(await takeNumber(kiosk, 'kiosk-take-A'), 'A001');
    await shot(kiosk, 'hall-kiosk-ticket');
    await closeTicket(kiosk);
    assert.equal(await takeNumber(kiosk, 'kiosk-take-A'), 'A002');
    await closeTicket(kiosk);
    assert.equal(await takeNumber(kiosk, 'kiosk-take-A-elderly'), 'A003');
    await closeTicket(kiosk);
    assert.equal(await takeNumber(kiosk, 'kiosk-take-B'), 'B001');
    await closeTicket(kiosk);
    await display.getByTestId('display-waiting').filter({ hasText: '3 人等候' }).waitFor();

    // Two clerks, two browsers, two windows.
    const one = await (await newContext(world)).newPage();
    const oneErrors = watchErrors(one);
    await signInStaff(one, 'clerk.cangshuipu');
    await sitAt(one, '1号窗口');
    const two = await (await newContext(world)).newPage();
    const twoErrors = watchErrors(two);
    await signInStaff(two, 'clerk2.cangshuipu');
    await sitAt(two, '3号窗口');

    await callNext(one, 'A001');
    await display.getByTestId('display-now-number').filter({ hasText: 'A001' }).waitFor();
    await display
      .getByTestId('display-window')
      .filter({ hasText: '1号窗口' })
      .filter({ hasText: 'A001' })
      .waitFor();
    await shot(display, 'hall-display');

    // A001 came to the wrong window: over to 社保医保, keeping the number.
    await one.getByTestId('transfer').click();
    await one.getByRole('combobox', { name: '转到业务' }).click();
    await one.locator('.ant-select-item-option').filter({ hasText: '社保医保' }).click();
    await shot(one, 'hall-transfer');
    await one.getByTestId('confirm-transfer').click();
    await one.getByText('当前没有号码').waitFor();

    // At 3号窗口 it is called before B001: it has waited since it was first taken.
    await callNext(two, 'A001');
    await display
      .getByTestId('display-window')
      .filter({ hasText: '3号窗口' })
      .filter({ hasText: 'A001' })
      .waitFor();
    await two.getByTestId('start').click();
    await two.getByTestId('ticket-status').filter({ hasText: '办理中' }).waitFor();
    await two.getByTestId('finish').click();
    await two.getByTestId('finish-application').fill(applicationNo);
    await two.getByTestId('confirm-finish').click();
    await two.getByRole('cell', { name: applicationNo }).waitFor();

    // Window 1 goes on: A002, then the elderly villager's A003 before any later number.
    await callNext(one, 'A002');
    await one.getByTestId('start').click();
    await one.getByTestId('ticket-status').filter({ hasText: '办理中' }).waitFor();
    await one.getByTestId('finish').click();
    await one.getByTestId('confirm-finish').click();
    await one.getByText('当前没有号码').waitFor();
    await callNext(one, 'A003');
    await one.getByText('老年人优先').first().waitFor();
    // The buttons fade in as they become usable: the picture waits for them (not an assertion).
    await one.waitForFunction(
      () => !document.querySelector('[data-testid="recall"]')?.hasAttribute('disabled'),
    );
    await one.waitForTimeout(400);
    await shot(one, 'hall-console');
    await display.getByTestId('display-now-number').filter({ hasText: 'A003' }).waitFor();

    // A number the server does not know is refused next to the field.
    await callNext(two, 'B001');
    await two.getByTestId('recall').click();
    await display.getByTestId('display-now').filter({ hasText: '重呼' }).waitFor();
    await two.getByTestId('start').click();
    await two.getByTestId('ticket-status').filter({ hasText: '办理中' }).waitFor();
    await two.getByTestId('finish').click();
    await two.getByTestId('finish-application').fill('430903105-20990101-0001');
    await two.getByTestId('confirm-finish').click();
    await two.getByText('没有找到这个办件编号').waitFor();
    await shot(two, 'hall-finish-error');
    await two.getByTestId('finish-application').fill('');
    await two.getByTestId('confirm-finish').click();
    await two.getByText('当前没有号码').waitFor();

    // A finished ticket cannot be transferred: a clear 409.
    const clerk = await apiAs('clerk.cangshuipu');
    const list = await clerk<{ items: { id: string; number: string; status: string }[] }>(
      'GET',
      `/hall/service-points/${HALL}/tickets?status=done`,
    );
    const done = list.data.items.find((t) => t.number === 'A001');
    assert.ok(done);
    const refused = await clerk<{ error: { code: string; message: string } }>(
      'POST',
      `/hall/tickets/${done.id}/transfer`,
      { groupId: (await groupId(clerk, 'A')) ?? '' },
    );
    assert.equal(refused.status, 409);
    assert.equal(refused.data.error.code, 'QUEUE_TICKET_STATE');
    assert.match(refused.data.error.message, /A001.*已办结.*不能转移/);

    // The wall loses its connection, says so, and comes back by itself.
    await wall.setOffline(true);
    await display.getByTestId('display-status').filter({ hasText: '正在重连' }).waitFor();
    await shot(display, 'hall-display-reconnecting');
    await wall.setOffline(false);
    await display
      .getByTestId('display-status')
      .filter({ hasText: '实时' })
      .waitFor({ timeout: 30_000 });
    assert.equal(await takeNumber(kiosk, 'kiosk-take-A'), 'A004');
    await closeTicket(kiosk);
    await one.getByTestId('skip').click();
    await one.getByText('当前没有号码').waitFor();
    await callNext(one, 'A004');
    await display.getByTestId('display-now-number').filter({ hasText: 'A004' }).waitFor();

    // The day's figures and the hall's setup.
    await one.goto('/hall/figures');
    await one.getByRole('cell', { name: '1号窗口' }).waitFor();
    await shot(one, 'hall-figures');
    const setup = await (await newContext(world)).newPage();
    const setupErrors = watchErrors(setup);
    await signInStaff(setup, 'admin.heshan');
    await setup.goto(`/hall/setup?servicePoint=${HALL}`);
    await setup.getByRole('cell', { name: '社保医保', exact: true }).waitFor();
    await shot(setup, 'hall-setup');

    assert.deepEqual(
      [
        ...kioskErrors,
        ...oneErrors,
        ...twoErrors,
        ...setupErrors,
        ...displayErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED|EventSource/.test(e)),
      ],
      [],
    );
  });
});

async function groupId(
  as: Awaited<ReturnType<typeof apiAs>>,
  prefix: string,
): Promise<string | undefined> {
  const p = await as<{ groups: { id: string; prefix: string }[] }>(
    'GET',
    `/hall/service-points/${HALL}`,
  );
  return p.data.groups.find((g) => g.prefix === prefix)?.id;
}
