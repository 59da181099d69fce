import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CatalogItemFile, catalogItemFileSchema } from '@yimen/core';
import type { Db } from '../../db/connection.ts';
import { importCatalog } from './catalog.admin.service.ts';

/** The seeded Yiyang catalogue: data/catalog/<level>/*.json (see data/catalog/README.md). */
export const CATALOG_DATA_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../data/catalog',
);

/** Reads and validates every data file, naming the file and the path of any problem. */
export function readCatalogFiles(dir = CATALOG_DATA_DIR): CatalogItemFile[] {
  if (!fs.existsSync(dir)) return [];
  const files = (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.json'))
    .sort();
  const items: CatalogItemFile[] = [];
  for (const f of files) {
    const raw = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown[];
    for (const [i, entry] of raw.entries()) {
      const parsed = catalogItemFileSchema.safeParse(entry);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`${f}[${i}].${issue.path.join('.')}: ${issue.message}`);
      }
      items.push(parsed.data);
    }
  }
  return items;
}

/** Loads the shipped catalogue, published, when the catalogue is empty. */
export async function ensureCatalog(db: Db): Promise<number> {
  const any = await db.selectFrom('catalog_item').select('id').limit(1).executeTakeFirst();
  if (any) return 0;
  const items = readCatalogFiles();
  if (items.length === 0) return 0;
  await db
    .transaction()
    .execute((trx) => importCatalog(trx, { actor: null, meta: null }, items, true));
  return items.length;
}
