/**
 * products: a per-product cap on the units one order may take (`maxPerOrder`), and the index the
 * reconciler of held reservations reads (status, createdAt).
 */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0011-products-order-limits";

export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn("products", "maxPerOrder", {
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue: 10,
  });
  await qi.addIndex("stock_reservations", ["status", "createdAt"], {
    name: "stock_reservations_status_age",
  });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeIndex("stock_reservations", "stock_reservations_status_age");
  await qi.removeColumn("products", "maxPerOrder");
}
