import type { CaseStepped } from '@yimen/core';
import type { Db } from './db/connection.ts';

/** Writes a module makes when a case moves, in the transaction that moves it. */
export type CaseSubscriber = (trx: Db, fact: CaseStepped) => Promise<void>;

/**
 * How the case module tells the others that a case moved, without knowing them: it announces
 * a typed fact (CaseStepped, packages/core) in the step's transaction, and each subscriber —
 * the integration hub, the figures — writes its own rows there, so they commit or roll back
 * with the step. Subscribers run in the order they subscribed (wiring.ts).
 */
export class CaseFacts {
  readonly #subscribers: CaseSubscriber[] = [];

  subscribe(subscriber: CaseSubscriber): void {
    this.#subscribers.push(subscriber);
  }

  async announce(trx: Db, fact: CaseStepped): Promise<void> {
    for (const s of this.#subscribers) await s(trx, fact);
  }
}
