/**
 * payments: how much of a capture was refunded (`refundedAmount`, minor units). A return of some
 * units refunds their price (status `partially_refunded`); a cancellation or a whole return the
 * full amount (`refunded`). Refunds made before this column existed were all in full. The
 * status column widens for `partially_refunded` (18 characters; SQLite does not enforce lengths).
 */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0019-payments-refunded-amount";

export async function up(qi: QueryInterface): Promise<void> {
  if (qi.sequelize.getDialect() !== "sqlite") {
    await qi.changeColumn("payments", "status", { type: DataTypes.STRING(24), allowNull: false });
  }
  await qi.addColumn("payments", "refundedAmount", { type: DataTypes.BIGINT, allowNull: true });
  await qi.sequelize.query("UPDATE payments SET refundedAmount = amount WHERE status = 'refunded'");
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeColumn("payments", "refundedAmount");
  // A partly refunded payment would not fit the old width: it reads as refunded after a downgrade.
  await qi.sequelize.query(
    "UPDATE payments SET status = 'refunded' WHERE status = 'partially_refunded'",
  );
  if (qi.sequelize.getDialect() !== "sqlite") {
    await qi.changeColumn("payments", "status", { type: DataTypes.STRING(16), allowNull: false });
  }
}
