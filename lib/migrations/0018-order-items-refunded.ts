/**
 * orders: how many units of each line were refunded (`refundedQuantity`), so that a return of
 * some units refunds those units' price and leaves the rest counted as sold. A cancellation with
 * a refund sets it to the whole line. Orders refunded before this column existed were refunded
 * in full, whatever was sent back: their lines are marked so.
 */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0018-order-items-refunded";

export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn("order_items", "refundedQuantity", {
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue: 0,
  });
  await qi.sequelize.query(
    "UPDATE order_items SET refundedQuantity = quantity " +
      "WHERE orderId IN (SELECT id FROM orders WHERE status = 'refunded')",
  );
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeColumn("order_items", "refundedQuantity");
}
