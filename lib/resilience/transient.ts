/**
 * The one answer to "may this failure go away if the same thing is tried again?", for database
 * errors (a lock wait, a deadlock victim, a busy SQLite, a lost connection) and for calls to other
 * services (Moleculer's retryable errors, a service down or busy, a timeout, a 5xx from a
 * dependency). Everything else, a 4xx above all, is a definite answer: retrying cannot change it.
 */

/** MariaDB/MySQL: the transaction was chosen as a deadlock victim and rolled back whole. */
const ER_LOCK_DEADLOCK = 1213;
/** MariaDB/MySQL: innodb_lock_wait_timeout passed (the statement, or transaction, rolled back). */
const ER_LOCK_WAIT_TIMEOUT = 1205;
const LOCK_CODES = new Set([
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
]);

/** Moleculer's error types for "not now" (a few carry 4xx codes, e.g. QUEUE_FULL 429). */
const TRANSIENT_TYPES = new Set([
  "SERVICE_NOT_FOUND",
  "SERVICE_NOT_AVAILABLE",
  "REQUEST_TIMEOUT",
  "REQUEST_SKIPPED",
  "REQUEST_REJECTED",
  "QUEUE_FULL",
  "CIRCUIT_BREAKER_OPEN",
]);

/**
 * Sequelize's errors for a database that cannot serve now (no free pooled connection within the
 * acquire timeout, a refused or lost connection, a timeout). Matched by name, which survives the
 * transporter (Moleculer rebuilds unknown errors with their name).
 */
const DATABASE_UNAVAILABLE = new Set([
  "SequelizeConnectionAcquireTimeoutError",
  "SequelizeConnectionError",
  "SequelizeConnectionRefusedError",
  "SequelizeConnectionTimedOutError",
  "SequelizeHostNotFoundError",
  "SequelizeHostNotReachableError",
  "SequelizeInvalidConnectionError",
  "SequelizeTimeoutError",
]);

/** Node's socket errors of a connection that failed or broke. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
]);

/** HTTP-like codes of a dependency that may answer differently shortly. */
const TRANSIENT_STATUS = new Set([408, 429, 502, 503, 504]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  errno?: unknown;
  type?: unknown;
  retryable?: unknown;
  original?: unknown;
  parent?: unknown;
}

/** The error and the driver errors Sequelize wraps in it (`original`, `parent`). */
function layers(err: unknown): ErrorLike[] {
  if (typeof err !== "object" || err === null) return [];
  const e = err as ErrorLike;
  return [e, e.original, e.parent].filter(
    (x): x is ErrorLike => typeof x === "object" && x !== null,
  );
}

/**
 * A lock conflict in the database: a deadlock victim, a lock wait timeout, SQLite busy or locked.
 * A transaction that failed on one may be run again whole (it was rolled back).
 */
export function isLockError(err: unknown): boolean {
  return layers(err).some(
    (e) =>
      e.errno === ER_LOCK_DEADLOCK ||
      e.errno === ER_LOCK_WAIT_TIMEOUT ||
      (typeof e.code === "string" && LOCK_CODES.has(e.code)),
  );
}

/** The database cannot serve now (connection lost, refused, timed out), as Sequelize names it. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const name = (err as ErrorLike | null)?.name;
  return typeof name === "string" && DATABASE_UNAVAILABLE.has(name);
}

/** True when trying the same thing again later may succeed. */
export function isTransient(err: unknown): boolean {
  if (isLockError(err) || isDatabaseUnavailable(err)) return true;
  return layers(err).some(
    (e) =>
      e.retryable === true ||
      (typeof e.type === "string" && TRANSIENT_TYPES.has(e.type)) ||
      (typeof e.code === "number" && TRANSIENT_STATUS.has(e.code)) ||
      (typeof e.code === "string" && NETWORK_CODES.has(e.code)),
  );
}

/** A definite refusal by the callee (a 4xx that is not transient), as opposed to down or busy. */
export function isClientError(err: unknown): boolean {
  if (isTransient(err)) return false;
  const code = (err as ErrorLike | null)?.code;
  return typeof code === "number" && code >= 400 && code < 500;
}
