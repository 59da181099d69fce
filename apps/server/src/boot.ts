import { buildApp } from './app.ts';
import type { AppContext } from './app-context.ts';
import type { Config } from './config.ts';
import { deriveKeys, loadMasterKey } from './crypto/keys.ts';
import { openDatabase } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { databaseSmsProvider } from './modules/accounts/sms.ts';
import { startHub } from './modules/integrations/hub.ts';
import { smsHandler } from './modules/outbox/sms.handler.ts';
import { type DemoAccount, ensureBaseData, seedDemo } from './seed/seed.ts';
import { createAppContext } from './wiring.ts';

export interface Booted {
  ctx: AppContext;
  app: Awaited<ReturnType<typeof buildApp>>;
  demoAccounts: DemoAccount[];
  migrated: string[];
}

/** Opens the database, brings it up to date, loads what is missing, and builds the app. */
export async function boot(
  config: Config,
  opts: { logger?: boolean; poolSize?: number; dispatcher?: boolean } = {},
): Promise<Booted> {
  const keys = deriveKeys(loadMasterKey(config));
  const database = await openDatabase(config.database, { poolSize: opts.poolSize });
  try {
    const migrated = await migrate(database);
    let demoAccounts: DemoAccount[] = [];
    if (config.demo) demoAccounts = (await seedDemo(database.db, keys)).accounts;
    else await ensureBaseData(database.db);
    const ctx = createAppContext({ config, database, keys });
    const app = await buildApp(ctx, { logger: opts.logger });
    // The integration hub's dispatcher sends every outbox topic: SMS, department calls,
    // webhooks and, with NATS_URL, JetStream events.
    const dispatcher =
      opts.dispatcher === false
        ? null
        : startHub(
            ctx,
            {
              sms: smsHandler(
                database.db,
                databaseSmsProvider({ demo: config.demo, log: app.log }),
              ),
            },
            (err, what) => app.log.error({ err }, what),
          );
    app.addHook('onClose', async () => {
      await dispatcher?.stop();
      await database.close();
    });
    return { ctx, app, demoAccounts, migrated };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}
