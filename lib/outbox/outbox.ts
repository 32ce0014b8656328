/**
 * A transactional outbox. A service writes a message in the same database transaction as the
 * state change that causes it, so the message exists exactly when the change does; a relay on
 * every node of the service then delivers it to an idempotent consumer until the consumer
 * acknowledges (returns). Nothing lives only in memory: a crashed node's claimed messages are
 * retried by any node once their lease ends.
 *
 * Claiming is safe with several relays: a row is taken by a conditional update (still
 * undelivered, still due) that stamps a claim token and pushes `nextAttemptAt` past a lease;
 * another relay's update of the same row then matches nothing. When the lease ends without an
 * acknowledgement (the relay died), any relay may take the row again.
 * Delivery is therefore at least once, and consumers must be idempotent.
 */
import { randomBytes } from "node:crypto";
import {
  DataTypes,
  Model,
  Op,
  literal,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type QueryInterface,
  type Sequelize,
  type Transaction,
} from "sequelize";
import { insertRow, writeRows, type Tx } from "../sql.ts";
import { autocommit } from "../transactions.ts";
import { idColumn } from "../model-helpers.ts";

/** The table of one service's outbox (each service owns its own). */
export async function createOutboxTable(qi: QueryInterface, table: string): Promise<void> {
  await qi.createTable(table, {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    topic: { type: DataTypes.STRING(64), allowNull: false },
    payload: { type: DataTypes.TEXT, allowNull: false },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    nextAttemptAt: { type: DataTypes.DATE(3), allowNull: false },
    claimToken: { type: DataTypes.STRING(32), allowNull: true },
    deliveredAt: { type: DataTypes.DATE(3), allowNull: true },
    lastError: { type: DataTypes.STRING(500), allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex(table, ["deliveredAt", "nextAttemptAt"], { name: `${table}_due` });
  await qi.addIndex(table, ["claimToken"], { name: `${table}_claim` });
}

export interface OutboxMessage {
  id: string;
  topic: string;
  /** As the producer wrote it, back from JSON: the consumer knows its topic's shape. */
  payload: unknown;
  attempts: number;
}

/** Delivers one message; resolving acknowledges it, throwing retries it later. */
export type Deliver = (message: OutboxMessage) => Promise<void>;

/** Thrown by a consumer that can never succeed: the message is set aside with its error. */
export class Undeliverable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Undeliverable";
  }
}

export interface OutboxLogger {
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface OutboxOptions {
  table: string;
  /** How long a claimed message is left to its relay before another may retry it. */
  leaseMs: number;
  batchSize?: number;
  /** Longest pause between two attempts at one message. */
  maxBackoffMs?: number;
  logger?: OutboxLogger;
}

class OutboxRow extends Model<InferAttributes<OutboxRow>, InferCreationAttributes<OutboxRow>> {
  declare id: CreationOptional<string>;
  declare topic: string;
  declare payload: string;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date;
  declare claimToken: CreationOptional<string | null>;
  declare deliveredAt: CreationOptional<Date | null>;
  declare lastError: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
}

export class Outbox {
  readonly model: ModelStatic<OutboxRow>;
  private readonly sequelize: Sequelize;
  private readonly opts: Required<Omit<OutboxOptions, "logger">> & { logger?: OutboxLogger };

  constructor(sequelize: Sequelize, opts: OutboxOptions) {
    this.sequelize = sequelize;
    this.opts = { batchSize: 50, maxBackoffMs: 15_000, ...opts };
    class Row extends OutboxRow {}
    Row.init(
      {
        id: idColumn(),
        topic: { type: DataTypes.STRING(64), allowNull: false },
        payload: { type: DataTypes.TEXT, allowNull: false },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        nextAttemptAt: { type: DataTypes.DATE(3), allowNull: false },
        claimToken: { type: DataTypes.STRING(32), allowNull: true },
        deliveredAt: { type: DataTypes.DATE(3), allowNull: true },
        lastError: { type: DataTypes.STRING(500), allowNull: true },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: opts.table, modelName: `Outbox_${opts.table}`, updatedAt: false },
    );
    this.model = Row;
  }

  /** Writes a message in the caller's transaction; `delayMs` defers its first delivery. */
  async add(t: Tx, topic: string, payload: unknown, delayMs = 0): Promise<string> {
    const now = new Date();
    return insertRow(
      this.sequelize,
      `INSERT INTO ${this.opts.table} (topic, payload, attempts, nextAttemptAt, createdAt) ` +
        "VALUES (?, ?, 0, ?, ?)",
      [topic, JSON.stringify(payload), new Date(now.getTime() + delayMs), now],
      t,
    );
  }

  /** Acknowledges messages in the caller's transaction (e.g. a reminder made moot). */
  async markDelivered(t: Tx | undefined, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await writeRows(
      this.sequelize,
      `UPDATE ${this.opts.table} SET deliveredAt = ? WHERE id IN (?) AND deliveredAt IS NULL`,
      [new Date(), ids],
      t,
    );
  }

  /** Claims the due messages (up to a batch) and delivers them; returns how many were claimed. */
  async relay(deliver: Deliver): Promise<number> {
    const now = new Date();
    // A plain read, then a conditional update by primary key: no range locks that could
    // deadlock with the transactions writing new messages, and each row goes to one relay.
    const due = await this.model.findAll({
      attributes: ["id"],
      where: { deliveredAt: null, nextAttemptAt: { [Op.lte]: now } },
      order: [["nextAttemptAt", "ASC"]],
      limit: this.opts.batchSize,
    });
    if (due.length === 0) return 0;
    const token = newToken();
    const claimed = await autocommit(this.sequelize, (t) =>
      this.claim(
        t,
        due.map((r) => r.id),
        token,
        now,
      ),
    );
    if (claimed > 0) await this.deliverClaimed(token, deliver);
    return claimed;
  }

  /**
   * Writes a message that the caller delivers itself right after its transaction commits
   * (`deliverOwned`): its first attempt is due only when the lease ends, so no relay claims it
   * meanwhile, and a relay delivers it then only if the caller died or failed. Saves the claim.
   */
  async addOwned(t: Tx, topic: string, payload: unknown): Promise<OutboxMessage> {
    const id = await this.add(t, topic, payload, this.opts.leaseMs);
    return { id, topic, payload, attempts: 0 };
  }

  /** Delivers messages written by `addOwned` (after their commit), and records the outcomes. */
  async deliverOwned(messages: readonly OutboxMessage[], deliver: Deliver): Promise<void> {
    if (messages.length === 0) return;
    const outcomes = await Promise.all(messages.map((m) => this.attempt(m, deliver)));
    const done = messages.filter((_, i) => outcomes[i].ok).map((m) => m.id);
    try {
      if (done.length > 0) await autocommit(this.sequelize, (t) => this.markDelivered(t, done));
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.ok) continue;
        await autocommit(this.sequelize, (t) =>
          this.model.update(this.changesFor(outcome, messages[i].attempts + 1), {
            where: { id: messages[i].id, deliveredAt: null },
            transaction: t,
          }),
        );
      }
    } catch (err) {
      // Unrecorded, the lease runs out and a relay delivers again: consumers are idempotent.
      this.opts.logger?.warn(`Outbox ${this.opts.table}: cannot record a delivery`, err);
    }
  }

  /** Messages not yet acknowledged. */
  async undelivered(): Promise<number> {
    return this.model.count({ where: { deliveredAt: null } });
  }

  /** Deletes acknowledged messages older than the given age. */
  async purgeDelivered(olderThanMs: number): Promise<number> {
    return autocommit(this.sequelize, (t) =>
      this.model.destroy({
        where: { deliveredAt: { [Op.lt]: new Date(Date.now() - olderThanMs) } },
        transaction: t,
      }),
    );
  }

  private async claim(
    t: Transaction | undefined,
    ids: readonly string[],
    token: string,
    now: Date,
  ): Promise<number> {
    const [count] = await this.model.update(
      {
        claimToken: token,
        nextAttemptAt: new Date(now.getTime() + this.opts.leaseMs),
        attempts: literal("attempts + 1") as unknown as number,
      },
      {
        where: { id: [...ids], deliveredAt: null, nextAttemptAt: { [Op.lte]: now } },
        transaction: t,
      },
    );
    return count;
  }

  private async deliverClaimed(token: string, deliver: Deliver): Promise<void> {
    const rows = await this.model.findAll({ where: { claimToken: token, deliveredAt: null } });
    await Promise.all(rows.map((row) => this.deliverOne(row, token, deliver)));
  }

  private async deliverOne(row: OutboxRow, token: string, deliver: Deliver): Promise<void> {
    const message: OutboxMessage = {
      id: String(row.id),
      topic: row.topic,
      payload: JSON.parse(row.payload),
      attempts: row.attempts,
    };
    const outcome = await this.attempt(message, deliver);
    try {
      await autocommit(this.sequelize, (t) =>
        this.model.update(this.changesFor(outcome, row.attempts), {
          where: { id: row.id, claimToken: token, deliveredAt: null },
          transaction: t,
        }),
      );
    } catch (err) {
      // The lease runs out and the message is delivered again: consumers are idempotent.
      this.opts.logger?.warn(`Outbox ${this.opts.table}: cannot record #${row.id}`, err);
    }
  }

  private async attempt(message: OutboxMessage, deliver: Deliver): Promise<Outcome> {
    try {
      await deliver(message);
      return { ok: true };
    } catch (err) {
      const retry = !(err instanceof Undeliverable);
      const outcome = { ok: false as const, retry, error: describe(err) };
      const log = retry ? this.opts.logger?.warn : this.opts.logger?.error;
      log?.call(
        this.opts.logger,
        `Outbox ${this.opts.table}: ${message.topic} #${message.id} ${retry ? "will be retried" : "is undeliverable"} (attempt ${message.attempts}): ${outcome.error}`,
      );
      return outcome;
    }
  }

  /** The row's new state after an attempt: delivered, set aside, or due again after a pause. */
  private changesFor(outcome: Outcome, attempts: number) {
    const now = new Date();
    if (outcome.ok) return { deliveredAt: now, lastError: null };
    if (!outcome.retry) return { deliveredAt: now, lastError: outcome.error };
    return {
      nextAttemptAt: new Date(now.getTime() + this.backoff(attempts)),
      lastError: outcome.error,
    };
  }

  private backoff(attempts: number): number {
    const base = Math.min(this.opts.maxBackoffMs, 250 * 2 ** Math.max(0, attempts - 1));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }
}

type Outcome = { ok: true } | { ok: false; retry: boolean; error: string };

function newToken(): string {
  return randomBytes(12).toString("hex");
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; type?: string };
  return `${e?.name ?? "Error"}${e?.type ? ` ${e.type}` : ""}: ${e?.message ?? String(err)}`.slice(
    0,
    500,
  );
}
