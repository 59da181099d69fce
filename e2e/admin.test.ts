import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  type CatalogItemFile,
  formFieldSchema,
  itemContentSchema,
  makeTestIdNumber,
} from '@yimen/core';
import type { Page } from 'playwright-core';
import {
  FIELD_TYPES,
  normalizeContent,
  normalizeField,
} from '../apps/web/src/features/admin/catalog/content-model.ts';
import { bearerRequest, signInCitizen, signInStaff } from './flows.ts';
import { newContext, PHONE, ROOT, scan, shot, testWorld, watchErrors } from './harness.ts';

/**
 * The administrators' console: the city's admin opens an item 老王 can apply for, makes a new
 * draft, adds a form field with the form-field editor and sees it in the live preview, runs
 * the consistency check (first with a broken time limit, listed with its place), publishes;
 * then 老王 applies under the new version on his phone and the village desk sees his answer.
 * A county admin sees only the county's staff; staff who are not admins see "no permission".
 */
const ITEM = '4309-CL-GG-001'; // 残疾人辅助器具适配申请: city-wide, online, accepted at the village
const NOTE_LABEL = '联系人电话备注';
const NOTE_VALUE = '白天请打儿子王强的电话';
const WANG_ID = makeTestIdNumber('430903', '19580316', '003');

function catalogItem(code: string): CatalogItemFile {
  const dir = path.join(ROOT, 'data', 'catalog');
  for (const f of fs.readdirSync(dir, { recursive: true }).map(String)) {
    if (!f.endsWith('.json')) continue;
    const items = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CatalogItemFile[];
    const hit = items.find((i) => i.code === code);
    if (hit) return hit;
  }
  throw new Error(`no item ${code} in data/catalog`);
}

describe('the form-field editor’s output is exactly the core form schema', () => {
  it('every field type, even one switched from another type, parses with the strict schema', () => {
    for (const type of FIELD_TYPES) {
      // What the editor holds after a "select" was switched to this type: stale keys included.
      const draft = {
        key: 'contactNote',
        type,
        label: { zh: ` ${NOTE_LABEL} `, en: 'Contact note' },
        help: { zh: '', en: '' },
        required: true,
        options: [{ value: 'a', label: { zh: '甲', en: 'A' } }],
        multiple: false,
        maxLength: 50,
        min: 1,
        max: 9,
        level: 'township',
      };
      const field = normalizeField(draft as never);
      const parsed = formFieldSchema.safeParse(field);
      assert.ok(parsed.success, `${type}: ${JSON.stringify(parsed.error?.issues)}`);
      assert.equal(field.label.zh, NOTE_LABEL, 'labels are trimmed');
      assert.equal('help' in field, false, 'an empty help is left out');
      assert.equal('options' in field, type === 'select', `${type}: options only on a choice`);
    }
  });

  it('an item’s content comes back from the editor unchanged', () => {
    for (const code of [ITEM, '4309-WJ-QR-001', '430903-NY-JF-005']) {
      const original = itemContentSchema.parse(catalogItem(code).content);
      // The editor's store holds JSON; antd adds undefined for fields it shows but are unset.
      const store = {
        ...JSON.parse(JSON.stringify(original)),
        workflow: original.workflow ?? { reviewRequired: undefined },
        certificateTemplate: original.certificateTemplate ?? { title: {}, fields: undefined },
        summary: original.summary ?? { zh: undefined, en: undefined },
      };
      const back = itemContentSchema.parse(normalizeContent(store));
      assert.deepEqual(back, original, code);
    }
  });
});

const world = testWorld();

