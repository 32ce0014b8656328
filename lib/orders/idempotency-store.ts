/**
 * Idempotency keys in the database, so that every orders node agrees (API.md "Idempotency").
 * The unique row per (user, route, key) is the lock: whoever inserts it runs the request; a
 * concurrent duplicate waits briefly for the outcome and replays it, or gets 409
 * IDEMPOTENCY_KEY_IN_PROGRESS. A lock older than `lockMs` belongs to a crashed node and is taken
 * over: the request runs again, and every step it takes resumes instead of repeating.
 */
import { Op, UniqueConstraintError, type Sequelize } from "sequelize";
import { insertRow, writeRows } from "../sql.ts";
import { autocommit } from "../transactions.ts";
import { ConflictError, UnprocessableError } from "../errors.ts";
import { isRemembered } from "./idempotency.ts";
import type { IdempotencyKey } from "./models.ts";

export interface IdempotencyDeps {
  sequelize: Sequelize;
  IdempotencyKey: typeof IdempotencyKey;
  /** After this long without an outcome, the request is presumed crashed and may be taken over. */
  lockMs: number;
  /** How long a duplicate waits for the first request's outcome before answering 409. */
  waitMs: number;
  /** How long an outcome is kept (API.md: at least 24 h). */
  retentionMs: number;
}

export interface IdempotentRequest {
  scope: string;
  userId: string;
  route: string;
  requestHash: string;
}

export type Start = { kind: "run"; id: string } | { kind: "replay"; status: number; body: unknown };

/** Takes the key (run the request) or returns the stored outcome to replay. */
export async function startRequest(deps: IdempotencyDeps, req: IdempotentRequest): Promise<Start> {
  const { IdempotencyKey: Key } = deps;
  const deadline = Date.now() + deps.waitMs;
  for (;;) {
    const now = new Date();
    try {
      const id = await autocommit(deps.sequelize, (t) =>
        insertRow(
          deps.sequelize,
          "INSERT INTO idempotency_keys (scope, userId, route, requestHash, status, lockedUntil, " +
            "expiresAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'in_progress', ?, ?, ?, ?)",
          [
            req.scope,
            req.userId,
            req.route,
            req.requestHash,
            new Date(now.getTime() + deps.lockMs),
            new Date(now.getTime() + deps.retentionMs),
            now,
            now,
          ],
          t,
        ),
      );
      return { kind: "run", id };
    } catch (err) {
      if (!(err instanceof UniqueConstraintError)) throw err;
    }
    const row = await Key.findOne({ where: { scope: req.scope } });
    if (!row) continue;
    if (row.expiresAt.getTime() <= now.getTime()) {
      await autocommit(deps.sequelize, (t) =>
        Key.destroy({ where: { id: row.id, expiresAt: { [Op.lte]: now } }, transaction: t }),
      );
      continue;
    }
    if (row.requestHash !== req.requestHash) {
      throw new UnprocessableError(
        "This Idempotency-Key was already used with a different request",
        "IDEMPOTENCY_KEY_REUSED",
      );
    }
    if (row.status === "completed") {
      return {
        kind: "replay",
        status: row.responseStatus ?? 200,
        body: JSON.parse(row.responseBody ?? "null"),
      };
    }
    if (row.lockedUntil.getTime() <= now.getTime()) {
      const [taken] = await autocommit(deps.sequelize, (t) =>
        Key.update(
          { lockedUntil: new Date(now.getTime() + deps.lockMs) },
          {
            where: { id: row.id, status: "in_progress", lockedUntil: row.lockedUntil },
            transaction: t,
          },
        ),
      );
      if (taken === 1) return { kind: "run", id: String(row.id) };
      continue;
    }
    if (Date.now() >= deadline) {
      throw new ConflictError(
        "A request with this Idempotency-Key is still being processed; retry shortly",
        "IDEMPOTENCY_KEY_IN_PROGRESS",
      );
    }
    await sleep(40 + Math.random() * 40);
  }
}

/**
 * Takes a key with its outcome already known (a request refused before it wrote anything):
 * one insert, the key and its answer at once. With `unlessOrder`, only while no order carries
 * the key's scope as its checkout key (an earlier run of the key left one: it is to be resumed,
 * not refused). False when not stored, or when the key exists (a retry, or the same request
 * running elsewhere): the caller then goes through `startRequest`.
 */
export async function recordOutcome(
  deps: IdempotencyDeps,
  req: IdempotentRequest,
  status: number,
  body: unknown,
  opts: { unlessOrder?: boolean } = {},
): Promise<boolean> {
  const now = new Date();
  const values = [
    req.scope,
    req.userId,
    req.route,
    req.requestHash,
    now,
    status,
    JSON.stringify(body ?? null),
    new Date(now.getTime() + deps.retentionMs),
    now,
    now,
  ];
  const sql =
    "INSERT INTO idempotency_keys (scope, userId, route, requestHash, status, lockedUntil, " +
    "responseStatus, responseBody, expiresAt, createdAt, updatedAt) " +
    (opts.unlessOrder
      ? "SELECT ?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ? WHERE NOT EXISTS " +
        "(SELECT 1 FROM orders WHERE checkoutKey = ?)"
      : "VALUES (?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?)");
  if (opts.unlessOrder) values.push(req.scope);
  try {
    const { affectedRows } = await autocommit(deps.sequelize, (t) =>
      writeRows(deps.sequelize, sql, values, t),
    );
    return affectedRows === 1;
  } catch (err) {
    if (err instanceof UniqueConstraintError) return false;
    throw err;
  }
}

/** Stores the outcome for replay, or releases the key when the outcome is not remembered. */
export async function finishRequest(
  deps: IdempotencyDeps,
  id: string,
  status: number,
  body: unknown,
): Promise<void> {
  const [sql, values] = isRemembered(status)
    ? [
        "UPDATE idempotency_keys SET status = 'completed', responseStatus = ?, responseBody = ?, " +
          "updatedAt = ? WHERE id = ? AND status = 'in_progress'",
        [status, JSON.stringify(body ?? null), new Date(), id],
      ]
    : ["DELETE FROM idempotency_keys WHERE id = ? AND status = 'in_progress'", [id]];
  await autocommit(deps.sequelize, (t) => writeRows(deps.sequelize, sql, values, t));
}

/** Deletes outcomes past their retention. */
export async function purgeExpiredKeys(deps: IdempotencyDeps): Promise<number> {
  return autocommit(deps.sequelize, (t) =>
    deps.IdempotencyKey.destroy({
      where: { expiresAt: { [Op.lt]: new Date() } },
      transaction: t,
    }),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
