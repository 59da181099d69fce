import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { sampleItem } from '../../test/catalog-fixtures.ts';
import { bearer, createStaff } from '../../test/factories.ts';
import { call, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { createCatalogAdmins } from './catalog.fixtures.ts';
import { versionContent } from './catalog.repo.ts';

let env: TestEnv;
let cityAdmin: { token: string };
let taojiangAdmin: { token: string };
before(async () => {
  env = await createTestEnv();
  ({ cityAdmin, taojiangAdmin } = await createCatalogAdmins(env.db));
});
after(() => env.close());

// biome-ignore lint/suspicious/noExplicitAny: request bodies in tests are free-form
type Body = any;
const post = (url: string, token: string, payload?: Body) =>
  call(env.app, {
    method: 'POST',
    url,
    headers: bearer(token),
    ...(payload === undefined ? {} : { payload }),
  });
const put = (url: string, token: string, payload: Body) =>
  call(env.app, { method: 'PUT', url, headers: bearer(token), payload });
const get = (url: string, token?: string) =>
  call(env.app, { method: 'GET', url, headers: token ? bearer(token) : {} });
const fieldsOf = (res: { data: { error: { fields?: { field: string }[] } } }) =>
  (res.data.error.fields ?? []).map((f) => f.field);

async function createAndPublish(item = sampleItem(), token = cityAdmin.token) {
  const created = await post('/api/v1/catalog/items', token, item);
  assert.equal(created.statusCode, 201, created.body);
  const published = await post(`/api/v1/catalog/items/${item.code}/versions/1/publish`, token);
  assert.equal(published.statusCode, 200, published.body);
  return item;
}

describe('catalogue versions', () => {
  it('a draft is invisible to the public until published, then the guide is served', async () => {
    const item = sampleItem({
      content: { name: { zh: '临时救助申请', en: 'Temporary assistance' } },
    });
    assert.equal((await post('/api/v1/catalog/items', cityAdmin.token, item)).statusCode, 201);
    assert.equal((await get(`/api/v1/catalog/items/${item.code}`)).statusCode, 404);
    const draft = await get(`/api/v1/catalog/items/${item.code}`, cityAdmin.token);
    assert.equal(draft.data.status, 'draft');
    await post(`/api/v1/catalog/items/${item.code}/versions/1/publish`, cityAdmin.token);
    const pub = await get(`/api/v1/catalog/items/${item.code}`);
    assert.equal(pub.statusCode, 200);
    assert.equal(pub.data.version, 1);
    assert.equal(pub.data.status, 'published');
    assert.equal(pub.data.content.name.zh, '临时救助申请');
    assert.equal(pub.data.formJsonSchema.properties.reason.title, '申请事由');
    assert.deepEqual(pub.data.formJsonSchema.required, ['reason']);
  });

  it('a fix is a new version; the old one is retired but stays readable; published ones never change', async () => {
    const item = await createAndPublish();
    const content = {
      ...item.content,
      form: {
        fields: [
          ...item.content.form.fields,
          {
            key: 'bankAccount',
            type: 'text',
            label: { zh: '银行账号', en: 'Bank account' },
            required: true,
            maxLength: 30,
          },
        ],
      },
    };
    const edit = await put(`/api/v1/catalog/items/${item.code}/versions/1`, cityAdmin.token, {
      content,
    });
    assert.equal(edit.statusCode, 409);
    assert.equal(edit.data.error.code, 'VERSION_NOT_DRAFT');
    const draft = await put(`/api/v1/catalog/items/${item.code}/draft`, cityAdmin.token, {
      content,
    });
    assert.equal(draft.statusCode, 200);
    assert.equal(draft.data.version, 2);
    assert.equal(
      (await get(`/api/v1/catalog/items/${item.code}`)).data.version,
      1,
      'v1 stays in force until v2 is published',
    );
    await post(`/api/v1/catalog/items/${item.code}/versions/2/publish`, cityAdmin.token);
    const now = await get(`/api/v1/catalog/items/${item.code}`);
    assert.equal(now.data.version, 2);
    assert.ok(now.data.content.form.fields.some((f: { key: string }) => f.key === 'bankAccount'));
    const old = await get(`/api/v1/catalog/items/${item.code}?version=1`);
    assert.equal(old.data.status, 'retired');
    assert.equal(old.data.content.form.fields.length, 2);
    const versions = await get(`/api/v1/catalog/items/${item.code}/versions`);
    assert.deepEqual(
      versions.data.items.map((v: { version: number; status: string }) => [v.version, v.status]),
      [
        [2, 'published'],
        [1, 'retired'],
      ],
    );
    await assert.rejects(
      sql`UPDATE catalog_item_version SET content = '{}' WHERE version = 1 AND item_id = (SELECT id FROM catalog_item WHERE code = ${item.code})`.execute(
        env.db,
      ),
      /cannot change/,
    );
  });

  it('refuses an inconsistent item listing every problem, and writes nothing', async () => {
    const bad = sampleItem({
      content: {
        routing: {
          acceptLevel: 'township',
          decideLevel: 'village',
          delivery: ['download'],
          crossRegion: 'none',
        },
        promisedDays: 30,
        legalDays: 20,
        visitsRequired: 0,
        channels: ['counter'],
        resultType: 'certificate',
        materials: [
          {
            key: 'proof',
            name: { zh: '证明', en: 'Proof' },
            requirement: 'conditional',
            form: 'copy',
            copies: 1,
          },
          {
            key: 'hukou',
            name: { zh: '户口簿', en: 'Hukou' },
            requirement: 'required',
            form: 'original',
            copies: 1,
            source: { kind: 'eCertificate', certificateType: '4309-NO-SUCH' },
          },
        ],
      },
    });
    const res = await post('/api/v1/catalog/items', cityAdmin.token, bad);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(fieldsOf(res).sort(), [
      'body.content.certificateTemplate',
      'body.content.channels',
      'body.content.materials.0.condition',
      'body.content.materials.1.source.certificateType',
      'body.content.promisedDays',
      'body.content.routing.decideLevel',
    ]);
    assert.equal((await get(`/api/v1/catalog/items/${bad.code}`, cityAdmin.token)).statusCode, 404);
  });

  it('names the field of an invalid form schema, an unknown department, a duplicate code', async () => {
    const form = sampleItem({
      content: {
        form: {
          fields: [
            { key: 'a', type: 'text', label: { zh: '甲', en: 'A' }, pattern: '([' },
            { key: 'a', type: 'boolean', label: { zh: '乙', en: 'B' } },
          ],
        },
      },
    });
    const f = await post('/api/v1/catalog/items', cityAdmin.token, form);
    assert.equal(f.statusCode, 400);
    assert.deepEqual(fieldsOf(f).sort(), [
      'body.content.form.fields.0.pattern',
      'body.content.form.fields.1.key',
    ]);
    const unknownType = sampleItem();
    (unknownType.content.form.fields as unknown[]).push({
      key: 'x',
      type: 'colour',
      label: { zh: '色', en: 'Colour' },
    });
    assert.equal(
      (await post('/api/v1/catalog/items', cityAdmin.token, unknownType)).statusCode,
      400,
    );
    const dept = sampleItem();
    (dept.content as { department: string }).department = 'ministry_of_magic';
    const d = await post('/api/v1/catalog/items', cityAdmin.token, dept);
    assert.deepEqual(fieldsOf(d), ['body.content.department']);
    const dup = sampleItem();
    await post('/api/v1/catalog/items', cityAdmin.token, dup);
    const again = await post('/api/v1/catalog/items', cityAdmin.token, dup);
    assert.equal(again.statusCode, 409);
    assert.equal(again.data.error.code, 'ITEM_CODE_TAKEN');
  });

  it('a county admin keeps to the county; a county item is offered only there', async () => {
    const cityItem = sampleItem();
    assert.equal(
      (await post('/api/v1/catalog/items', taojiangAdmin.token, cityItem)).statusCode,
      403,
    );
    const local = sampleItem({
      code: `430922-LOCAL-${process.pid}`,
      scopeRegionCode: '430922',
      content: { name: { zh: '桃江县茶园补贴', en: 'Taojiang tea garden subsidy' } },
    });
    await createAndPublish(local, taojiangAdmin.token);
    const q = encodeURIComponent('茶园补贴');
    const inCounty = await get(`/api/v1/catalog/items?q=${q}&region=430922101220`);
    assert.deepEqual(
      inCounty.data.items.map((i: { code: string }) => i.code),
      [local.code],
    );
    const elsewhere = await get(`/api/v1/catalog/items?q=${q}&region=430903105237`);
    assert.equal(elsewhere.data.total, 0);
    const agent = await createStaff(env.db, {
      roles: ['village_agent'],
      servicePointCode: '430922101220',
    });
    assert.equal((await post('/api/v1/catalog/items', agent.token, sampleItem())).statusCode, 403);
  });

  it('retiring takes an item out of search but keeps it readable', async () => {
    const item = await createAndPublish(
      sampleItem({ content: { name: { zh: '退役测试事项', en: 'Retire me' } } }),
    );
    assert.equal(
      (await post(`/api/v1/catalog/items/${item.code}/retire`, cityAdmin.token)).statusCode,
      204,
    );
    const found = await get(`/api/v1/catalog/items?q=${encodeURIComponent('退役测试事项')}`);
    assert.equal(found.data.total, 0);
    assert.equal(
      (await get(`/api/v1/catalog/items/${item.code}?version=1`)).data.status,
      'retired',
    );
  });

  it('every change is in the audit trail', async () => {
    const item = await createAndPublish();
    const rows = await env.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', item.code)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.action),
      ['catalog.item.create', 'catalog.version.publish'],
    );
  });
});

