import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CatalogDataItem,
  type CatalogItemFile,
  checkCatalogData,
  formatCatalogDataIssues,
  parseCatalogDataFile,
} from '@yimen/core';
import type { Db } from '../../db/connection.ts';
import { inTransaction } from '../../db/unit-of-work.ts';
import { importCatalog } from './catalog.admin.service.ts';
import { hasAnyItem } from './catalog.repo.ts';

/** The seeded Yiyang catalogue: data/catalog/<level>/*.json (see data/catalog/README.md). */
export const CATALOG_DATA_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../data/catalog',
);

/** Every *.json under the data directory, sorted, with its path relative to the directory. */
export function listCatalogDataFiles(dir = CATALOG_DATA_DIR): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** Reads and checks the seeded catalogue; throws listing every problem with file and path. */
export function readCatalogData(dir = CATALOG_DATA_DIR): CatalogDataItem[] {
  const items: CatalogDataItem[] = [];
  const problems: string[] = [];
  for (const rel of listCatalogDataFiles(dir)) {
    const source = `data/catalog/${rel}`;
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8'));
    } catch (err) {
      problems.push(`${source}: ${(err as Error).message}`);
      continue;
    }
    const parsed = parseCatalogDataFile(source, json);
    items.push(...parsed.items);
    if (parsed.issues.length) problems.push(formatCatalogDataIssues(parsed.issues));
  }
  const cross = checkCatalogData(items);
  if (cross.length) problems.push(formatCatalogDataIssues(cross));
  if (problems.length) throw new Error(`catalogue data has problems:\n${problems.join('\n')}`);
  return items;
}

/** The items of the data files, checked; any problem stops the load, naming file and path. */
function readCatalogFiles(dir = CATALOG_DATA_DIR): CatalogItemFile[] {
  if (!fs.existsSync(dir)) return [];
  return readCatalogData(dir).map((e) => e.item);
}

/** Loads the shipped catalogue, published, when the catalogue is empty. */
export async function ensureCatalog(db: Db): Promise<number> {
  if (await hasAnyItem(db)) return 0;
  const items = readCatalogFiles();
  if (items.length === 0) return 0;
  await inTransaction(db, (trx) => importCatalog(trx, { actor: null, meta: null }, items, true));
  return items.length;
}
