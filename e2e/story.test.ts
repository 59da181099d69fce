import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeTestIdNumber } from '@yimen/core';
import type { Page } from 'playwright-core';
import { act, signInCitizen, signInStaff } from './flows.ts';
import { newContext, PHONE, scan, shot, testWorld, watchErrors } from './harness.ts';

/**
 * The article's story, across four browsers: 老王 of 金山村 applies at the village window
 * through the agent (by proxy, with his consent by SMS); 沧水铺镇's approver decides under the
 * township's seal and issues; the agent hands the certificate over after checking his ID;
 * 老王 shows it on his phone and anyone can check it on the public verify page.
 */
const world = testWorld();

describe('the Yiyang story in the browser', () => {
  it('老王 applies at 金山村 through the agent, the township decides, the village hands over', async () => {
    const agentCtx = await newContext(world);
    const agent = await agentCtx.newPage();
    const agentErrors = watchErrors(agent);
    const wangCtx = await newContext(world, PHONE);
    const wang = await wangCtx.newPage();
    const wangErrors = watchErrors(wang);

    // 老王 signs in on his phone first (his SMS codes share one resend timer).
    await signInCitizen(wang, world.server, '13800000001');
    await wang.getByRole('heading', { name: '我的办件' }).waitFor();

    // The agent finds him at the window: by name, then as the ID-card reader would.
    await signInStaff(agent, 'agent.jinshan');
    await agent.getByRole('heading', { name: '综合窗口：找居民' }).waitFor();
    await shot(agent, 'window-find-resident');
    await agent.getByLabel('姓名').fill('王建国');
    await agent.getByRole('button', { name: '查找' }).nth(1).click();
    await agent.getByRole('button', { name: '王建国' }).click();
    await agent.getByTestId('reveal-id').click();
    const idNumber = (await agent.getByTestId('resident-id-number').textContent())?.trim() ?? '';
    assert.match(idNumber, /^\d{17}[\dX]$/, 'the agent sees the full ID number');
    await agent.goto('/window');
    await agent.getByTestId('id-lookup').pressSequentially(idNumber);
    await agent.getByTestId('id-lookup').press('Enter');
    await agent.getByRole('heading', { name: '王建国' }).waitFor();
    await agent.getByText('王强').first().waitFor();
    await shot(agent, 'window-resident-household');

    // A birth registration, by proxy with 老王's consent code.
    await agent.locator('#item-picker').click();
    await agent.keyboard.type('sydj');
    await agent.locator('.ant-select-item-option', { hasText: '4309-WJ-QR-001' }).click();
    await agent.getByRole('heading', { name: '生育登记' }).waitFor();
    await agent.getByLabel('代办', { exact: true }).check();
    const since = Date.now();
    await agent.getByTestId('send-consent').click();
    const consent = await world.server.smsCode('13800000001', since);
    await agent.getByTestId('consent-code').fill(consent);
    await fillBirthForm(agent);
    for (const key of ['idCard', 'householdRegister', 'marriageCertificate', 'birthPledge'])
      await agent.getByTestId(`material-${key}-file`).setInputFiles(scan(`${key}.png`));
    await agent.getByTestId('material-birthPledge').getByText('birthPledge.png').waitFor();
    await shot(agent, 'window-counter-application');
    await agent.getByTestId('submit-application').click();
    await agent.getByTestId('case-status').filter({ hasText: '待受理' }).waitFor();
    const applicationNo = (await agent.getByTestId('case-no').textContent()) ?? '';
    await act(agent, 'accept');
    await agent.getByTestId('case-status').filter({ hasText: '已受理' }).waitFor();
    await agent.getByTestId('due-light').waitFor();
    await shot(agent, 'case-accepted');

    // The township's approver: the worklist with its lights, the case, approve and issue.
    const apprCtx = await newContext(world);
    const appr = await apprCtx.newPage();
    const apprErrors = watchErrors(appr);
    await signInStaff(appr, 'approver.cangshuipu');
    await appr.getByRole('tab', { name: '待决定' }).waitFor();
    const row = appr.getByRole('link', { name: applicationNo });
    await row.waitFor();
    await shot(appr, 'desk-worklist');
    await row.click();
    await appr.getByTestId('materials-viewer').locator('img').first().waitFor();
    await shot(appr, 'desk-case-detail');
    await act(appr, 'approve');
    await appr.getByTestId('case-status').filter({ hasText: '准予' }).waitFor();
    await act(appr, 'issue');
    const certNo = (await appr.getByTestId('certificate-no').textContent()) ?? '';
    assert.match(certNo, /^430903105-\d{4}-\d{6}$/);

    // Back at the village: hand over with the ID check; a wrong number is refused in words.
    await agent.reload();
    await agent.getByTestId('action-handOver').click();
    const wrong = idNumber.slice(0, 17) + (idNumber.endsWith('0') ? '1' : '0');
    await agent.getByTestId('recipient-id').fill(wrong);
    await agent.getByTestId('confirm-action').click();
    await agent.locator('.ant-form-item-explain-error').first().waitFor();
    await agent.getByTestId('recipient-id').fill(idNumber);
    await shot(agent, 'window-hand-over');
    await agent.getByTestId('confirm-action').click();
    await agent.getByTestId('case-status').filter({ hasText: '办结' }).waitFor();

    // 老王 follows it on his phone, shows the certificate and its QR code, and rates.
    await wang.goto('/me/cases');
    await wang.getByTestId('my-case-link').first().click();
    await wang.getByTestId('timeline').getByText('窗口/村级领取').waitFor();
    await shot(wang, 'citizen-case-timeline');
    await wang.getByTestId('open-certificate').click();
    await wang.getByTestId('cert-qr').waitFor();
    assert.equal(await wang.getByTestId('cert-no').textContent(), certNo);
    await shot(wang, 'citizen-certificate-qr');
    await wang.getByTestId('verify-link').click();
    await wang.waitForURL(`**/verify/${certNo}`);
    await wang.getByText('真实有效').first().waitFor();
    await shot(wang, 'public-verify-page');
    await wang.goBack();
    await wang.goBack();
    await wang.getByLabel('非常满意').check();
    await wang.getByTestId('rate').click();
    await wang.getByTestId('rating-done').waitFor();

    assert.deepEqual([...agentErrors, ...apprErrors, ...wangErrors], []);
    await Promise.all([agentCtx.close(), apprCtx.close(), wangCtx.close()]);
  });
});

async function fillBirthForm(page: Page) {
  await page.getByLabel('女方姓名').fill('张丽');
  await page.getByLabel('女方公民身份号码').fill(makeTestIdNumber('430903', '19890920', '022'));
  await page.getByLabel('男方姓名').fill('王强');
  await page.getByLabel('男方公民身份号码').fill(makeTestIdNumber('430903', '19860212', '031'));
  await page.getByLabel('结婚登记日期').fill('2015-05-01');
  await page.getByLabel('第一个子女').check();
  await page.getByRole('radiogroup', { name: '是否已怀孕' }).getByLabel('否').check();
}
