import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  type CatalogDataItem,
  type CatalogItemFile,
  catalogItemFileSchema,
  checkCatalogData,
  checkItem,
  formatCatalogDataIssues,
  levelRank,
  parseCatalogDataFile,
} from '@yimen/core';
import {
  APP_CATALOG_SIZE,
  CATALOG_DATA_DIR,
  generateCatalog,
  listCatalogDataFiles,
  readCatalogData,
} from '../../../../../scripts/generate-catalog.ts';

const CITY = '4309';
const TOWNSHIP_DEPARTMENTS = new Set([
  'public_security',
  'hrss',
  'medical_insurance',
  'civil_affairs',
]);
const DEPARTMENT_SYSTEMS = new Set([
  'hrss',
  'medical-insurance',
  'civil-affairs',
  'public-security',
]);
const COUNTIES = new Set([
  '430902',
  '430903',
  '430921',
  '430922',
  '430923',
  '430971',
  '430972',
  '430981',
]);

const files = listCatalogDataFiles();
// Parsed without throwing, so that a broken file fails its own test and the others still run.
const parsed = files.map((rel) => {
  const source = `data/catalog/${rel}`;
  try {
    const json: unknown = JSON.parse(fs.readFileSync(path.join(CATALOG_DATA_DIR, rel), 'utf8'));
    return { rel, json, ...parseCatalogDataFile(source, json) };
  } catch (err) {
    return {
      rel,
      json: undefined,
      items: [],
      issues: [{ source, path: '', message: String(err) }],
    };
  }
});
const seeded: CatalogDataItem[] = parsed.flatMap((p) => p.items);
const items = seeded.map((e) => e.item);
const byCode = new Map(items.map((i) => [i.code, i]));
const where = (e: CatalogDataItem) => `${e.source}[${e.index}] ${e.item.code}`;

