import type { AppContext } from './app-context.ts';
import type { Config } from './config.ts';
import type { Keys } from './crypto/keys.ts';
import type { Database } from './db/connection.ts';
import { CaseFacts } from './facts.ts';
import { casePort } from './modules/applications/case-port.ts';
import { departmentPort, hubOnCaseStep } from './modules/integrations/case-events.ts';
import { figuresOnCaseStep } from './modules/stats/case-figures.ts';

/**
 * Where the modules meet: the one place that knows them all. The case module reaches the
 * hub through the department port and tells of its steps as facts; the hub and the figures
 * subscribe to those facts, and reach cases through the case port. None of them imports
 * another for this.
 */
export function createAppContext(parts: {
  config: Config;
  database: Database;
  keys: Keys;
}): AppContext {
  const facts = new CaseFacts();
  const ctx: AppContext = {
    ...parts,
    facts,
    departments: departmentPort,
    // Set below: the port needs the context it belongs to.
    cases: undefined as unknown as AppContext['cases'],
  };
  ctx.cases = casePort(ctx);
  // In this order in the step's transaction: the hub's outbox rows at once, the month's
  // counters with the hot rows last (db/late-writes.ts), before the step's audit row.
  facts.subscribe(hubOnCaseStep(ctx));
  facts.subscribe(figuresOnCaseStep);
  return ctx;
}