async function applyAsWang(wang: Page): Promise<string> {
  await wang.goto(`/items/${ITEM}`);
  await wang.getByTestId('apply').click();
  await wang.waitForURL(`**/items/${ITEM}/apply`);
  await wang.getByLabel(NOTE_LABEL).waitFor();
  await wang.getByLabel('申请人姓名').fill('王建国');
  await wang.getByLabel('公民身份号码').fill(WANG_ID);
  await wang.getByLabel('联系电话').fill('13800000001');
  await wang.getByLabel('户籍所在村（社区）').click();
  await wang.keyboard.type('jinshan');
  await wang.locator('.ant-select-item-option', { hasText: '赫山区沧水铺镇' }).click();
  // A choice of several: picked from the list, and checked it shows before going on.
  const device = wang.locator('.ant-form-item', { hasText: '申请器具' });
  const chosen = device.locator('.ant-select-selection-item', { hasText: '轮椅' });
  for (let i = 0; i < 3 && !(await chosen.count()); i++) {
    await wang.getByLabel('申请器具').click();
    await wang.locator('.ant-select-item-option', { hasText: '轮椅' }).click();
    await chosen.waitFor({ timeout: 3000 }).catch(() => undefined);
  }
  await chosen.waitFor();
  await wang.keyboard.press('Escape');
  await wang.getByLabel('残疾人证号').fill('43090319580316031');
  await wang.getByLabel(NOTE_LABEL).fill(NOTE_VALUE);
  for (const key of ['idCard', 'disabilityCertificate']) {
    await wang.getByTestId(`material-${key}-file`).setInputFiles(scan(`${key}.png`));
    await wang.getByTestId(`material-${key}`).getByText(`${key}.png`).waitFor();
  }
  await shot(wang, 'admin-villager-new-field-360');
  await wang.getByTestId('submit-application').click();
  await wang.getByTestId('case-status').waitFor();
  // The villager's own page shows the answers as chosen: the device by its name, not its code.
  const answers = wang.getByTestId('form-answers');
  await answers
    .locator('.ant-descriptions-row', { hasText: '申请器具' })
    .getByText('轮椅')
    .waitFor();
  assert.ok(!((await answers.textContent()) ?? '').includes('wheelchair'));
  const id = /\/me\/cases\/([^/?]+)/.exec(wang.url())?.[1];
  assert.ok(id, `on the case page: ${wang.url()}`);
  return id;
}