describe('catalogue data files', () => {
  it('lays out village, township and county folders', () => {
    for (const folder of ['village/', 'township/', 'county/']) {
      assert.ok(
        files.some((f) => f.startsWith(folder)),
        `no data file under data/catalog/${folder}`,
      );
    }
    for (const f of files) assert.match(f, /^(village|township|county)\/[a-z0-9-]+\.json$/);
  });

  for (const { rel, json, issues } of parsed) {
    it(`data/catalog/${rel} parses with catalogItemFileSchema`, () => {
      assert.equal(issues.length, 0, formatCatalogDataIssues(issues));
      assert.ok(Array.isArray(json) && json.length > 0, `data/catalog/${rel} is empty`);
    });
  }

  it('reads as a whole with readCatalogData', () => {
    assert.equal(readCatalogData().length, seeded.length);
  });

  it('passes the cross-item checks', () => {
    const issues = checkCatalogData(seeded);
    assert.equal(issues.length, 0, formatCatalogDataIssues(issues));
  });

  it('has unique codes, each the scope and the basic code', () => {
    const seen = new Map<string, string>();
    for (const e of seeded) {
      assert.ok(!seen.has(e.item.code), `${where(e)} repeats ${seen.get(e.item.code)}`);
      seen.set(e.item.code, where(e));
      assert.equal(e.item.code, `${e.item.scopeRegionCode}-${e.item.content.basicCode}`, where(e));
      assert.match(e.item.content.basicCode, /^[A-Z]{2}-[A-Z]{2}-\d{3}$/, where(e));
    }
  });

  it('holds exactly the 63 village items delegated city-wide', () => {
    const village = items.filter(
      (i) => i.scopeRegionCode === CITY && i.content.routing.acceptLevel === 'village',
    );
    assert.equal(village.length, 63);
    assert.ok(
      village.every((i) => i.content.channels.includes('proxy')),
      'village items allow 代办',
    );
    for (const e of seeded.filter((e) => e.source.includes('/village/'))) {
      assert.equal(e.item.content.routing.acceptLevel, 'village', where(e));
      assert.equal(e.item.scopeRegionCode, CITY, where(e));
    }
  });

  it('holds exactly the 16 township-centre items, all from the four departments', () => {
    const township = items.filter(
      (i) => i.scopeRegionCode === CITY && i.content.routing.acceptLevel === 'township',
    );
    assert.equal(township.length, 16);
    for (const i of township) {
      assert.ok(
        TOWNSHIP_DEPARTMENTS.has(i.content.department),
        `${i.code}: ${i.content.department}`,
      );
    }
    for (const dept of TOWNSHIP_DEPARTMENTS) {
      assert.ok(
        township.some((i) => i.content.department === dept),
        `no township item of ${dept}`,
      );
    }
  });

  it('has no other city-wide items, and 2–3 county-local ones', () => {
    const city = items.filter((i) => i.scopeRegionCode === CITY);
    assert.equal(city.length, 63 + 16);
    const local = items.filter((i) => i.scopeRegionCode !== CITY);
    assert.ok(local.length >= 2 && local.length <= 3, `${local.length} county-local items`);
    for (const i of local) {
      assert.ok(
        COUNTIES.has(i.scopeRegionCode),
        `${i.code}: ${i.scopeRegionCode} is not a county of Yiyang`,
      );
      assert.ok(i.code.startsWith(`${i.scopeRegionCode}-`), i.code);
    }
  });

  it('decides at or above the accepting level, within the legal time limit', () => {
    for (const e of seeded) {
      const c = e.item.content;
      assert.ok(
        levelRank(c.routing.decideLevel) >= levelRank(c.routing.acceptLevel),
        `${where(e)}: decided at ${c.routing.decideLevel}, accepted at ${c.routing.acceptLevel}`,
      );
      assert.ok(
        c.promisedDays <= c.legalDays,
        `${where(e)}: promised ${c.promisedDays} > legal ${c.legalDays}`,
      );
    }
  });

  it('gives every certificate or licence a template that prints form fields', () => {
    for (const e of seeded) {
      const c = e.item.content;
      if (c.resultType !== 'certificate' && c.resultType !== 'licence') continue;
      assert.ok(c.certificateTemplate, `${where(e)} has no certificateTemplate`);
      const keys = new Set(c.form.fields.map((f) => f.key));
      for (const k of c.certificateTemplate.fields)
        assert.ok(keys.has(k), `${where(e)}: ${k} not in the form`);
    }
  });

  it('names only catalogue items as e-certificate sources', () => {
    for (const e of seeded) {
      e.item.content.materials.forEach((m, i) => {
        if (m.source.kind !== 'eCertificate') return;
        const issuer = byCode.get(m.source.certificateType);
        assert.ok(issuer, `${where(e)} materials[${i}]: no item ${m.source.certificateType}`);
        assert.ok(
          issuer.content.resultType === 'certificate' || issuer.content.resultType === 'licence',
          `${where(e)} materials[${i}]: ${issuer.code} issues no certificate`,
        );
      });
    }
  });

  it('uses only the known department systems, with forms of 3–10 fields', () => {
    for (const e of seeded) {
      const c = e.item.content;
      if (c.routing.departmentSystem) {
        assert.ok(
          DEPARTMENT_SYSTEMS.has(c.routing.departmentSystem),
          `${where(e)}: ${c.routing.departmentSystem}`,
        );
      }
      assert.ok(
        c.form.fields.length >= 3 && c.form.fields.length <= 10,
        `${where(e)}: ${c.form.fields.length} fields`,
      );
      assert.ok(c.notes, `${where(e)} says nothing of what it is modelled on`);
    }
  });

  it('meets the rules for publishing an item', () => {
    const knownItemCodes = new Set(byCode.keys());
    for (const e of seeded) {
      const problems = checkItem(e.item, { prefix: `${where(e)} `, knownItemCodes });
      assert.deepEqual(problems, [], JSON.stringify(problems));
    }
  });

  it('holds the items the platform’s story refers to', () => {
    const get = (code: string): CatalogItemFile => {
      const item = byCode.get(code);
      assert.ok(item, `missing ${code}`);
      return item;
    };
    const birth = get('4309-WJ-QR-001');
    assert.equal(birth.content.department, 'health');
    assert.equal(birth.content.routing.acceptLevel, 'village');
    assert.equal(birth.content.routing.decideLevel, 'township');
    assert.equal(birth.content.resultType, 'certificate');

    const jobs = get('4309-RS-GG-001');
    assert.equal(jobs.content.routing.acceptLevel, 'township');
    assert.equal(jobs.content.routing.departmentSystem, 'hrss');

    const oldAge = get('4309-MZ-JF-005');
    assert.equal(oldAge.content.routing.acceptLevel, 'village');
    assert.equal(oldAge.content.routing.decideLevel, 'township');
    assert.equal(oldAge.content.resultType, 'payment');
    assert.ok(oldAge.content.channels.includes('proxy'));

    const idCard = get('4309-GA-QR-001');
    assert.equal(idCard.content.routing.acceptLevel, 'township');
    assert.equal(idCard.content.visitsRequired, 1);
    assert.equal(idCard.content.routing.departmentSystem, 'public-security');

    const medical = get('4309-YB-GG-001');
    assert.equal(medical.content.routing.acceptLevel, 'township');
    assert.equal(medical.content.routing.departmentSystem, 'medical-insurance');

    const proof = get('4309-MZ-QR-002');
    assert.equal(proof.content.routing.crossRegion, 'city');
    assert.equal(proof.content.routing.decideBy, 'applicant_region');
    assert.equal(proof.content.routing.decideLevel, 'county');
  });
});

describe('generated benchmark catalogue', () => {
  const catalog = generateCatalog();

  it(`has exactly ${APP_CATALOG_SIZE} items with unique codes`, () => {
    assert.equal(catalog.length, APP_CATALOG_SIZE);
    assert.equal(new Set(catalog.map((i) => i.code)).size, APP_CATALOG_SIZE);
  });

  it('starts with the seeded items', () => {
    assert.deepEqual(
      catalog.slice(0, items.length).map((i) => i.code),
      items.map((i) => i.code),
    );
  });

  it('is valid item by item and as a whole', () => {
    const entries = catalog.map((item, index) => {
      const r = catalogItemFileSchema.safeParse(item);
      assert.ok(r.success, `[${index}] ${item.code}: ${r.error?.message}`);
      return { source: 'generated', index, item };
    });
    const issues = checkCatalogData(entries);
    assert.equal(issues.length, 0, formatCatalogDataIssues(issues.slice(0, 20)));
  });

  it('is the same every time', () => {
    assert.equal(JSON.stringify(generateCatalog()), JSON.stringify(catalog));
  });

  it('gives a smaller catalogue on request', () => {
    assert.equal(generateCatalog(200).length, 200);
  });
});
