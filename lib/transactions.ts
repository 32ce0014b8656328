/**
 * The one way to run a database transaction: `transaction(sequelize, work, opts)`.
 *
 * - SQLite allows one writer: in the embedded mode transactions are queued in-process instead of
 *   spinning on SQLITE_BUSY (and take the write lock at BEGIN, lib/db.ts). MariaDB runs them
 *   concurrently.
 * - `retry`: MariaDB/MySQL roll back a transaction chosen as a deadlock victim (or timed out
 *   waiting for a lock) whole; it is run again, a few times, after a short random pause. Only
 *   for work whose sole effects are its database writes (no calls to other services inside).
 * - `raw`: on MariaDB/MySQL the transaction is START TRANSACTION / COMMIT sent straight to the
 *   driver (lib/sql.ts), two statements instead of two Sequelize queries; `work` gets a `Tx` for
 *   raw statements only (no model calls). On SQLite it is a Sequelize transaction either way.
 *
 * `autocommit` runs one statement on its own where the database allows it.
 */
import type { Sequelize, Transaction } from "sequelize";
import { isLockError } from "./resilience/transient.ts";
import { driverTransaction, type Tx } from "./sql.ts";

const ATTEMPTS = 4;

export interface TransactionOptions {
  /** Run the whole transaction again when it fails on a lock (or when this says so). */
  retry?: boolean | ((err: unknown) => boolean);
  /** Raw statements only, on the driver (MariaDB/MySQL): `work` gets a `Tx`. */
  raw?: boolean;
}

export function transaction<T>(
  sequelize: Sequelize,
  work: (t: Transaction) => Promise<T>,
  opts?: TransactionOptions & { raw?: false },
): Promise<T>;
export function transaction<T>(
  sequelize: Sequelize,
  work: (t: Tx) => Promise<T>,
  opts: TransactionOptions & { raw: true },
): Promise<T>;
export function transaction<T>(
  sequelize: Sequelize,
  work: (t: Transaction) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  const once =
    opts.raw && sequelize.getDialect() !== "sqlite"
      ? () => driverTransaction(sequelize, work as (t: Tx) => Promise<T>)
      : () => queued(sequelize, work);
  if (!opts.retry) return once();
  return retrying(once, opts.retry === true ? isLockError : opts.retry);
}

/**
 * One statement on its own: MariaDB commits it by itself (no START TRANSACTION / COMMIT round
 * trips, no transaction object), SQLite queues it with the other writers. `work` gets the
 * transaction to pass on, or undefined. Rerun like `transaction(…, { retry: true })` on a lock.
 */
export function autocommit<T>(
  sequelize: Sequelize,
  work: (t: Transaction | undefined) => Promise<T>,
): Promise<T> {
  if (sequelize.getDialect() === "sqlite") return transaction(sequelize, work, { retry: true });
  return retrying(() => work(undefined), isLockError);
}

async function retrying<T>(run: () => Promise<T>, again: (err: unknown) => boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= ATTEMPTS || !again(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.random() * 20 * attempt));
    }
  }
}

const sqliteLocks = new WeakMap<Sequelize, Promise<unknown>>();

/** A Sequelize transaction; on SQLite after the node's previous one ended (one writer). */
function queued<T>(sequelize: Sequelize, work: (t: Transaction) => Promise<T>): Promise<T> {
  if (sequelize.getDialect() !== "sqlite") return sequelize.transaction(work);
  const previous = sqliteLocks.get(sequelize) ?? Promise.resolve();
  const run = previous.then(
    () => sequelize.transaction(work),
    () => sequelize.transaction(work),
  );
  sqliteLocks.set(
    sequelize,
    run.catch(() => undefined),
  );
  return run;
}

/** Rerun whole on a lock error (work whose sole effects are its writes). */
export const RETRY = { retry: true } as const;
/** Raw statements on the driver, rerun whole on a lock error. */
export const RAW_RETRY = { raw: true, retry: true } as const;
