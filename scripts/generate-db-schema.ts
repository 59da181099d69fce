// Writes apps/server/src/db/schema.ts from the migrated database (npm run db:schema).
import fs from 'node:fs';
import path from 'node:path';
import { generateSchemaSource, SCHEMA_FILE } from '../apps/server/src/db/schema-codegen.ts';

const source = await generateSchemaSource();
const before = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
fs.writeFileSync(SCHEMA_FILE, source);
const name = path.relative(process.cwd(), SCHEMA_FILE);
console.log(source === before ? `${name} is current` : `wrote ${name}`);
