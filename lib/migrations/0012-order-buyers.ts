/**
 * orders: a row per buyer that a checkout locks while it counts the buyer's open orders (the
 * MAX_PENDING_ORDERS cap holds under concurrent checkouts), and the index that count reads.
 */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0012-order-buyers";

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable("order_buyers", {
    userId: { type: DataTypes.BIGINT, primaryKey: true },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("orders", ["userId", "status"], { name: "orders_user_status" });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeIndex("orders", "orders_user_status");
  await qi.dropTable("order_buyers");
}
