/**
 * The database connection of a node: one Sequelize instance shared by the services the node
 * hosts (each service still owns its own tables). SQLite in the embedded mode, MariaDB/MySQL in
 * cluster mode. Connecting fails fast with a message that names the database and the cause.
 */
import { createRequire } from "node:module";
import { Sequelize, Transaction } from "sequelize";
import { redact } from "./redact.ts";
import { withTimeout } from "./timeout.ts";

const require = createRequire(import.meta.url);

export interface DatabaseOptions {
  url: string;
  /** Log each SQL statement (debugging only). */
  logSql?: boolean;
  poolMax?: number;
}

/**
 * Prepared statements kept per MySQL connection. Sequelize prepares every statement that has
 * bound values (inserts, `Model.update`) but writes some WHERE values into its text (lists for
 * IN, dates compared), so the outbox claims and payment leases make a new statement per order;
 * mysql2 keeps up to 16,000 per connection by default, never closed: in the node's heap, and on
 * the server, whose limit for all connections together is 16,382 (max_prepared_stmt_count),
 * which minutes of checkouts would reach. The statements that repeat stay cached; the others
 * are closed as they fall out.
 */
export const MAX_PREPARED_STATEMENTS = 64;

/** Creates (but does not connect) the Sequelize instance for a DATABASE_URL. */
export function createSequelize(opts: DatabaseOptions): Sequelize {
  const logging = opts.logSql ? (sql: string) => console.error(sql) : false;
  if (opts.url.startsWith("sqlite:")) {
    const storage = opts.url.slice("sqlite:".length) || ":memory:";
    return new Sequelize({
      dialect: "sqlite",
      storage,
      dialectModule: sqliteWithBusyTimeout(),
      logging,
      // Take the write lock at BEGIN so two writers never deadlock on a lock upgrade.
      transactionType: Transaction.TYPES.IMMEDIATE,
      define: { underscored: false },
    });
  }
  const url = opts.url.replace(/^mariadb:/, "mysql:");
  return new Sequelize(url, {
    dialect: "mysql",
    logging,
    timezone: "+00:00",
    dialectOptions: {
      connectTimeout: 5_000,
      decimalNumbers: true,
      supportBigNumbers: true,
      maxPreparedStatements: MAX_PREPARED_STATEMENTS,
    },
    pool: { max: opts.poolMax ?? 10, min: 0, acquire: 10_000, idle: 10_000 },
    retry: { max: 0 },
  });
}

/** Connects once, or throws an Error that says which database and why. */
export async function connectDatabase(sequelize: Sequelize, url: string): Promise<void> {
  try {
    await withTimeout(sequelize.authenticate({ logging: false }), 8_000, "timed out after 8 s");
    if (sequelize.getDialect() === "sqlite") {
      await sequelize.query("PRAGMA journal_mode = WAL");
      await sequelize.query("PRAGMA synchronous = NORMAL");
    }
  } catch (err) {
    const cause = (err as { original?: Error }).original ?? (err as Error);
    throw new Error(`Cannot connect to the database at ${redact(url)}: ${cause.message}`, {
      cause: err,
    });
  }
}

/**
 * sqlite3 whose every connection waits for locks instead of failing at once with SQLITE_BUSY,
 * and syncs like the main connection (WAL + NORMAL: a killed process loses nothing committed).
 * Sequelize opens one connection per transaction, so this is set on each, not once.
 */
function sqliteWithBusyTimeout(): object {
  const sqlite3 = require("sqlite3");
  class Database extends sqlite3.Database {
    constructor(file: string, mode: number, callback: (err: Error | null) => void) {
      super(file, mode, (err: Error | null) => {
        if (err) return callback(err);
        this.configure("busyTimeout", 15_000);
        this.exec("PRAGMA synchronous = NORMAL", (e: Error | null) => callback(e));
      });
    }
  }
  return { ...sqlite3, Database };
}
