/**
 * carts service: a head row per cart (locked by every change that must see the whole cart: a new
 * line against the line cap, a checkout's claim) and the checkout claims (docs/orders.md).
 */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0010-cart-claims";

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable("carts", {
    userId: { type: DataTypes.BIGINT, primaryKey: true },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  // One row per checkout (orderId): `claimed` while its order is being placed, `consumed` once
  // the ordered lines left the cart, `released` when the order failed (or as a tombstone that a
  // late claim of a given-up checkout respects).
  await qi.createTable("cart_claims", {
    orderId: { type: DataTypes.STRING(64), primaryKey: true },
    userId: { type: DataTypes.BIGINT, allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    claimedLines: { type: DataTypes.TEXT, allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("cart_claims", ["userId", "status"], { name: "cart_claims_user_status" });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable("cart_claims");
  await qi.dropTable("carts");
}
