/**
 * users service: the address book (`user_addresses`, at most one default per user: `isDefault` is
 * true or NULL under a unique index, so a second default cannot be written even by a bug) and the
 * favourites (`user_favorites`, one row per user and product). Rows go with their user (foreign
 * keys ON DELETE CASCADE).
 */
import { DataTypes, type QueryInterface } from "sequelize";

export const name = "0014-user-addresses-favorites";

const text = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });
/** Both tables are the users service's, like `users`: a deleted account takes its rows along. */
const owner = {
  type: DataTypes.BIGINT,
  allowNull: false,
  references: { model: "users", key: "id" },
  onDelete: "CASCADE",
};

export async function up(qi: QueryInterface): Promise<void> {
  await qi.createTable("user_addresses", {
    id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
    userId: owner,
    name: text(100, false),
    phone: text(32, false),
    province: text(100),
    city: text(100, false),
    district: text(100),
    line1: text(200, false),
    line2: text(200),
    state: text(100),
    country: text(2, false),
    postalCode: text(20),
    isDefault: { type: DataTypes.BOOLEAN, allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("user_addresses", ["userId", "isDefault"], {
    name: "user_addresses_one_default",
    unique: true,
  });
  await qi.createTable("user_favorites", {
    userId: { ...owner, primaryKey: true },
    productId: { type: DataTypes.BIGINT, primaryKey: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  await qi.addIndex("user_favorites", ["userId", "createdAt"], { name: "user_favorites_recent" });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.dropTable("user_favorites");
  await qi.dropTable("user_addresses");
}
