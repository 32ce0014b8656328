/**
 * The carts service's table: one row per (user, product) line (lib/migrations/0003-carts.ts).
 * Every write is one statement, atomic without an explicit transaction, and every query is raw
 * SQL sent through the driver (lib/sql.ts): adding to a cart is a hot path,
 * and Sequelize's model instances and query() cost more CPU than the round trips themselves.
 */
import type { Sequelize } from "sequelize";
import { selectRows, writeRows, type Tx } from "../sql.ts";
import { RAW_RETRY, transaction } from "../transactions.ts";
import { consumeClaim, type CartLine } from "./claims.ts";
import { lockCart } from "./head.ts";

export type { CartLine };

/** What an add did, and the line's quantity afterwards (refused: as it stands). */
export interface AddOutcome {
  added: boolean;
  quantity: number;
}

const INSERT = "INSERT INTO cart_items (userId, productId, quantity, createdAt, updatedAt) ";

/** Reads and writes one user's lines; every method takes the user id from the caller's token. */
export class CartLines {
  readonly sequelize: Sequelize;
  private readonly sqlite: boolean;

  constructor(sequelize: Sequelize) {
    this.sequelize = sequelize;
    this.sqlite = sequelize.getDialect() === "sqlite";
  }

  /** The user's lines, oldest first. */
  async list(userId: string): Promise<CartLine[]> {
    const rows = await selectRows<{ productId: unknown; quantity: unknown }>(
      this.sequelize,
      "SELECT productId, quantity FROM cart_items WHERE userId = ? ORDER BY createdAt, productId",
      [userId],
    );
    return rows.map((r) => ({ productId: String(r.productId), quantity: Number(r.quantity) }));
  }

  /**
   * Adds `quantity` to the line (creating it) unless the line would then hold more than `cap`,
   * in one statement: concurrent adds of the same product neither lose an increment nor pass
   * the cap.
   */
  async add(
    userId: string,
    productId: string,
    quantity: number,
    cap: number,
    tx?: Tx,
  ): Promise<AddOutcome> {
    if (quantity > cap) {
      return { added: false, quantity: await this.quantity(userId, productId, tx) };
    }
    if (this.sqlite) {
      // SQLite runs in-process: reading the line back costs no round trip.
      const { affectedRows } = await writeRows(
        this.sequelize,
        `${INSERT} VALUES (?, ?, ?, ?, ?) ON CONFLICT (userId, productId) DO UPDATE SET ` +
          "quantity = quantity + excluded.quantity, updatedAt = excluded.updatedAt " +
          "WHERE quantity + excluded.quantity <= ?",
        [userId, productId, quantity, new Date(), new Date(), cap],
        tx,
      );
      return { added: affectedRows > 0, quantity: await this.quantity(userId, productId, tx) };
    }
    // LAST_INSERT_ID(x) hands the line's quantity back in the OK packet (insertId); a new line
    // reports 0 (the table has no AUTO_INCREMENT). affectedRows: 1 inserted, 2 updated, 0 refused
    // (Sequelize connects without CLIENT_FOUND_ROWS). updatedAt is assigned first: it must see
    // the quantity before this add.
    const { insertId, affectedRows } = await writeRows(
      this.sequelize,
      `${INSERT} VALUES (?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE ` +
        "updatedAt = IF(quantity + VALUES(quantity) <= ?, VALUES(updatedAt), updatedAt), " +
        "quantity = LAST_INSERT_ID(" +
        "IF(quantity + VALUES(quantity) <= ?, quantity + VALUES(quantity), quantity))",
      [userId, productId, quantity, cap, cap],
      tx,
    );
    if (affectedRows === 2) return { added: true, quantity: insertId };
    if (affectedRows === 1 && insertId === 0) return { added: true, quantity };
    return { added: false, quantity: insertId };
  }

  /**
   * `add` for a line the cart did not have when the caller read it: under the cart's head lock
   * (lib/carts/head.ts), so that concurrent new lines never pass `maxLines`; "full" when the
   * cart has `maxLines` lines and none of this product.
   */
  async addLine(
    userId: string,
    productId: string,
    quantity: number,
    cap: number,
    maxLines: number,
  ): Promise<AddOutcome | "full"> {
    return transaction(
      this.sequelize,
      async (tx) => {
        await lockCart(this.sequelize, tx, userId);
        if (await this.isFull(userId, productId, maxLines, tx)) return "full" as const;
        return this.add(userId, productId, quantity, cap, tx);
      },
      RAW_RETRY,
    );
  }

