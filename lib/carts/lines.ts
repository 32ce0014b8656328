/**
 * The carts service's table: one row per (user, product) line (lib/migrations/0003-carts.ts).
 * Every write is one statement, atomic without an explicit transaction, and every query is raw
 * SQL: adding to a cart is a hot path, and Sequelize's model instances cost more CPU than the
 * round trips themselves.
 */
import { QueryTypes, type Sequelize } from "sequelize";

export interface CartLine {
  productId: string;
  quantity: number;
}

/** What an add did, and the line's quantity afterwards (refused: as it stands). */
export interface AddOutcome {
  added: boolean;
  quantity: number;
}

/** Reads and writes one user's lines; every method takes the user id from the caller's token. */
export class CartLines {
  private readonly sequelize: Sequelize;
  private readonly sqlite: boolean;

  constructor(sequelize: Sequelize) {
    this.sequelize = sequelize;
    this.sqlite = sequelize.getDialect() === "sqlite";
  }

  /** The user's lines, oldest first. */
  async list(userId: string): Promise<CartLine[]> {
    const rows = await this.sequelize.query<{ productId: unknown; quantity: unknown }>(
      "SELECT productId, quantity FROM cart_items WHERE userId = :userId " +
        "ORDER BY createdAt, productId",
      { replacements: { userId }, type: QueryTypes.SELECT },
    );
    return rows.map((r) => ({ productId: String(r.productId), quantity: Number(r.quantity) }));
  }

  /**
   * Adds `quantity` to the line (creating it) unless the line would then hold more than `cap`,
   * in one statement: concurrent adds of the same product neither lose an increment nor pass
   * the cap.
   */
  async add(userId: string, productId: string, quantity: number, cap: number): Promise<AddOutcome> {
    if (quantity > cap) return { added: false, quantity: await this.quantity(userId, productId) };
    const replacements = { userId, productId, quantity, cap, now: new Date() };
    if (this.sqlite) {
      // SQLite runs in-process: reading the line back costs no round trip.
      const [, changes] = await this.sequelize.query(
        "INSERT INTO cart_items (userId, productId, quantity, createdAt, updatedAt) " +
          "VALUES (:userId, :productId, :quantity, :now, :now) " +
          "ON CONFLICT (userId, productId) DO UPDATE SET " +
          "quantity = quantity + excluded.quantity, updatedAt = excluded.updatedAt " +
          "WHERE quantity + excluded.quantity <= :cap",
        { replacements, type: QueryTypes.INSERT },
      );
      return { added: changes > 0, quantity: await this.quantity(userId, productId) };
    }
    // LAST_INSERT_ID(x) hands the line's quantity back in the OK packet (insertId); a new line
    // reports 0 (the table has no AUTO_INCREMENT). affectedRows: 1 inserted, 2 updated, 0 refused
    // (Sequelize connects without CLIENT_FOUND_ROWS). updatedAt is assigned first: it must see
    // the quantity before this add.
    const [insertId, affectedRows] = await this.sequelize.query(
      "INSERT INTO cart_items (userId, productId, quantity, createdAt, updatedAt) " +
        "VALUES (:userId, :productId, :quantity, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)) " +
        "ON DUPLICATE KEY UPDATE " +
        "updatedAt = IF(quantity + VALUES(quantity) <= :cap, VALUES(updatedAt), updatedAt), " +
        "quantity = LAST_INSERT_ID(" +
        "IF(quantity + VALUES(quantity) <= :cap, quantity + VALUES(quantity), quantity))",
      { replacements, type: QueryTypes.INSERT },
    );
    if (affectedRows === 2) return { added: true, quantity: Number(insertId) };
    if (affectedRows === 1 && Number(insertId) === 0) return { added: true, quantity };
    return { added: false, quantity: Number(insertId) };
  }

  /** Sets the line's quantity (creating it). */
  async set(userId: string, productId: string, quantity: number): Promise<void> {
    const merge = this.sqlite
      ? "ON CONFLICT (userId, productId) DO UPDATE SET " +
        "quantity = excluded.quantity, updatedAt = excluded.updatedAt"
      : "ON DUPLICATE KEY UPDATE quantity = VALUES(quantity), updatedAt = VALUES(updatedAt)";
    await this.sequelize.query(
      "INSERT INTO cart_items (userId, productId, quantity, createdAt, updatedAt) " +
        `VALUES (:userId, :productId, :quantity, ${this.now()}, ${this.now()}) ${merge}`,
      { replacements: { userId, productId, quantity, now: new Date() }, type: QueryTypes.INSERT },
    );
  }

  async remove(userId: string, productId: string): Promise<void> {
    await this.sequelize.query(
      "DELETE FROM cart_items WHERE userId = :userId AND productId = :productId",
      { replacements: { userId, productId }, type: QueryTypes.DELETE },
    );
  }

  async clear(userId: string): Promise<void> {
    await this.sequelize.query("DELETE FROM cart_items WHERE userId = :userId", {
      replacements: { userId },
      type: QueryTypes.DELETE,
    });
  }

  /**
   * After a checkout: removes the ordered products' lines unless changed since `before` (the
   * moment the checkout read the cart). Lines added or changed since stay. Idempotent, so the
   * orders outbox may deliver it more than once.
   */
  async removeOrdered(userId: string, productIds: readonly string[], before: Date): Promise<void> {
    if (productIds.length === 0) return;
    // With its milliseconds (a Date replacement loses them on MariaDB/MySQL). Compared with
    // the database's clock there: a lagging orders clock leaves the lines, it never takes more.
    const at = this.sqlite ? before : before.toISOString().replace("T", " ").replace("Z", "");
    await this.sequelize.query(
      "DELETE FROM cart_items WHERE userId = :userId AND productId IN (:productIds) " +
        "AND updatedAt <= :before",
      {
        replacements: { userId, productIds: [...productIds], before: at },
        type: QueryTypes.DELETE,
      },
    );
  }

  /** The line's quantity, 0 without a line. */
  private async quantity(userId: string, productId: string): Promise<number> {
    const [line] = await this.sequelize.query<{ quantity: unknown }>(
      "SELECT quantity FROM cart_items WHERE userId = :userId AND productId = :productId",
      { replacements: { userId, productId }, type: QueryTypes.SELECT },
    );
    return line ? Number(line.quantity) : 0;
  }

  /** SQL for "now" with milliseconds (lines are listed in the order they were added). */
  private now(): string {
    // A Date replacement loses its milliseconds on MariaDB/MySQL; their own clock keeps them.
    return this.sqlite ? ":now" : "UTC_TIMESTAMP(3)";
  }
}
