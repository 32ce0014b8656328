/**
 * SQL sent straight to the driver, for the hot paths (adding to a cart, products.getMany, and
 * every statement of a checkout: the order, its stock, its payment, the outboxes and the
 * idempotency key). Sequelize's query() costs about as much CPU again as mysql2 itself: it
 * captures a stack trace on every call (`new Error()` in its Query.run), re-parses the SQL for
 * its replacements, and a model call adds an instance, validation and SQL generation on top.
 * Here a statement is the text and its positional `?` values (arrays expand to lists), sent on
 * Sequelize's own pool: on a connection of its own (each statement commits by itself), or on a
 * transaction's, a raw one's or a Sequelize one's (lib/transactions.ts), so raw statements and
 * model calls can share a transaction where a path is only partly converted.
 *
 * SQLite runs in-process, so there everything goes through sequelize.query (same SQL, same `?`
 * values, the same queue of writers as the models).
 * Errors are Sequelize's: a duplicate key is a UniqueConstraintError, anything else a
 * DatabaseError whose `original` is the driver's error (lib/resilience/transient.ts reads its errno).
 */
import {
  DatabaseError,
  QueryTypes,
  UniqueConstraintError,
  type Options,
  type Sequelize,
  type Transaction,
} from "sequelize";

/** What a write statement reports. */
export interface WriteOutcome {
  affectedRows: number;
  /** MariaDB/MySQL: the AUTO_INCREMENT id or LAST_INSERT_ID(x) value; SQLite: always 0. */
  insertId: number;
}

interface DriverConnection {
  query(sql: string, values: unknown[], done: (err: Error | null, result: unknown) => void): void;
}

/** A raw transaction on MariaDB/MySQL (`driverTransaction`): the connection it holds. */
class DriverTransaction {
  readonly connection: DriverConnection;
  constructor(connection: DriverConnection) {
    this.connection = connection;
  }
}

/**
 * Where a statement runs when not on its own: a raw transaction (`driverTransaction`, only raw
 * statements), or a Sequelize transaction (raw statements and model calls alike).
 */
export type Tx = Transaction | DriverTransaction;

const DUPLICATE_KEY = 1062;

function send(connection: DriverConnection, sql: string, values: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) =>
    connection.query(sql, values, (err, result) => {
      if (!err) return resolve(result);
      const e = err as Error & { errno?: number; sql: string };
      reject(
        e.errno === DUPLICATE_KEY
          ? new UniqueConstraintError({ parent: e, message: e.message })
          : new DatabaseError(e),
      );
    }),
  );
}

function connectionOf(tx: Tx): DriverConnection {
  return (tx as { connection: DriverConnection }).connection;
}

async function driverQuery(
  sequelize: Sequelize,
  sql: string,
  values: unknown[],
  tx: Tx | undefined,
): Promise<unknown> {
  const log = (sequelize as unknown as { options: Options }).options.logging;
  if (typeof log === "function") log(`${sql} -- ${JSON.stringify(values)}`);
  if (tx) return send(connectionOf(tx), sql, values);
  const pool = sequelize.connectionManager;
  const connection = (await pool.getConnection({ type: "write" })) as DriverConnection;
  try {
    return await send(connection, sql, values);
  } finally {
    pool.releaseConnection(connection as never);
  }
}

const isSqlite = (sequelize: Sequelize) => sequelize.getDialect() === "sqlite";

/** Rows of a SELECT. */
export async function selectRows<T extends object>(
  sequelize: Sequelize,
  sql: string,
  values: unknown[],
  tx?: Tx,
): Promise<T[]> {
  if (isSqlite(sequelize)) {
    return sequelize.query<T>(sql, {
      replacements: values,
      type: QueryTypes.SELECT,
      transaction: tx as Transaction | undefined,
    });
  }
  return (await driverQuery(sequelize, sql, values, tx)) as T[];
}

/** An UPDATE or DELETE (or an INSERT whose id is not wanted). */
export async function writeRows(
  sequelize: Sequelize,
  sql: string,
  values: unknown[],
  tx?: Tx,
): Promise<WriteOutcome> {
  if (isSqlite(sequelize)) {
    // BULKUPDATE: Sequelize runs any statement with this type as a write and returns its changes.
    const changes = await sequelize.query(sql, {
      replacements: values,
      type: QueryTypes.BULKUPDATE,
      transaction: tx as Transaction | undefined,
    });
    return { affectedRows: Number(changes), insertId: 0 };
  }
  const header = (await driverQuery(sequelize, sql, values, tx)) as WriteOutcome;
  return { affectedRows: header.affectedRows, insertId: Number(header.insertId) };
}

/** An INSERT of one row; returns its AUTO_INCREMENT id as a string (ids are opaque). */
export async function insertRow(
  sequelize: Sequelize,
  sql: string,
  values: unknown[],
  tx?: Tx,
): Promise<string> {
  if (isSqlite(sequelize)) {
    const [lastId] = (await sequelize.query(sql, {
      replacements: values,
      type: QueryTypes.INSERT,
      transaction: tx as Transaction | undefined,
    })) as unknown as [number, number];
    return String(lastId);
  }
  const header = (await driverQuery(sequelize, sql, values, tx)) as WriteOutcome;
  return String(header.insertId);
}

/**
 * The suffix of a locking read: `FOR UPDATE` (the latest committed row, locked for writing) or
 * a shared lock. Empty on SQLite, whose writing transaction holds the whole database already
 * (BEGIN IMMEDIATE, lib/db.ts).
 */
export function lockingRead(sequelize: Sequelize, mode: "update" | "share"): string {
  if (isSqlite(sequelize)) return "";
  return mode === "update" ? " FOR UPDATE" : " LOCK IN SHARE MODE";
}

/** `?, ?, …`: the placeholders of one row of `n` values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

/**
 * One transaction of raw statements on a driver connection: START TRANSACTION and COMMIT are two
 * more statements on the driver, not two more Sequelize queries. MariaDB/MySQL only; run through
 * `transaction(…, { raw: true })` (lib/transactions.ts).
 */
export async function driverTransaction<T>(
  sequelize: Sequelize,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const pool = sequelize.connectionManager;
  const connection = (await pool.getConnection({ type: "write" })) as DriverConnection;
  let clean = false;
  try {
    await send(connection, "START TRANSACTION", []);
    const result = await work(new DriverTransaction(connection));
    await send(connection, "COMMIT", []);
    clean = true;
    return result;
  } catch (err) {
    clean = await send(connection, "ROLLBACK", []).then(
      () => true,
      () => false,
    );
    throw err;
  } finally {
    // A connection whose transaction could not be ended is in an unknown state: not reused.
    if (clean) pool.releaseConnection(connection as never);
    else await pool.destroyConnection(connection as never).catch(() => undefined);
  }
}
