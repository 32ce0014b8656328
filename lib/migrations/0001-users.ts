/** users service: accounts and refresh-token families. */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0001-users";

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable("users", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    email: { type: DataTypes.STRING(254), allowNull: false },
    name: { type: DataTypes.STRING(100), allowNull: false, defaultValue: "" },
    passwordHash: { type: DataTypes.STRING(255), allowNull: false },
    role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "customer" },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("users", ["email"], { unique: true, name: "users_email_unique" });

  await qi.createTable("refresh_tokens", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    userId: { type: DataTypes.BIGINT, allowNull: false },
    familyId: { type: DataTypes.STRING(40), allowNull: false },
    tokenHash: { type: DataTypes.STRING(64), allowNull: false },
    expiresAt: { type: DataTypes.DATE(3), allowNull: false },
    rotatedAt: { type: DataTypes.DATE(3), allowNull: true },
    revokedAt: { type: DataTypes.DATE(3), allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("refresh_tokens", ["tokenHash"], {
    unique: true,
    name: "refresh_tokens_hash_unique",
  });
  await qi.addIndex("refresh_tokens", ["familyId"], { name: "refresh_tokens_family" });
  await qi.addIndex("refresh_tokens", ["userId"], { name: "refresh_tokens_user" });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable("refresh_tokens");
  await qi.dropTable("users");
}
