import { AppError } from '../errors.ts';
import type { Db } from './connection.ts';
import { claimKey, type KeyScope, keepAnswer } from './idempotency.repo.ts';
import { withLateWrites } from './late-writes.ts';

/**
 * One unit of work: one transaction for a change and everything that must commit with it —
 * its history, audit and outbox rows, the hot rows written last (late-writes.ts), and the
 * answer kept for a retried Idempotency-Key — and, once it has committed, what must follow
 * the commit (a hall display told of a new ticket, a cache dropped). Every writing route
 * runs its work through here (http/write.ts); services take the `trx` and never open one.
 */
const followers = new WeakMap<Db, Array<() => unknown>>();

/**
 * Runs `fn` after the unit of `trx` commits, never if it rolls back. A failure there cannot
 * undo the commit: it is reported, not thrown. Outside a unit (a test's bare transaction),
 * `fn` runs at once.
 */
export function afterCommit(trx: Db, fn: () => unknown): void {
  const list = followers.get(trx);
  if (list) list.push(fn);
  else void Promise.resolve().then(fn);
}

export interface IdempotencyClaim {
  /** A user's Idempotency-Key, or a department system's message id. */
  scope: KeyScope;
  /** Whose key it is: the user's or the system's id. */
  ownerId: string;
  key: string;
  /** A hash of what was asked: the same key with another request is refused. */
  requestHash: string;
}

export interface Answer<T> {
  status: number;
  body: T;
}

export interface UnitOptions {
  idempotency?: IdempotencyClaim | null;
  /**
   * The work sends exactly one statement, which PostgreSQL makes atomic by itself: it runs
   * without BEGIN and COMMIT (two round trips fewer). For a lone INSERT such as an upload's
   * row; not with an idempotency key, late writes or after-commit work.
   */
  oneStatement?: boolean;
  /** Where a failure of after-commit work is reported. */
  onFollowerError?: (err: unknown) => void;
}

/**
 * The work runs once per idempotency claim: the key is claimed in the work's transaction, so
 * a retry after a lost answer gets the first answer (`replayed`), a concurrent duplicate
 * waits on the key's row and then finds it, and a refusal rolls back with its key so a
 * corrected retry runs afresh.
 */
export async function runUnit<T>(
  db: Db,
  work: (trx: Db) => Promise<Answer<T>>,
  opts: UnitOptions = {},
): Promise<Answer<T> & { replayed: boolean }> {
  const after: Array<() => unknown> = [];
  const claim = opts.idempotency ?? null;
  if (opts.oneStatement) {
    if (claim) throw new Error('a one-statement unit takes no idempotency key');
    return { ...(await work(db)), replayed: false };
  }
  const result = await db.transaction().execute(async (trx) => {
    followers.set(trx, after);
    try {
      return await withLateWrites(trx, async () => {
        if (!claim) return { ...(await work(trx)), replayed: false };
        const kept = await claimKey(trx, claim.scope, claim.ownerId, claim.key, claim.requestHash);
        if (kept) {
          if (kept.requestHash !== claim.requestHash)
            throw claim.scope === 'user'
              ? new AppError('IDEMPOTENCY_KEY_REUSED', { key: claim.key })
              : new AppError('MESSAGE_ID_REUSED', { messageId: claim.key });
          return { status: kept.status, body: kept.body as T, replayed: true };
        }
        const answer = await work(trx);
        await keepAnswer(trx, claim.scope, claim.ownerId, claim.key, answer);
        return { ...answer, replayed: false };
      });
    } finally {
      followers.delete(trx);
    }
  });
  for (const fn of after) {
    try {
      await fn();
    } catch (err) {
      opts.onFollowerError?.(err);
    }
  }
  return result;
}

/** A unit without an idempotency key, for work that answers with a plain value. */
export async function inTransaction<T>(
  db: Db,
  work: (trx: Db) => Promise<T>,
  opts: Omit<UnitOptions, 'idempotency'> = {},
): Promise<T> {
  const r = await runUnit(db, async (trx) => ({ status: 200, body: await work(trx) }), opts);
  return r.body;
}
