/** orders service: orders and their lines, idempotency keys, and the orders outbox. */
import { DataTypes, type QueryInterface } from "sequelize";
import { createOutboxTable } from "../outbox/outbox.ts";

export const name = "0004-orders";

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable("orders", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    userId: { type: DataTypes.BIGINT, allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    currency: { type: DataTypes.STRING(3), allowNull: false },
    total: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    address: { type: DataTypes.TEXT, allowNull: false },
    email: { type: DataTypes.STRING(254), allowNull: true },
    checkoutKey: { type: DataTypes.STRING(64), allowNull: true },
    expiresAt: { type: DataTypes.DATE(3), allowNull: false },
    paymentId: { type: DataTypes.STRING(40), allowNull: true },
    payment: { type: DataTypes.TEXT, allowNull: true },
    payingAttempt: { type: DataTypes.STRING(64), allowNull: true },
    payingUntil: { type: DataTypes.DATE(3), allowNull: true },
    cancelReason: { type: DataTypes.STRING(32), allowNull: true },
    paidAt: { type: DataTypes.DATE(3), allowNull: true },
    closedAt: { type: DataTypes.DATE(3), allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("orders", ["checkoutKey"], { unique: true, name: "orders_checkout_key" });
  await qi.addIndex("orders", ["userId", "id"], { name: "orders_user" });
  await qi.addIndex("orders", ["status", "expiresAt"], { name: "orders_status_expiry" });

  await qi.createTable("order_items", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    orderId: { type: DataTypes.BIGINT, allowNull: false },
    productId: { type: DataTypes.STRING(40), allowNull: false },
    name: { type: DataTypes.STRING(200), allowNull: false },
    price: { type: DataTypes.BIGINT, allowNull: false },
    currency: { type: DataTypes.STRING(3), allowNull: false },
    quantity: { type: DataTypes.INTEGER, allowNull: false },
  });
  await qi.addIndex("order_items", ["orderId"], { name: "order_items_order" });

  await qi.createTable("idempotency_keys", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    // sha256(userId, route, key): the key itself never needs to be read back.
    scope: { type: DataTypes.CHAR(64), allowNull: false },
    userId: { type: DataTypes.BIGINT, allowNull: false },
    route: { type: DataTypes.STRING(64), allowNull: false },
    requestHash: { type: DataTypes.CHAR(64), allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    lockedUntil: { type: DataTypes.DATE(3), allowNull: false },
    responseStatus: { type: DataTypes.INTEGER, allowNull: true },
    responseBody: { type: DataTypes.TEXT, allowNull: true },
    expiresAt: { type: DataTypes.DATE(3), allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("idempotency_keys", ["scope"], { unique: true, name: "idempotency_scope" });
  await qi.addIndex("idempotency_keys", ["expiresAt"], { name: "idempotency_expiry" });

  await createOutboxTable(qi, "order_outbox");
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable("order_outbox");
  await qi.dropTable("idempotency_keys");
  await qi.dropTable("order_items");
  await qi.dropTable("orders");
}