describe('the administrators’ console', () => {
  it('an admin publishes a new version with a form field; 老王 applies under it', async () => {
    const adminCtx = await newContext(world);
    const admin = await adminCtx.newPage();
    const adminErrors = watchErrors(admin);
    await signInStaff(admin, 'admin');
    await admin.waitForURL('**/admin');
    await admin.getByTestId('home-catalog').waitFor();
    await shot(admin, 'admin-home');

    // The catalogue: find the item by its code and open it.
    await admin.getByTestId('admin-menu').getByText('事项目录').click();
    await admin.getByLabel('搜索事项').fill(ITEM);
    await admin.getByLabel('搜索事项').press('Enter');
    await admin.getByTestId(`admin-item-${ITEM}`).waitFor();
    assert.equal(await admin.locator('[data-testid^="admin-item-"]').count(), 1);
    await shot(admin, 'admin-catalog-list');
    await admin.getByTestId(`admin-item-${ITEM}`).click();
    await admin.getByTestId('item-title').filter({ hasText: '残疾人辅助器具适配申请' }).waitFor();

    // A draft from the version in force, then a new required text field, seen in the preview.
    await admin.getByTestId('new-draft').click();
    await admin.getByText('编辑草稿 v2').waitFor();
    const preview = admin.getByTestId('form-preview');
    await preview.getByLabel('申请器具').waitFor();
    assert.equal(await preview.getByLabel(NOTE_LABEL).count(), 0);
    await admin.getByTestId('add-field').click();
    const editor = admin.getByTestId('field-editor');
    await editor.getByLabel('字段标识').fill('contactNote');
    await editor.getByLabel('中文名称').fill(NOTE_LABEL);
    await editor.getByLabel('英文名称').fill('Contact phone note');
    assert.ok(await editor.getByTestId('field-required').isChecked(), 'a new field is required');
    await preview.getByLabel(NOTE_LABEL).waitFor();
    const required = preview.locator('.ant-form-item-required', { hasText: NOTE_LABEL });
    assert.equal(await required.count(), 1, 'the preview marks it required');
    await shot(admin, 'admin-form-editor');

    // The check lists a broken time limit with its place; "go to" opens it; fixed, it passes.
    await admin.getByRole('tab', { name: '流程与时限' }).click();
    const promised = admin.getByLabel('承诺时限（工作日）');
    const original = await promised.inputValue();
    await promised.fill('365');
    await admin.getByTestId('run-check').click();
    const problems = admin.getByTestId('problem-list');
    await problems.getByText('承诺时限不能长于法定时限').waitFor();
    assert.equal(await problems.getByTestId('problem').count(), 1);
    assert.match(
      (await problems.getByTestId('problem').textContent()) ?? '',
      /流程与时限 › promisedDays/,
    );
    await shot(admin, 'admin-consistency-problems');
    await promised.fill(original);
    await admin.getByTestId('run-check').click();
    await admin.getByTestId('outcome-checked').waitFor();
    await shot(admin, 'admin-consistency-check');

    await admin.getByTestId('publish').click();
    await admin.getByTestId('confirm-publish').click();
    // On a loaded machine the publish can take a while; a refusal fails with its words.
    const refused = admin.locator('.ant-alert-error');
    await Promise.race([
      admin.getByTestId('outcome-published').waitFor({ timeout: 60_000 }),
      refused.waitFor({ timeout: 60_000 }),
    ]);
    if (await refused.count()) assert.fail(`publish refused: ${await refused.textContent()}`);
    await admin.getByText('现行版本：v2').waitFor();
    await shot(admin, 'admin-published');

    // 老王 on his phone: the guide's form now asks the new question; he answers and submits.
    const wangCtx = await newContext(world, PHONE);
    const wang = await wangCtx.newPage();
    const wangErrors = watchErrors(wang);
    await signInCitizen(wang, world.server, '13800000001');
    const caseId = await applyAsWang(wang);
    const mine = await wang.request.get(`/api/v1/applications/${caseId}`);
    assert.equal(mine.status(), 200);
    const detail = (await mine.json()) as {
      itemVersion: number;
      applicationNo: string;
      formData: Record<string, unknown>;
    };
    assert.equal(detail.itemVersion, 2, 'made under the new version');
    assert.equal(detail.formData.contactNote, NOTE_VALUE);

    // The village desk sees the answer, labelled as the new version says.
    const deskCtx = await newContext(world);
    const desk = await deskCtx.newPage();
    const deskErrors = watchErrors(desk);
    await signInStaff(desk, 'agent.jinshan');
    await desk.goto(`/desk/cases/${caseId}`);
    const row = desk.locator('.ant-descriptions-row', { hasText: NOTE_LABEL });
    await row.getByText(NOTE_VALUE).waitFor();
    // A choice of several is shown by its labels, as the villager chose it.
    await desk
      .locator('.ant-descriptions-row', { hasText: '申请器具' })
      .getByText('轮椅')
      .waitFor();
    await shot(desk, 'admin-villager-case-desk');
    // Not an administrator: the console says so.
    await desk.goto('/admin');
    await desk.getByTestId('admin-no-permission').getByText('没有权限').waitFor();
    await shot(desk, 'admin-no-permission');

    // The audit trail of the case, by its number; the chains check out.
    await admin.goto('/admin/audit');
    await admin.getByLabel('办件编号').fill(detail.applicationNo);
    await admin.getByTestId('audit-apply').click();
    await admin.getByTestId('audit-table').getByText('application.submit').waitFor();
    await admin.getByTestId('verify-chain').click();
    await admin.getByTestId('verify-result').getByText('审计链完整').waitFor();
    await shot(admin, 'admin-audit');
    await admin.goto('/admin/audit?actorName=admin&action=catalog.*');
    await admin.getByTestId('audit-table').getByText('catalog.version.publish').waitFor();

    // The other screens, for the gallery.
    await admin.goto('/admin/service-points?region=430903105');
    await admin
      .getByTestId('service-point-detail')
      .getByText('430903105', { exact: true })
      .first()
      .waitFor();
    await admin.getByTestId('service-point-detail').getByText('clerk.cangshuipu').waitFor();
    await admin.getByTestId('region-tree').getByText('赫山区').waitFor();
    assert.equal(
      await admin.getByTestId('hall-setup-link').getAttribute('href'),
      '/hall/setup?servicePoint=430903105',
    );
    await shot(admin, 'admin-service-points');
    await admin.goto(`/admin/connectors?tab=messages&applicationNo=${detail.applicationNo}`);
    // The case's exchanges: none with a department, or, where the server publishes events
    // (NATS_URL set, as in CI), the event messages it sent about this case.
    const messageLog = admin.getByTestId('message-log-table');
    await Promise.race([
      messageLog.getByText('该办件没有与部门系统的消息往来').waitFor(),
      messageLog.locator('tr.ant-table-row').first().waitFor(),
    ]);
    await admin.goto('/admin/connectors?tab=systems');
    await admin.getByTestId('systems-table').waitFor();
    await shot(admin, 'admin-connectors');

    assert.deepEqual([...adminErrors, ...wangErrors, ...deskErrors], []);
    await Promise.all([adminCtx.close(), wangCtx.close(), deskCtx.close()]);
  });

  it('a county admin starts a new item from a template; the draft opens, nobody else sees it', async () => {
    const ctx = await newContext(world);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signInStaff(page, 'admin.taojiang');
    await page.goto('/admin/catalog');
    await page.getByTestId('new-item').click();
    await page.getByTestId('new-item-template').click();
    // Each keystroke searches; wait for the last answer, so the option clicked is not
    // replaced under the pointer by a late one, and check that the choice took.
    const searched = page.waitForResponse((r) =>
      r.url().includes(`q=${encodeURIComponent('高龄')}`),
    );
    await page.keyboard.type('高龄');
    await searched;
    await page.locator('.ant-select-item-option').filter({ hasText: '4309-MZ-JF-005' }).click();
    await page
      .locator('.ant-modal .ant-select')
      .filter({ hasText: '4309-MZ-JF-005' })
      .first()
      .waitFor();
    await page.getByTestId('new-item-code').fill('430922-MZ-JF-901');
    await page.getByTestId('new-item-name-zh').fill('桃江县百岁老人长寿金');
    await page.getByTestId('new-item-name-en').fill('Taojiang centenarian allowance');
    // Outside the county: refused, with the field named.
    await page.getByTestId('new-item-scope').fill('430903');
    await page.getByTestId('new-item-create').click();
    await page.locator('.ant-alert-error').waitFor();
    await page.getByTestId('new-item-scope').fill('430922');
    await page.getByTestId('new-item-create').click();
    await page.waitForURL('**/admin/catalog/430922-MZ-JF-901');
    await page.getByTestId('item-title').getByText('桃江县百岁老人长寿金').waitFor();
    await shot(page, 'admin-new-item');
    // A draft: the public search does not find it.
    const pub = await fetch(
      `${world.server.url}/api/v1/catalog/items?q=${encodeURIComponent('百岁老人长寿金')}`,
    );
    assert.equal(((await pub.json()) as { total: number }).total, 0);
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  it('a county admin sees the county’s staff and no one of another county', async () => {
    const ctx = await newContext(world);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signInStaff(page, 'admin.taojiang');
    await page.goto('/admin/users');
    const names = page.getByTestId('users-table').getByTestId('user-username');
    await names.first().waitFor();
    const listed = await names.allTextContents();
    assert.ok(listed.includes('agent.sanguanqiao'), `桃江县's agent listed: ${listed.join(', ')}`);
    assert.ok(listed.includes('clerk.xiushan'));
    for (const other of ['agent.jinshan', 'clerk.cangshuipu', 'admin.heshan', 'admin'])
      assert.ok(!listed.includes(other), `${other} is not 桃江县's`);
    await shot(page, 'admin-users-taojiang');

    await page.getByLabel('用户名或姓名').fill('jinshan');
    await page.getByLabel('用户名或姓名').press('Enter');
    await page.getByTestId('users-table').locator('.ant-empty-description').waitFor();
    // Nor through the API itself: another county is out of reach.
    const direct = await page.request.get('/api/v1/users?within=430903');
    assert.equal(direct.status(), 404);
    const byPoint = await page.request.get('/api/v1/users?servicePointCode=430903105237');
    assert.deepEqual(((await byPoint.json()) as { items: unknown[] }).items, []);
    // Connectors are the city's: the county admin's menu has none.
    assert.equal(await page.getByTestId('admin-menu').getByText('部门接入').count(), 0);
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  it('a county admin creates an account (a refusal by its field first), renames it, resets its password', async () => {
    const ctx = await newContext(world);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signInStaff(page, 'admin.taojiang');
    await page.goto('/admin/users');
    await page.getByTestId('create-user').click();
    const create = page.getByRole('dialog');
    await create.getByLabel('用户名').fill('Clerk Two');
    await create.getByLabel('姓名').fill('桃江窗口二');
    await create.getByLabel('初始密码').fill('taojiang-clerk-2026');
    await create.getByLabel('所在网点').click();
    await page.locator('.ant-select-tree-node-content-wrapper').first().click();
    await create.getByRole('checkbox').first().check();
    await page.getByTestId('create-user-ok').click();
    // The server's refusal stands beside the field it names.
    await create.getByText('用户名为 3–40 位小写字母、数字或 . _ -').waitFor();
    await create.getByLabel('用户名').fill('clerk.two');
    await page.getByTestId('create-user-ok').click();
    await page.getByText('已创建用户 桃江窗口二').waitFor();

    await page.getByTestId('edit-clerk.two').click();
    const edit = page.getByRole('dialog');
    await edit.getByLabel('姓名').fill('桃江窗口甲');
    await page.getByTestId('edit-user-ok').click();
    await page.getByText('已保存 桃江窗口甲 的修改').waitFor();

    const row = page.getByTestId('users-table').getByRole('row', { name: /clerk\.two/ });
    await row.getByRole('button', { name: '重置密码' }).click();
    const reset = page.getByRole('dialog');
    await reset.getByLabel('新密码').fill('taojiang-clerk-2027');
    await reset.getByRole('button', { name: '重置密码' }).click();
    await page.getByText('已重置 桃江窗口甲 的密码').waitFor();
    // The new password signs in (bearerRequest throws on anything but 200).
    await bearerRequest(world.server, { username: 'clerk.two', password: 'taojiang-clerk-2027' });
    assert.deepEqual(errors, []);
    await ctx.close();
  });
});