describe('finding an item', () => {
  before(async () => {
    await createAndPublish(
      sampleItem({
        content: {
          name: { zh: '生育登记（测试）', en: 'Birth registration' },
          themes: ['birth'],
          department: 'health',
          popularity: 900,
        },
      }),
    );
    await createAndPublish(
      sampleItem({
        content: {
          name: { zh: '居民身份证申领（测试）', en: 'ID card application' },
          themes: ['household_registration'],
          department: 'public_security',
          popularity: 800,
          channels: ['counter'],
        },
      }),
    );
  });

  it('by full pinyin, initials and keyword', async () => {
    const names = async (q: string) =>
      (await get(`/api/v1/catalog/items?q=${encodeURIComponent(q)}&limit=200`)).data.items.map(
        (i: { name: string }) => i.name,
      );
    assert.ok((await names('shengyu')).includes('生育登记（测试）'));
    assert.ok((await names('sfz')).includes('居民身份证申领（测试）'));
    assert.ok((await names('身份证')).includes('居民身份证申领（测试）'));
  });

  it('by theme, department and channel', async () => {
    const birth = await get('/api/v1/catalog/items?theme=birth&limit=200');
    assert.ok(birth.data.items.every((i: { themes: string[] }) => i.themes.includes('birth')));
    assert.ok(birth.data.items.some((i: { name: string }) => i.name === '生育登记（测试）'));
    const ps = await get(
      '/api/v1/catalog/items?department=public_security&channel=counter&limit=200',
    );
    assert.ok(ps.data.items.some((i: { name: string }) => i.name === '居民身份证申领（测试）'));
    const themes = await get('/api/v1/catalog/themes?region=430922101220');
    assert.ok(
      themes.data.items.some(
        (t: { theme: string; count: number }) => t.theme === 'birth' && t.count >= 1,
      ),
    );
  });

  it('a huge or hostile q is a clear 400 or plain text', async () => {
    const huge = await get(`/api/v1/catalog/items?q=${'办'.repeat(10_000)}`);
    assert.equal(huge.statusCode, 400);
    assert.deepEqual(fieldsOf(huge), ['query.q']);
    for (const q of ["'; DROP TABLE catalog_item; --", '%', '_']) {
      const res = await get(`/api/v1/catalog/items?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200, q);
      assert.equal(res.data.total, 0, q);
    }
    const region = await get('/api/v1/catalog/items?region=439999');
    assert.equal(region.statusCode, 404);
  });

  it('prints the guide as HTML and as a PDF with the Chinese text embedded', async () => {
    const item = await createAndPublish(
      sampleItem({ content: { name: { zh: '残疾人两项补贴<测试>', en: 'Disability subsidies' } } }),
    );
    const html = await get(`/api/v1/catalog/items/${item.code}/guide.html`);
    assert.equal(html.statusCode, 200);
    assert.match(html.headers['content-type'] as string, /text\/html/);
    assert.match(html.body, /残疾人两项补贴&lt;测试&gt;办事指南/);
    assert.match(html.body, /承诺办结时限/);
    const pdf = await call(env.app, {
      method: 'GET',
      url: `/api/v1/catalog/items/${item.code}/guide.pdf`,
    });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdfText(pdf.rawPayload), /残疾人两项补贴<测试>办事指南/);
  });
});

describe('import and export', () => {
  it('exports what is published and imports it back as new versions', async () => {
    const item = await createAndPublish();
    const exported = await get('/api/v1/catalog/export');
    const mine = exported.data.items.find((i: { code: string }) => i.code === item.code);
    assert.ok(mine);
    const res = await post('/api/v1/catalog/import', cityAdmin.token, {
      items: [mine],
      publish: true,
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.data, { created: 0, updated: 1, published: 1 });
    assert.equal((await get(`/api/v1/catalog/items/${item.code}`)).data.version, 2);
  });

  it('an import with problems lists them all by position and writes nothing', async () => {
    const good = sampleItem();
    const bad = sampleItem({ content: { promisedDays: 99, legalDays: 10 } });
    const res = await post('/api/v1/catalog/import', cityAdmin.token, {
      items: [good, bad, good],
      publish: true,
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(fieldsOf(res).sort(), [
      'body.items.1.content.promisedDays',
      'body.items.2.code',
    ]);
    assert.equal(
      (await get(`/api/v1/catalog/items/${good.code}`, cityAdmin.token)).statusCode,
      404,
    );
  });
});

describe('version content kept in memory', () => {
  it('serves a published version from memory, frozen, and never keeps a draft', async () => {
    const item = sampleItem();
    assert.equal((await post('/api/v1/catalog/items', cityAdmin.token, item)).statusCode, 201);
    const row = await env.db
      .selectFrom('catalog_item')
      .select('id')
      .where('code', '=', item.code)
      .executeTakeFirstOrThrow();
    // A draft is read afresh every time: an edit shows at once.
    const draft = await versionContent(env.db, row.id, 1);
    assert.ok(draft);
    await sql`UPDATE catalog_item_version SET content = jsonb_set(content, '{promisedDays}', '9')
              WHERE item_id = ${row.id} AND version = 1`.execute(env.db);
    assert.equal((await versionContent(env.db, row.id, 1))?.promisedDays, 9);
    await post(`/api/v1/catalog/items/${item.code}/versions/1/publish`, cityAdmin.token);
    const published = await versionContent(env.db, row.id, 1);
    assert.equal(published?.promisedDays, 9);
    // Once out of draft the database refuses content changes, so the copy cannot go stale;
    // the copy is the same object every time, and nobody may change it.
    assert.equal(await versionContent(env.db, row.id, 1), published);
    assert.throws(() => {
      (published as { promisedDays: number }).promisedDays = 1;
    }, TypeError);
    assert.equal(await versionContent(env.db, row.id, 99), undefined);
  });
});
