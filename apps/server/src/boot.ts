import { buildApp } from './app.ts';
import type { AppContext } from './app-context.ts';
import type { Config } from './config.ts';
import { deriveKeys, loadMasterKey } from './crypto/keys.ts';
import { openDatabase } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { type DemoAccount, ensureBaseData, seedDemo } from './seed/seed.ts';

export interface Booted {
  ctx: AppContext;
  app: Awaited<ReturnType<typeof buildApp>>;
  demoAccounts: DemoAccount[];
  migrated: string[];
}

/** Opens the database, brings it up to date, loads what is missing, and builds the app. */
export async function boot(
  config: Config,
  opts: { logger?: boolean; poolSize?: number } = {},
): Promise<Booted> {
  const keys = deriveKeys(loadMasterKey(config));
  const database = await openDatabase(config.database, { poolSize: opts.poolSize });
  try {
    const migrated = await migrate(database);
    let demoAccounts: DemoAccount[] = [];
    if (config.demo) demoAccounts = (await seedDemo(database.db, keys)).accounts;
    else await ensureBaseData(database.db);
    const ctx: AppContext = { config, database, keys };
    const app = await buildApp(ctx, { logger: opts.logger });
    app.addHook('onClose', async () => {
      await database.close();
    });
    return { ctx, app, demoAccounts, migrated };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}
