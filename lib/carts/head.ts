/**
 * A cart's head row (table `carts`): locked first by every change that must see the whole cart
 * at once (a new line against the line cap, a checkout's claim), so that those run one at a
 * time per cart and take their locks in one order (head, then lines): no deadlock, no lost cap.
 */
import type { Sequelize } from "sequelize";
import { writeRows, type Tx } from "../sql.ts";

/** Creates the head row if needed and locks it until `tx` ends (an upsert takes the row lock). */
export async function lockCart(sequelize: Sequelize, tx: Tx, userId: string): Promise<void> {
  if (sequelize.getDialect() === "sqlite") {
    // SQLite's writing transaction holds the whole database already (BEGIN IMMEDIATE).
    await writeRows(
      sequelize,
      "INSERT INTO carts (userId, updatedAt) VALUES (?, ?) " +
        "ON CONFLICT (userId) DO UPDATE SET updatedAt = excluded.updatedAt",
      [userId, new Date()],
      tx,
    );
    return;
  }
  await writeRows(
    sequelize,
    "INSERT INTO carts (userId, updatedAt) VALUES (?, UTC_TIMESTAMP(3)) " +
      "ON DUPLICATE KEY UPDATE updatedAt = VALUES(updatedAt)",
    [userId],
    tx,
  );
}
