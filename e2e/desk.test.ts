import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { birthRegistrationAnswers, staffCall } from './flows.ts';
import { newContext, paperPng, shot, testWorld, watchErrors } from './harness.ts';

/**
 * The township desk with a full box: two approved cases (set up through the API, as another
 * station would have) are issued in one batch, each under the seal, none twice.
 */
const world = testWorld();

const apiAs = (username: string) => staffCall(world.server, username);

describe('the township desk', () => {
  it('issues approved cases in one batch, signed in with the keyboard only', async () => {
    const agent = await apiAs('agent.jinshan');
    const approver = await apiAs('approver.cangshuipu');
    const found = await agent<{ items: { id: string; name: string }[] }>(
      'GET',
      '/residents?q=王建国',
    );
    const applicantId = found.items[0]?.id ?? '';
    for (const order of ['1', '2']) {
      const materials = [];
      for (const key of ['idCard', 'householdRegister', 'marriageCertificate', 'birthPledge']) {
        const f = await agent<{ sha256: string }>(
          'POST',
          '/files',
          paperPng(`${key}-${order}`),
          'image/png',
        );
        materials.push({ key, sha256: f.sha256 });
      }
      const c = await agent<{ id: string; version: number }>('POST', '/applications', {
        itemCode: '4309-WJ-QR-001',
        channel: 'counter',
        applicantId,
        formData: birthRegistrationAnswers(order),
        materials,
      });
      const accepted = await agent<{ version: number }>(
        'POST',
        `/applications/${c.id}/actions/accept`,
        { version: c.version },
      );
      await approver('POST', `/applications/${c.id}/actions/approve`, {
        version: accepted.version,
      });
    }

    const ctx = await newContext(world);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto('/login');
    await page.getByRole('tab', { name: '工作人员' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('用户名').focus();
    await page.keyboard.type('approver.cangshuipu');
    await page.keyboard.press('Tab');
    await page.keyboard.type('yimen-demo');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/desk');
    await page.getByRole('tab', { name: '待制证' }).click();
    await page
      .getByRole('link', { name: /^430903105237-/ })
      .nth(1)
      .waitFor();
    await page.getByRole('checkbox').first().check();
    await shot(page, 'desk-batch-issue');
    await page.getByTestId('batch-action').click();
    await page.getByText('完成 2 件，未成功 0 件').waitFor();
    await page.getByRole('tab', { name: '办理中' }).click();
    await page.getByRole('tab', { name: '待制证' }).click();
    await page.locator('.ant-empty').waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  });
});
