import type { Config } from './config.ts';
import type { Keys } from './crypto/keys.ts';
import type { Database } from './db/connection.ts';

/** What every route and service may use: the validated config, the database, the keys. */
export interface AppContext {
  config: Config;
  database: Database;
  keys: Keys;
}
