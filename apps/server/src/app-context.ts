import type { Config } from './config.ts';
import type { Keys } from './crypto/keys.ts';
import type { Database } from './db/connection.ts';
import type { CaseFacts } from './facts.ts';
import type { CasePort, DepartmentPort } from './ports.ts';

/**
 * What every route and service may use: the validated config, the database, the keys, and
 * the ways modules meet without importing each other — the case facts they subscribe to and
 * the ports they call (wiring.ts builds it).
 */
export interface AppContext {
  config: Config;
  database: Database;
  keys: Keys;
  facts: CaseFacts;
  cases: CasePort;
  departments: DepartmentPort;
}
