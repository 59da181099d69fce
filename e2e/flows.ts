import type { Page } from 'playwright-core';
import { type Server, shot } from './harness.ts';

/** A villager signs in with the code the server "texts" (read from the demo SMS log). */
export async function signInCitizen(
  page: Page,
  server: Server,
  mobile: string,
  goto = true,
): Promise<void> {
  if (goto) await page.goto('/login');
  await page.getByLabel('手机号码', { exact: true }).fill(mobile);
  const since = Date.now();
  await page.getByTestId('send-code').click();
  const code = await server.smsCode(mobile, since);
  await page.getByLabel('短信验证码', { exact: true }).fill(code);
  await page.getByRole('tabpanel').getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export async function signInStaff(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByRole('tab', { name: '工作人员' }).click();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('yimen-demo');
  await page.getByRole('tabpanel').getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Takes a workflow action through its dialog; a refusal fails the test with its words. */
export async function act(page: Page, action: string): Promise<void> {
  await page.getByTestId(`action-${action}`).click();
  await page.getByTestId('confirm-action').click();
  const error = page.getByTestId('action-error');
  try {
    await Promise.race([page.getByRole('dialog').waitFor({ state: 'detached' }), error.waitFor()]);
  } catch (e) {
    await shot(page, `failed-${action}`);
    throw e;
  }
  if (await error.isVisible()) throw new Error(`${action}: ${await error.textContent()}`);
}
