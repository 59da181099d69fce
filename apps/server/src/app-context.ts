import type { Config } from './config.ts';
import type { Database } from './db/connection.ts';

/** What every route and service may use: the validated config and the database. */
export interface AppContext {
  config: Config;
  database: Database;
}
