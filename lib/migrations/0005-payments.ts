/** payments service: one row per payment attempt (never a card number or CVV), and its outbox. */
import { DataTypes, type QueryInterface } from "sequelize";
import { createOutboxTable } from "../outbox/outbox.ts";

export const name = "0005-payments";

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable("payments", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    // The caller's idempotency key for this attempt: a retry returns the first result.
    attemptId: { type: DataTypes.STRING(64), allowNull: false },
    orderId: { type: DataTypes.STRING(40), allowNull: false },
    userId: { type: DataTypes.BIGINT, allowNull: false },
    amount: { type: DataTypes.BIGINT, allowNull: false },
    currency: { type: DataTypes.STRING(3), allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    declineCode: { type: DataTypes.STRING(32), allowNull: true },
    cardLast4: { type: DataTypes.CHAR(4), allowNull: false },
    cardBrand: { type: DataTypes.STRING(16), allowNull: false },
    transactionId: { type: DataTypes.STRING(40), allowNull: true },
    refundId: { type: DataTypes.STRING(40), allowNull: true },
    refundedAt: { type: DataTypes.DATE(3), allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("payments", ["attemptId"], { unique: true, name: "payments_attempt" });
  await qi.addIndex("payments", ["orderId"], { name: "payments_order" });

  await createOutboxTable(qi, "payment_outbox");
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable("payment_outbox");
  await qi.dropTable("payments");
}
