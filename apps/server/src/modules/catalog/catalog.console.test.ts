import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sampleItem } from '../../test/catalog-fixtures.ts';
import { bearer, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { createCatalogAdmins } from './catalog.fixtures.ts';

/**
 * What the administrators' console needs of the catalogue beyond the public API: a listing
 * of every status with each item's open draft, and the publishing checks run on unsaved
 * content, listing every problem with where it is.
 */
let env: TestEnv;
let cityAdmin: { token: string };
let taojiangAdmin: { token: string };
let heshanAdmin: { token: string };
let agent: { token: string };
before(async () => {
  env = await createTestEnv();
  ({ cityAdmin, taojiangAdmin } = await createCatalogAdmins(env.db));
  heshanAdmin = await createStaff(env.db, { roles: ['county_admin'], servicePointCode: '430903' });
  agent = await createStaff(env.db, { roles: ['village_agent'], servicePointCode: '430922101220' });
});
after(() => env.close());

// biome-ignore lint/suspicious/noExplicitAny: request bodies in tests are free-form
type Body = any;
const post = (url: string, token: string, payload?: Body, lang?: string) =>
  call(env.app, {
    method: 'POST',
    url,
    headers: { ...bearer(token), ...(lang ? { 'accept-language': lang } : {}) },
    ...(payload === undefined ? {} : { payload }),
  });
const put = (url: string, token: string, payload: Body) =>
  call(env.app, { method: 'PUT', url, headers: bearer(token), payload });
const get = (url: string, token?: string) =>
  call(env.app, { method: 'GET', url, headers: token ? bearer(token) : {} });
const codesOf = (res: { data: { items: { code: string }[] } }) => res.data.items.map((i) => i.code);

describe('the administrators’ catalogue listing', () => {
  it('lists drafts and retired items with each item’s open draft, drafts only where one may edit', async () => {
    const taojiangDraft = sampleItem({
      scopeRegionCode: '430922',
      content: { name: { zh: '桃江控制台草稿事项', en: 'Taojiang console draft' } },
    });
    const heshanDraft = sampleItem({
      scopeRegionCode: '430903',
      content: { name: { zh: '赫山控制台草稿事项', en: 'Heshan console draft' } },
    });
    const cityItem = sampleItem({
      content: { name: { zh: '全市控制台事项', en: 'City console item' } },
    });
    assert.equal(
      (await post('/api/v1/catalog/items', taojiangAdmin.token, taojiangDraft)).statusCode,
      201,
    );
    assert.equal(
      (await post('/api/v1/catalog/items', heshanAdmin.token, heshanDraft)).statusCode,
      201,
    );
    assert.equal((await post('/api/v1/catalog/items', cityAdmin.token, cityItem)).statusCode, 201);
    const published = await post(
      `/api/v1/catalog/items/${cityItem.code}/versions/1/publish`,
      cityAdmin.token,
    );
    assert.equal(published.statusCode, 200, published.body);
    // A second version opened on the published city item.
    const opened = await put(`/api/v1/catalog/items/${cityItem.code}/draft`, cityAdmin.token, {
      content: published.data.content,
    });
    assert.equal(opened.data.version, 2);

    const q = encodeURIComponent('控制台');
    // The public sees only what is published, and no draft numbers.
    const pub = await get(`/api/v1/catalog/items?q=${q}`);
    assert.deepEqual(codesOf(pub), [cityItem.code]);
    assert.equal(pub.data.items[0].draftVersion, undefined);

    const city = await get(`/api/v1/catalog/items?q=${q}&status=all`, cityAdmin.token);
    assert.equal(city.statusCode, 200, city.body);
    assert.deepEqual(
      new Set(codesOf(city)),
      new Set([cityItem.code, taojiangDraft.code, heshanDraft.code]),
    );
    const cityRow = city.data.items.find((i: { code: string }) => i.code === cityItem.code);
    assert.equal(cityRow.status, 'published');
    assert.equal(cityRow.draftVersion, 2, 'the open draft of a published item');

    // 桃江县's admin sees its own draft, not 赫山区's, and no draft number of a city item.
    const tj = await get(`/api/v1/catalog/items?q=${q}&status=all`, taojiangAdmin.token);
    assert.deepEqual(new Set(codesOf(tj)), new Set([cityItem.code, taojiangDraft.code]));
    const tjCity = tj.data.items.find((i: { code: string }) => i.code === cityItem.code);
    assert.equal(tjCity.draftVersion, null, 'a city item’s draft is not the county’s to see');
    const drafts = await get(`/api/v1/catalog/items?q=${q}&status=draft`, taojiangAdmin.token);
    assert.deepEqual(codesOf(drafts), [taojiangDraft.code]);
    assert.equal(drafts.data.items[0].draftVersion, 1);

    // Administrators find an item by its code.
    const byCode = await get(
      `/api/v1/catalog/items?q=${encodeURIComponent(taojiangDraft.code.toLowerCase())}&status=all`,
      taojiangAdmin.token,
    );
    assert.deepEqual(codesOf(byCode), [taojiangDraft.code]);

    // A retired item leaves the public search but stays in the administrators' listing.
    assert.equal(
      (await post(`/api/v1/catalog/items/${cityItem.code}/retire`, cityAdmin.token)).statusCode,
      204,
    );
    assert.deepEqual(codesOf(await get(`/api/v1/catalog/items?q=${q}`)), []);
    const retired = await get(`/api/v1/catalog/items?q=${q}&status=retired`, cityAdmin.token);
    assert.deepEqual(codesOf(retired), [cityItem.code]);
    assert.equal(retired.data.items[0].status, 'retired');
  });

  it('other statuses are for administrators only', async () => {
    const anon = await get('/api/v1/catalog/items?status=draft');
    assert.equal(anon.statusCode, 401);
    const staff = await get('/api/v1/catalog/items?status=draft', agent.token);
    assert.equal(staff.statusCode, 403);
    assert.equal(staff.data.error.code, 'FORBIDDEN');
    const bad = await get('/api/v1/catalog/items?status=deleted', cityAdmin.token);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.data.error.fields[0].field, 'query.status');
  });
});

