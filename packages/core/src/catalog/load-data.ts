import { type CatalogItemFile, catalogItemFileSchema } from './item-schema.ts';
import { levelRank } from './vocab.ts';

/**
 * Reading the catalogue kept as data files (data/catalog/**.json: each file an array of
 * `catalogItemFileSchema` objects) without touching the file system, so the server's seed,
 * the catalogue generator and the tests share one set of rules. The caller reads the files;
 * these functions say what is wrong, naming the file and the JSON path of every problem.
 */
export interface CatalogDataIssue {
  /** The file (or other source) the item came from. */
  source: string;
  /** JSON path inside that source, e.g. `[3].content.routing.decideLevel`. */
  path: string;
  message: string;
}

export interface CatalogDataItem {
  source: string;
  index: number;
  item: CatalogItemFile;
}

function jsonPath(index: number, path: readonly PropertyKey[]): string {
  return `[${index}]${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
}

/** Parses one data file's content: an array of items. Valid items are returned with their index. */
export function parseCatalogDataFile(
  source: string,
  json: unknown,
): { items: CatalogDataItem[]; issues: CatalogDataIssue[] } {
  if (!Array.isArray(json)) {
    return {
      items: [],
      issues: [{ source, path: '', message: 'a catalogue data file holds a JSON array of items' }],
    };
  }
  const items: CatalogDataItem[] = [];
  const issues: CatalogDataIssue[] = [];
  json.forEach((raw, index) => {
    const r = catalogItemFileSchema.safeParse(raw);
    if (r.success) items.push({ source, index, item: r.data });
    else
      for (const issue of r.error.issues)
        issues.push({ source, path: jsonPath(index, issue.path), message: issue.message });
  });
  return { items, issues };
}

/**
 * The rules that need more than one field or more than one item: unique codes, the code is
 * `<scopeRegionCode>-<basicCode>`, deciding level not below accepting level, promised days
 * within legal days, a template for every certificate or licence (printing only form fields),
 * conditional materials say when, no-visit items are online, and every e-certificate a
 * material names is an item of the catalogue.
 */
export function checkCatalogData(items: readonly CatalogDataItem[]): CatalogDataIssue[] {
  const issues: CatalogDataIssue[] = [];
  const codes = new Map<string, CatalogDataItem>();
  for (const entry of items) {
    const first = codes.get(entry.item.code);
    if (first) {
      issues.push({
        source: entry.source,
        path: jsonPath(entry.index, ['code']),
        message: `duplicate code ${entry.item.code} (first in ${first.source}${jsonPath(first.index, [])})`,
      });
    } else codes.set(entry.item.code, entry);
  }
  for (const { source, index, item } of items) {
    const c = item.content;
    const add = (path: PropertyKey[], message: string) =>
      issues.push({ source, path: jsonPath(index, path), message });
    if (item.code !== `${item.scopeRegionCode}-${c.basicCode}`) {
      add(['code'], `the code should be ${item.scopeRegionCode}-${c.basicCode}`);
    }
    if (levelRank(c.routing.decideLevel) < levelRank(c.routing.acceptLevel)) {
      add(['content', 'routing', 'decideLevel'], 'the deciding level is below the accepting level');
    }
    if (c.promisedDays > c.legalDays) {
      add(['content', 'promisedDays'], 'the promised time limit exceeds the legal one');
    }
    if (c.visitsRequired === 0 && !c.channels.includes('online')) {
      add(['content', 'channels'], 'an item needing no visit must be available online');
    }
    const needsTemplate = c.resultType === 'certificate' || c.resultType === 'licence';
    if (needsTemplate && !c.certificateTemplate) {
      add(['content', 'certificateTemplate'], 'a certificate or licence result needs a template');
    }
    if (!needsTemplate && c.routing.delivery.includes('download')) {
      add(['content', 'routing', 'delivery'], 'only e-certificates can be downloaded');
    }
    const formKeys = new Set(c.form.fields.map((f) => f.key));
    c.certificateTemplate?.fields.forEach((key, i) => {
      if (!formKeys.has(key)) {
        add(['content', 'certificateTemplate', 'fields', i], `${key} is not a form field`);
      }
    });
    const materialKeys = new Set<string>();
    c.materials.forEach((m, i) => {
      if (materialKeys.has(m.key))
        add(['content', 'materials', i, 'key'], `duplicate material ${m.key}`);
      materialKeys.add(m.key);
      if (m.requirement === 'conditional' && !m.condition) {
        add(['content', 'materials', i, 'condition'], 'a conditional material must say when');
      }
      if (m.source.kind === 'eCertificate' && !codes.has(m.source.certificateType)) {
        add(
          ['content', 'materials', i, 'source', 'certificateType'],
          `no item ${m.source.certificateType} in the catalogue issues this e-certificate`,
        );
      }
    });
  }
  return issues;
}

/** Formats issues one a line, `file [3].content.x: message`, for errors and test output. */
export function formatCatalogDataIssues(issues: readonly CatalogDataIssue[]): string {
  return issues.map((i) => `${i.source} ${i.path}: ${i.message}`).join('\n');
}
