/**
 * isTransient (lib/resilience/transient.ts): the one list of failures that may go away when the
 * same thing is tried again, and isClientError, its definite 4xx counterpart.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Errors, ServiceBroker } from "moleculer";
import {
  ConnectionAcquireTimeoutError,
  ConnectionRefusedError,
  DatabaseError,
  TimeoutError,
  UniqueConstraintError,
  ValidationError as SequelizeValidationError,
} from "sequelize";
import {
  ConflictError,
  NotFoundError,
  UnavailableError,
  UnprocessableError,
} from "../../lib/errors.ts";
import { isClientError, isLockError, isTransient } from "../../lib/resilience/transient.ts";

/** A driver error as mysql2 / sqlite3 raise it, wrapped the way Sequelize and lib/sql.ts do. */
function driver(fields: { errno?: number; code?: string }, message = "driver"): DatabaseError {
  const e = Object.assign(new Error(message), fields, { sql: "UPDATE t SET x = 1" });
  return new DatabaseError(e as Error & { sql: string });
}

const node = { nodeID: "n1" } as never;

/** [description, error, transient, lock error, client error] */
const CASES: [string, unknown, boolean, boolean, boolean][] = [
  [
    "MariaDB deadlock victim (errno 1213)",
    driver({ errno: 1213, code: "ER_LOCK_DEADLOCK" }),
    true,
    true,
    false,
  ],
  [
    "MariaDB lock wait timeout (errno 1205)",
    driver({ errno: 1205, code: "ER_LOCK_WAIT_TIMEOUT" }),
    true,
    true,
    false,
  ],
  ["deadlock named by code only", driver({ code: "ER_LOCK_DEADLOCK" }), true, true, false],
  [
    "lock wait timeout as SequelizeTimeoutError",
    new TimeoutError(
      Object.assign(new Error("Lock wait timeout exceeded"), { sql: "x", errno: 1205 }) as never,
    ),
    true,
    true,
    false,
  ],
  ["SQLite busy", driver({ code: "SQLITE_BUSY", errno: 5 }), true, true, false],
  ["SQLite locked", driver({ code: "SQLITE_LOCKED", errno: 6 }), true, true, false],
  [
    "no pooled connection in time",
    new ConnectionAcquireTimeoutError(new Error("timeout")),
    true,
    false,
    false,
  ],
  [
    "database connection refused",
    new ConnectionRefusedError(Object.assign(new Error("r"), { code: "ECONNREFUSED" })),
    true,
    false,
    false,
  ],
  ["a socket reset", Object.assign(new Error("reset"), { code: "ECONNRESET" }), true, false, false],
  [
    "Moleculer: service not found",
    new Errors.ServiceNotFoundError({ action: "products.reserve" }),
    true,
    false,
    false,
  ],
  [
    "Moleculer: service not available",
    new Errors.ServiceNotAvailableError({ action: "products.reserve", nodeID: "n1" }),
    true,
    false,
    false,
  ],
  [
    "Moleculer: request timeout",
    new Errors.RequestTimeoutError({ action: "a", nodeID: "n1" }),
    true,
    false,
    false,
  ],
  [
    "Moleculer: request skipped",
    new Errors.RequestSkippedError({ action: "a", nodeID: "n1" }),
    true,
    false,
    false,
  ],
  [
    "Moleculer: request rejected (node left)",
    new Errors.RequestRejectedError({ action: "a", nodeID: "n1" }),
    true,
    false,
    false,
  ],
  [
    "Moleculer: queue full (429)",
    new Errors.QueueIsFullError({ action: "a", nodeID: "n1", size: 1, limit: 1 }),
    true,
    false,
    false,
  ],
  [
    "Moleculer: any retryable error",
    new Errors.MoleculerRetryableError("flaky", 500, "FLAKY"),
    true,
    false,
    false,
  ],
  [
    "circuit breaker open (rebuilt, by type)",
    { name: "MoleculerError", code: 503, type: "CIRCUIT_BREAKER_OPEN" },
    true,
    false,
    false,
  ],
  [
    "a dependency's 503",
    new UnavailableError("Payments are unavailable", "PAYMENT_UNAVAILABLE"),
    true,
    false,
    false,
  ],
  [
    "a gateway timeout (504)",
    { name: "GatewayTimeoutError", code: 504, type: "TIMEOUT" },
    true,
    false,
    false,
  ],
  [
    "a rate limit (429)",
    { name: "RateLimitedError", code: 429, type: "RATE_LIMITED" },
    true,
    false,
    false,
  ],
  ["404 not found", new NotFoundError("Order", "1"), false, false, true],
  ["409 conflict", new ConflictError("no", "OUT_OF_STOCK"), false, false, true],
  ["422 unprocessable", new UnprocessableError("no", "CART_EMPTY"), false, false, true],
  [
    "Moleculer validation error (422)",
    new Errors.ValidationError("bad", "VALIDATION_ERROR", []),
    false,
    false,
    true,
  ],
  [
    "a 4xx rebuilt from the transporter",
    { name: "MoleculerClientError", code: 409, type: "RESERVATION_REFUSED" },
    false,
    false,
    true,
  ],
  ["duplicate key", new UniqueConstraintError({ message: "dup" }), false, false, false],
  ["Sequelize validation", new SequelizeValidationError("bad", []), false, false, false],
  [
    "another database error (syntax)",
    driver({ errno: 1064, code: "ER_PARSE_ERROR" }),
    false,
    false,
    false,
  ],
  ["a bug (500)", new Error("undefined is not a function"), false, false, false],
  [
    "a plain internal error (500)",
    { name: "InternalError", code: 500, type: "INTERNAL_ERROR" },
    false,
    false,
    false,
  ],
  ["nothing", undefined, false, false, false],
  ["a string", "boom", false, false, false],
];

describe("isTransient", () => {
  for (const [what, err, transient, lock, client] of CASES) {
    it(`${what}: ${transient ? "transient" : "not transient"}${client ? ", a refusal" : ""}`, () => {
      assert.equal(isTransient(err), transient, "isTransient");
      assert.equal(isLockError(err), lock, "isLockError");
      assert.equal(isClientError(err), client, "isClientError");
    });
  }

  it("says the same after an error crossed the transporter", () => {
    const broker = new ServiceBroker({ logger: false });
    const regenerator = (
      broker as unknown as {
        errorRegenerator: {
          init(b: ServiceBroker): void;
          restore(plain: unknown, payload: unknown): unknown;
          extractPlainError(err: unknown, node: unknown): unknown;
        };
      }
    ).errorRegenerator;
    regenerator.init(broker);
    for (const [what, err, transient, , client] of CASES) {
      if (!(err instanceof Errors.MoleculerError)) continue;
      const crossed = regenerator.restore(regenerator.extractPlainError(err, node), {});
      assert.equal(isTransient(crossed), transient, what);
      assert.equal(isClientError(crossed), client, what);
    }
  });
});
