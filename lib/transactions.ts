/**
 * `withTransaction` (lib/db.ts) plus what MariaDB/MySQL ask of every caller under contention:
 * a transaction chosen as a deadlock victim is rolled back whole and is to be run again.
 * Only for work whose sole effects are its database writes (no calls to other services inside).
 */
import type { Sequelize, Transaction } from "sequelize";
import { withTransaction } from "./db.ts";

const DEADLOCK = 1213;
const LOCK_WAIT_TIMEOUT = 1205;
const ATTEMPTS = 4;

export function transact<T>(
  sequelize: Sequelize,
  work: (t: Transaction) => Promise<T>,
): Promise<T> {
  return retryLockErrors(() => withTransaction(sequelize, work));
}

/** Runs `run` again (a few times, after a short random pause) while it fails on a lock. */
export async function retryLockErrors<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= ATTEMPTS || !isRetryableLockError(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20 * attempt));
    }
  }
}

/**
 * One statement on its own: MariaDB commits it by itself (no START TRANSACTION / COMMIT round
 * trips, no transaction object), SQLite queues it with the other writers (lib/db.ts). `work`
 * gets the transaction to pass on, or undefined. Rerun like `transact` when picked as a victim.
 */
export function autocommit<T>(
  sequelize: Sequelize,
  work: (t: Transaction | undefined) => Promise<T>,
): Promise<T> {
  if (sequelize.getDialect() === "sqlite") return transact(sequelize, work);
  return retryLockErrors(() => work(undefined));
}

export function isRetryableLockError(err: unknown): boolean {
  const errno = (err as { original?: { errno?: number }; parent?: { errno?: number } })?.original
    ?.errno;
  return errno === DEADLOCK || errno === LOCK_WAIT_TIMEOUT;
}
