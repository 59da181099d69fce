import { makeTestIdNumber } from '@yimen/core';
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

/** An answer of the API as it came: the status and the parsed body. */
export interface Answer<T> {
  status: number;
  data: T;
}
export type Request = <T>(
  method: string,
  path: string,
  body?: unknown,
  type?: string,
) => Promise<Answer<T>>;
/** The same, failing the test on any status outside 2xx and giving the body. */
export type Call = <T>(method: string, path: string, body?: unknown, type?: string) => Promise<T>;

/**
 * An API client with a bearer token, set up the way the tests' other side of a story would
 * act (another station, an administrator): `login` is staff credentials on /auth/login or
 * a citizen's mobile and code on /auth/sms-login. JSON bodies, or raw bytes for an upload
 * (`type` its media type); every request carries a fresh Idempotency-Key.
 */
export async function bearerRequest(
  server: Server,
  login: Record<string, unknown>,
  loginPath = '/auth/login',
): Promise<Request> {
  const res = await fetch(`${server.url}/api/v1${loginPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...login, tokenType: 'bearer' }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return async <T>(method: string, path: string, body?: unknown, type = 'application/json') => {
    const r = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'idempotency-key': `e2e-${crypto.randomUUID()}`,
        ...(body ? { 'content-type': type } : {}),
      },
      body:
        body === undefined
          ? undefined
          : type === 'application/json'
            ? JSON.stringify(body)
            : new Uint8Array(body as Buffer),
    });
    const text = await r.text();
    return { status: r.status, data: (text ? JSON.parse(text) : null) as T };
  };
}

export async function bearerCall(
  server: Server,
  login: Record<string, unknown>,
  loginPath = '/auth/login',
): Promise<Call> {
  const request = await bearerRequest(server, login, loginPath);
  return async <T>(method: string, path: string, body?: unknown, type?: string) => {
    const r = await request<T>(method, path, body, type);
    if (r.status < 200 || r.status > 299)
      throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.data)}`);
    return r.data;
  };
}

/** A demo staff account (password yimen-demo). */
export const staffCall = (server: Server, username: string) =>
  bearerCall(server, { username, password: 'yimen-demo' });

/** The answers of 王建国's birth registration (4309-WJ-QR-001), as 金山村's agent files it. */
export const birthRegistrationAnswers = (childOrder: string) => ({
  wifeName: '张丽',
  wifeIdNumber: makeTestIdNumber('430903', '19890920', '022'),
  husbandName: '王强',
  husbandIdNumber: makeTestIdNumber('430903', '19860212', '031'),
  mobile: '13800000001',
  marriageDate: '2015-05-01',
  childOrder,
  pregnant: false,
  residenceVillage: '430903105237',
});
