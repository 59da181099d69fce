import { checkItem } from './checks.ts';
import { type CatalogItemFile, catalogItemFileSchema } from './item-schema.ts';

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
 * `<scopeRegionCode>-<basicCode>`, and every rule of `checkItem` (the same rules the server
 * applies before publishing), with e-certificate references resolved inside the data set.
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
  const known = new Set(codes.keys());
  for (const { source, index, item } of items) {
    if (item.code !== `${item.scopeRegionCode}-${item.content.basicCode}`) {
      issues.push({
        source,
        path: jsonPath(index, ['code']),
        message: `the code should be ${item.scopeRegionCode}-${item.content.basicCode}`,
      });
    }
    for (const p of checkItem(item, { knownItemCodes: known })) {
      issues.push({
        source,
        path: jsonPath(
          index,
          p.field.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
        ),
        message: p.message.en,
      });
    }
  }
  return issues;
}

/** Formats issues one a line, `file [3].content.x: message`, for errors and test output. */
export function formatCatalogDataIssues(issues: readonly CatalogDataIssue[]): string {
  return issues.map((i) => `${i.source} ${i.path}: ${i.message}`).join('\n');
}
