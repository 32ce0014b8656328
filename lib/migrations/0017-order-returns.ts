/**
 * orders: returns (issue 17). A return request lives on its order (one at a time; a rejected one
 * may be followed by another within the window): the status the order was requested from
 * (`returnFrom`, which a rejection restores), the buyer's reason and lines, and the decision.
 */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0017-order-returns";

const COLUMNS = {
  returnFrom: { type: DataTypes.STRING(16), allowNull: true },
  returnStatus: { type: DataTypes.STRING(16), allowNull: true },
  returnReason: { type: DataTypes.STRING(500), allowNull: true },
  returnItems: { type: DataTypes.TEXT, allowNull: true },
  returnRequestedAt: { type: DataTypes.DATE(3), allowNull: true },
  returnDecidedAt: { type: DataTypes.DATE(3), allowNull: true },
  returnDecisionReason: { type: DataTypes.STRING(500), allowNull: true },
} as const;

export async function up(qi: QueryInterface): Promise<void> {
  for (const [column, spec] of Object.entries(COLUMNS)) await qi.addColumn("orders", column, spec);
}

export async function down(qi: QueryInterface): Promise<void> {
  for (const column of Object.keys(COLUMNS).reverse()) await qi.removeColumn("orders", column);
}
