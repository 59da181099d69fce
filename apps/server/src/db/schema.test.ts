import assert from 'node:assert/strict';
import fs from 'node:fs';
import { it } from 'node:test';
import { DiffChecker } from 'kysely-codegen';
import { createTestEnv, TEST_BACKEND } from '../test/harness.ts';
import { generateSchemaSource, SCHEMA_FILE, schemaSourceOf } from './schema-codegen.ts';

/**
 * db/schema.ts is generated from the migrated database (npm run db:schema): a migration that
 * changes a table without regenerating it fails here. On PostgreSQL the types are read from
 * the test database, so both backends must give the same file.
 */
it('db/schema.ts is what the migrations generate', async () => {
  let generated: string;
  if (TEST_BACKEND === 'postgres') {
    const env = await createTestEnv();
    try {
      generated = await schemaSourceOf(env.db);
    } finally {
      await env.close();
    }
  } else {
    generated = await generateSchemaSource();
  }
  const current = fs.readFileSync(SCHEMA_FILE, 'utf8');
  if (generated !== current) {
    assert.fail(
      'apps/server/src/db/schema.ts is not what the migrations generate: run npm run db:schema\n' +
        `(- the checked-in file, + generated)\n${new DiffChecker().diff(current, generated)}`,
    );
  }
});
