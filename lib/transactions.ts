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

export async function transact<T>(
  sequelize: Sequelize,
  work: (t: Transaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(sequelize, work);
    } catch (err) {
      if (attempt >= ATTEMPTS || !isRetryableLockError(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20 * attempt));
    }
  }
}

export function isRetryableLockError(err: unknown): boolean {
  const errno = (err as { original?: { errno?: number }; parent?: { errno?: number } })?.original
    ?.errno;
  return errno === DEADLOCK || errno === LOCK_WAIT_TIMEOUT;
}
