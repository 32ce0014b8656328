/** carts service: one row per cart line; a user's cart is their lines. */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0003-carts";

export async function up(qi: QueryInterface): Promise<void> {
  // No foreign keys: users and products belong to other services.
  await qi.createTable("cart_items", {
    userId: { type: DataTypes.BIGINT, primaryKey: true },
    productId: { type: DataTypes.BIGINT, primaryKey: true },
    quantity: { type: DataTypes.INTEGER, allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable("cart_items");
}
