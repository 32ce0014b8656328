/**
 * The database connection of a node: one Sequelize instance shared by the services the node
 * hosts (each service still owns its own tables). SQLite in the embedded mode, MariaDB/MySQL in
 * cluster mode. Connecting fails fast with a message that names the database and the cause.
 */
import { createRequire } from "node:module";
import { DatabaseError, QueryTypes, Sequelize, Transaction, type Options } from "sequelize";
import { redact } from "./config.ts";
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

const sqliteLocks = new WeakMap<Sequelize, Promise<unknown>>();

/**
 * Runs `work` in one transaction. SQLite allows one writer: in the embedded mode transactions
 * are queued in-process instead of spinning on SQLITE_BUSY. MariaDB runs them concurrently.
 */
export function withTransaction<T>(
  sequelize: Sequelize,
  work: (t: Transaction) => Promise<T>,
): Promise<T> {
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

/** What a write statement reports. */
export interface WriteOutcome {
  affectedRows: number;
  /** MariaDB/MySQL: the AUTO_INCREMENT id or LAST_INSERT_ID(x) value; SQLite: always 0. */
  insertId: number;
}

interface DriverConnection {
  query(sql: string, values: unknown[], done: (err: Error | null, result: unknown) => void): void;
}

/**
 * One statement straight to mysql2 over Sequelize's own pool, for the hottest paths (adding to a
 * cart, products.getMany). Sequelize's query() costs about as much CPU again as the driver:
 * it captures a stack trace on every call (`new Error()` in its mysql Query.run) and re-parses
 * the SQL for its replacements. Positional `?` values (arrays expand to lists); never inside a
 * transaction (each statement commits on its own); failures are rethrown as Sequelize's
 * DatabaseError. SQLite goes through sequelize.query: it is in-process.
 */
async function driverQuery(sequelize: Sequelize, sql: string, values: unknown[]): Promise<unknown> {
  const log = (sequelize as unknown as { options: Options }).options.logging;
  if (typeof log === "function") log(`${sql} -- ${JSON.stringify(values)}`);
  const pool = sequelize.connectionManager;
  const connection = (await pool.getConnection({ type: "write" })) as DriverConnection;
  try {
    return await new Promise((resolve, reject) =>
      connection.query(sql, values, (err, result) => (err ? reject(err) : resolve(result))),
    );
  } catch (err) {
    throw new DatabaseError(err as Error & { sql: string });
  } finally {
    pool.releaseConnection(connection as never);
  }
}

/** Rows of a SELECT, through the driver on MariaDB/MySQL (see driverQuery). */
export async function selectRows<T extends object>(
  sequelize: Sequelize,
  sql: string,
  values: unknown[],
): Promise<T[]> {
  if (sequelize.getDialect() === "sqlite") {
    return sequelize.query<T>(sql, { replacements: values, type: QueryTypes.SELECT });
  }
  return (await driverQuery(sequelize, sql, values)) as T[];
}

/** An INSERT, UPDATE or DELETE, through the driver on MariaDB/MySQL (see driverQuery). */
export async function writeRows(
  sequelize: Sequelize,
  sql: string,
  values: unknown[],
): Promise<WriteOutcome> {
  if (sequelize.getDialect() === "sqlite") {
    // BULKUPDATE: Sequelize runs any statement with this type as a write and returns its changes.
    const changes = await sequelize.query(sql, {
      replacements: values,
      type: QueryTypes.BULKUPDATE,
    });
    return { affectedRows: Number(changes), insertId: 0 };
  }
  const header = (await driverQuery(sequelize, sql, values)) as WriteOutcome;
  return { affectedRows: header.affectedRows, insertId: Number(header.insertId) };
}
