/** Tables owned by the users service. */
import {
  DataTypes,
  Model,
  type InferAttributes,
  type InferCreationAttributes,
  type CreationOptional,
  type Sequelize,
} from "sequelize";
import type { Role } from "../auth/tokens.ts";
import { idColumn, refColumn } from "../model-helpers.ts";

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<string>;
  declare email: string;
  declare name: string;
  declare passwordHash: string;
  declare role: Role;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
}

export class RefreshToken extends Model<
  InferAttributes<RefreshToken>,
  InferCreationAttributes<RefreshToken>
> {
  declare id: CreationOptional<string>;
  declare userId: string;
  declare familyId: string;
  declare tokenHash: string;
  declare expiresAt: Date;
  declare rotatedAt: Date | null;
  declare revokedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
}

export interface UserModels {
  User: typeof User;
  RefreshToken: typeof RefreshToken;
}

export function defineUserModels(sequelize: Sequelize): UserModels {
  // Model classes are bound to one connection; each node (and each test broker) gets its own.
  class NodeUser extends User {}
  class NodeRefreshToken extends RefreshToken {}
  NodeUser.init(
    {
      id: idColumn(),
      email: { type: DataTypes.STRING(254), allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false, defaultValue: "" },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "customer" },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "users", modelName: "User" },
  );
  NodeRefreshToken.init(
    {
      id: idColumn(),
      userId: refColumn("userId"),
      familyId: { type: DataTypes.STRING(40), allowNull: false },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      rotatedAt: { type: DataTypes.DATE(3), allowNull: true },
      revokedAt: { type: DataTypes.DATE(3), allowNull: true },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "refresh_tokens", modelName: "RefreshToken", updatedAt: false },
  );
  return { User: NodeUser, RefreshToken: NodeRefreshToken };
}

/** The public shape of a user: never the password hash. */
export function publicUser(u: User): {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
} {
  return {
    id: String(u.id),
    email: u.email,
    name: u.name,
    role: u.role,
    createdAt: new Date(u.createdAt).toISOString(),
  };
}