  /** `set` for a line the cart did not have when the caller read it (see `addLine`). */
  async setLine(
    userId: string,
    productId: string,
    quantity: number,
    maxLines: number,
  ): Promise<"set" | "full"> {
    return transaction(
      this.sequelize,
      async (tx) => {
        await lockCart(this.sequelize, tx, userId);
        if (await this.isFull(userId, productId, maxLines, tx)) return "full" as const;
        await this.set(userId, productId, quantity, tx);
        return "set" as const;
      },
      RAW_RETRY,
    );
  }

  /** True when the cart holds `maxLines` lines, none of them this product's. */
  private async isFull(userId: string, productId: string, maxLines: number, tx: Tx) {
    const [row] = await selectRows<{ n: unknown; mine: unknown }>(
      this.sequelize,
      "SELECT COUNT(*) AS n, SUM(productId = ?) AS mine FROM cart_items WHERE userId = ?",
      [productId, userId],
      tx,
    );
    return Number(row?.mine ?? 0) === 0 && Number(row?.n ?? 0) >= maxLines;
  }

  /** Sets the line's quantity (creating it). */
  async set(userId: string, productId: string, quantity: number, tx?: Tx): Promise<void> {
    // A Date loses its milliseconds on MariaDB/MySQL; their own clock keeps them (lines are
    // listed in the order they were added).
    const sql = this.sqlite
      ? `${INSERT} VALUES (?, ?, ?, ?, ?) ON CONFLICT (userId, productId) DO UPDATE SET ` +
        "quantity = excluded.quantity, updatedAt = excluded.updatedAt"
      : `${INSERT} VALUES (?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)) ` +
        "ON DUPLICATE KEY UPDATE quantity = VALUES(quantity), updatedAt = VALUES(updatedAt)";
    const now = this.sqlite ? [new Date(), new Date()] : [];
    await writeRows(this.sequelize, sql, [userId, productId, quantity, ...now], tx);
  }

  async remove(userId: string, productId: string): Promise<void> {
    await writeRows(this.sequelize, "DELETE FROM cart_items WHERE userId = ? AND productId = ?", [
      userId,
      productId,
    ]);
  }

  async clear(userId: string): Promise<void> {
    await writeRows(this.sequelize, "DELETE FROM cart_items WHERE userId = ?", [userId]);
  }

  /**
   * After a checkout: removes the ordered products' lines unless changed since `before` (the
   * moment the checkout read the cart). Lines added or changed since stay. Idempotent, so the
   * orders outbox may deliver it more than once. Given the order, its cart claim ends with it
   * (lib/carts/claims.ts), in the same transaction.
   */
  async removeOrdered(
    userId: string,
    productIds: readonly string[],
    before: Date,
    orderId?: string,
  ): Promise<void> {
    if (!orderId) return this.removeLines(userId, productIds, before);
    await transaction(
      this.sequelize,
      async (tx) => {
        await lockCart(this.sequelize, tx, userId);
        await this.removeLines(userId, productIds, before, tx);
        await consumeClaim(this.sequelize, tx, orderId);
      },
      RAW_RETRY,
    );
  }

  private async removeLines(
    userId: string,
    productIds: readonly string[],
    before: Date,
    tx?: Tx,
  ): Promise<void> {
    if (productIds.length === 0) return;
    // With its milliseconds (a Date replacement loses them on MariaDB/MySQL). Compared with
    // the database's clock there: a lagging orders clock leaves the lines, it never takes more.
    const at = this.sqlite ? before : before.toISOString().replace("T", " ").replace("Z", "");
    await writeRows(
      this.sequelize,
      "DELETE FROM cart_items WHERE userId = ? AND productId IN (?) AND updatedAt <= ?",
      [userId, [...productIds], at],
      tx,
    );
  }

  /** The line's quantity, 0 without a line. */
  private async quantity(userId: string, productId: string, tx?: Tx): Promise<number> {
    const [line] = await selectRows<{ quantity: unknown }>(
      this.sequelize,
      "SELECT quantity FROM cart_items WHERE userId = ? AND productId = ?",
      [userId, productId],
      tx,
    );
    return line ? Number(line.quantity) : 0;
  }
}
