/** The carts service's table: one row per (user, product) line (lib/migrations/0003-carts.ts). */
import {
  DataTypes,
  Model,
  QueryTypes,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { withTransaction } from "../db.ts";
import { refColumn } from "../model-helpers.ts";

export class CartItem extends Model<InferAttributes<CartItem>, InferCreationAttributes<CartItem>> {
  declare userId: string;
  declare productId: string;
  declare quantity: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export interface CartLine {
  productId: string;
  quantity: number;
}

/** Reads and writes one user's lines; every method takes the user id from the caller's token. */
export class CartLines {
  private readonly sequelize: Sequelize;
  private readonly model: typeof CartItem;

  constructor(sequelize: Sequelize) {
    // Model classes are bound to one connection; each node (and each test broker) gets its own.
    class NodeCartItem extends CartItem {}
    NodeCartItem.init(
      {
        userId: { ...refColumn("userId"), primaryKey: true },
        productId: { ...refColumn("productId"), primaryKey: true },
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "cart_items", modelName: "CartItem" },
    );
    this.sequelize = sequelize;
    this.model = NodeCartItem;
  }

  /** The user's lines, oldest first. */
  async list(userId: string): Promise<CartLine[]> {
    const rows = await this.model.findAll({
      where: { userId },
      order: [
        ["createdAt", "ASC"],
        ["productId", "ASC"],
      ],
    });
    return rows.map((r) => ({ productId: r.productId, quantity: r.quantity }));
  }

  /**
   * Adds to the line (creating it), atomically even for two adds at once; `check` sees the new
   * quantity and may throw, which undoes the add.
   */
  async add(
    userId: string,
    productId: string,
    quantity: number,
    check: (total: number) => void,
  ): Promise<void> {
    const merge =
      this.sequelize.getDialect() === "sqlite"
        ? "ON CONFLICT (userId, productId) DO UPDATE SET " +
          "quantity = quantity + excluded.quantity, updatedAt = excluded.updatedAt"
        : "ON DUPLICATE KEY UPDATE quantity = quantity + VALUES(quantity), updatedAt = VALUES(updatedAt)";
    await withTransaction(this.sequelize, async (transaction) => {
      await this.sequelize.query(
        "INSERT INTO cart_items (userId, productId, quantity, createdAt, updatedAt) " +
          `VALUES (:userId, :productId, :quantity, ${this.now()}, ${this.now()}) ${merge}`,
        { replacements: { userId, productId, quantity, now: new Date() }, transaction },
      );
      const [line] = await this.sequelize.query<{ quantity: number }>(
        "SELECT quantity FROM cart_items WHERE userId = :userId AND productId = :productId",
        { replacements: { userId, productId }, type: QueryTypes.SELECT, transaction },
      );
      check(Number(line.quantity));
    });
  }

  /** Sets the line's quantity (creating it). */
  async set(userId: string, productId: string, quantity: number): Promise<void> {
    const merge =
      this.sequelize.getDialect() === "sqlite"
        ? "ON CONFLICT (userId, productId) DO UPDATE SET " +
          "quantity = excluded.quantity, updatedAt = excluded.updatedAt"
        : "ON DUPLICATE KEY UPDATE quantity = VALUES(quantity), updatedAt = VALUES(updatedAt)";
    await withTransaction(this.sequelize, (transaction) =>
      this.sequelize.query(
        "INSERT INTO cart_items (userId, productId, quantity, createdAt, updatedAt) " +
          `VALUES (:userId, :productId, :quantity, ${this.now()}, ${this.now()}) ${merge}`,
        { replacements: { userId, productId, quantity, now: new Date() }, transaction },
      ),
    );
  }

  /** SQL for "now" with milliseconds (lines are listed in the order they were added). */
  private now(): string {
    // A Date replacement loses its milliseconds on MariaDB/MySQL; their own clock keeps them.
    return this.sequelize.getDialect() === "sqlite" ? ":now" : "UTC_TIMESTAMP(3)";
  }

  async remove(userId: string, productId: string): Promise<void> {
    await withTransaction(this.sequelize, (transaction) =>
      this.model.destroy({ where: { userId, productId }, transaction }),
    );
  }

  async clear(userId: string): Promise<void> {
    await withTransaction(this.sequelize, (transaction) =>
      this.model.destroy({ where: { userId }, transaction }),
    );
  }
}
