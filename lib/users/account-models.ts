/**
 * The users service's account tables beside the identity ones (lib/users/models.ts): the address
 * book (`user_addresses`) and the favourites (`user_favorites`), migration 0014.
 */
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idColumn, refColumn } from "../model-helpers.ts";
import type { User } from "./models.ts";

export class UserAddress extends Model<
  InferAttributes<UserAddress>,
  InferCreationAttributes<UserAddress>
> {
  declare id: CreationOptional<string>;
  declare userId: string;
  declare name: string;
  declare phone: string;
  declare province: string | null;
  declare city: string;
  declare district: string | null;
  declare line1: string;
  declare line2: string | null;
  declare state: string | null;
  declare country: string;
  declare postalCode: string | null;
  /** true for the user's default, NULL otherwise (unique per user: one default at most). */
  declare isDefault: true | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class UserFavorite extends Model<
  InferAttributes<UserFavorite>,
  InferCreationAttributes<UserFavorite>
> {
  declare userId: string;
  declare productId: string;
  declare createdAt: CreationOptional<Date>;
}

export interface AccountModels {
  /** The users service's User model: its row is locked while a user's book or list changes. */
  User: typeof User;
  UserAddress: typeof UserAddress;
  UserFavorite: typeof UserFavorite;
}

const optional = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
const required = (length: number) => ({ type: DataTypes.STRING(length), allowNull: false });

export function defineAccountModels(sequelize: Sequelize, user: typeof User): AccountModels {
  class NodeUserAddress extends UserAddress {}
  class NodeUserFavorite extends UserFavorite {}
  NodeUserAddress.init(
    {
      id: idColumn(),
      userId: refColumn("userId"),
      name: required(100),
      phone: required(32),
      province: optional(100),
      city: required(100),
      district: optional(100),
      line1: required(200),
      line2: optional(200),
      state: optional(100),
      country: required(2),
      postalCode: optional(20),
      isDefault: { type: DataTypes.BOOLEAN, allowNull: true },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "user_addresses", modelName: "UserAddress" },
  );
  NodeUserFavorite.init(
    {
      userId: { ...refColumn("userId"), primaryKey: true },
      productId: { ...refColumn("productId"), primaryKey: true },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "user_favorites", modelName: "UserFavorite", updatedAt: false },
  );
  return { User: user, UserAddress: NodeUserAddress, UserFavorite: NodeUserFavorite };
}
