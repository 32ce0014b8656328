/** access service: the Casbin policy and the blacklists of users and addresses. */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0006-access";

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable("access_policy", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    ptype: { type: DataTypes.STRING(8), allowNull: false },
    v0: { type: DataTypes.STRING(200), allowNull: false },
    v1: { type: DataTypes.STRING(200), allowNull: false },
    v2: { type: DataTypes.STRING(200), allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.createTable("banned_users", {
    userId: { type: DataTypes.BIGINT, primaryKey: true },
    reason: { type: DataTypes.STRING(200), allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.createTable("blocked_ips", {
    cidr: { type: DataTypes.STRING(64), primaryKey: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  // Marks that the default policy was copied once, so an admin may later empty the table.
  await qi.createTable("access_meta", {
    name: { type: DataTypes.STRING(40), primaryKey: true },
    value: { type: DataTypes.STRING(200), allowNull: false },
  });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable("access_meta");
  await qi.dropTable("blocked_ips");
  await qi.dropTable("banned_users");
  await qi.dropTable("access_policy");
}