describe('the consistency check on unsaved content', () => {
  it('lists every broken rule with its place, in the asked language, and saves nothing', async () => {
    const item = sampleItem({ scopeRegionCode: '430922' });
    assert.equal((await post('/api/v1/catalog/items', taojiangAdmin.token, item)).statusCode, 201);
    const url = `/api/v1/catalog/items/${item.code}/check`;

    const good = await post(url, taojiangAdmin.token, { content: item.content });
    assert.equal(good.statusCode, 200, good.body);
    assert.deepEqual(good.data, { ok: true, problems: [] });

    const broken = {
      ...item.content,
      promisedDays: 30,
      legalDays: 10,
      routing: { ...item.content.routing, acceptLevel: 'township', decideLevel: 'village' },
      resultType: 'certificate',
    };
    const res = await post(url, taojiangAdmin.token, { content: broken });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.data.ok, false);
    const byField = new Map(
      res.data.problems.map((p: { field: string; message: string }) => [p.field, p.message]),
    );
    assert.deepEqual(
      new Set(byField.keys()),
      new Set([
        'content.promisedDays',
        'content.routing.decideLevel',
        'content.certificateTemplate',
      ]),
    );
    assert.equal(byField.get('content.promisedDays'), '承诺时限不能长于法定时限');
    const en = await post(url, taojiangAdmin.token, { content: broken }, 'en');
    assert.ok(
      en.data.problems.some((p: { message: string }) =>
        p.message.includes('promised time limit cannot exceed'),
      ),
    );

    // Nothing was written: the only version is still the first draft, unchanged.
    const versions = await get(`/api/v1/catalog/items/${item.code}/versions`, taojiangAdmin.token);
    assert.equal(versions.data.items.length, 1);
    const v1 = await get(`/api/v1/catalog/items/${item.code}?version=1`, taojiangAdmin.token);
    assert.equal(v1.data.content.promisedDays, item.content.promisedDays);
  });

  it('a malformed form field is a 400 naming it; another county’s item is forbidden', async () => {
    const item = sampleItem({ scopeRegionCode: '430922' });
    assert.equal((await post('/api/v1/catalog/items', taojiangAdmin.token, item)).statusCode, 201);
    const url = `/api/v1/catalog/items/${item.code}/check`;
    const content = {
      ...item.content,
      form: {
        fields: [
          ...item.content.form.fields,
          { key: 'Bad Key', type: 'text', label: { zh: '备注', en: 'Note' }, options: [] },
        ],
      },
    };
    const res = await post(url, taojiangAdmin.token, { content });
    assert.equal(res.statusCode, 400, res.body);
    const fields = res.data.error.fields.map((f: { field: string }) => f.field);
    assert.ok(
      fields.some((f: string) => f.startsWith('body.content.form.fields.2')),
      fields.join(', '),
    );
    const other = await post(url, heshanAdmin.token, { content: item.content });
    assert.equal(other.statusCode, 403);
    const missing = await post('/api/v1/catalog/items/4309-NO-SUCH-ITEM/check', cityAdmin.token, {
      content: item.content,
    });
    assert.equal(missing.statusCode, 404);
  });
});
