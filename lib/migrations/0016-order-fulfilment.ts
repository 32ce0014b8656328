/**
 * orders: what happens after "paid" (issue 17). When an order was shipped and completed, how it
 * travels (carrier and tracking number), and whose product each line is (the merchant that
 * ships it; null for lines written before this migration, which stay with the admin).
 */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0016-order-fulfilment";

export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn("orders", "shippedAt", { type: DataTypes.DATE(3), allowNull: true });
  await qi.addColumn("orders", "completedAt", { type: DataTypes.DATE(3), allowNull: true });
  await qi.addColumn("orders", "carrier", { type: DataTypes.STRING(60), allowNull: true });
  await qi.addColumn("orders", "trackingNumber", { type: DataTypes.STRING(60), allowNull: true });
  await qi.addColumn("order_items", "merchantId", { type: DataTypes.BIGINT, allowNull: true });
  await qi.addIndex("order_items", ["merchantId", "orderId"], { name: "order_items_merchant" });
  await qi.addIndex("orders", ["status", "shippedAt"], { name: "orders_status_shipped" });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeIndex("orders", "orders_status_shipped");
  await qi.removeIndex("order_items", "order_items_merchant");
  await qi.removeColumn("order_items", "merchantId");
  await qi.removeColumn("orders", "trackingNumber");
  await qi.removeColumn("orders", "carrier");
  await qi.removeColumn("orders", "completedAt");
  await qi.removeColumn("orders", "shippedAt");
}
