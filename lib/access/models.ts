/** Tables owned by the access service. */
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idColumn, refColumn } from "../model-helpers.ts";
import type { Rule } from "./policy.ts";

export class PolicyRow extends Model<
  InferAttributes<PolicyRow>,
  InferCreationAttributes<PolicyRow>
> {
  declare id: CreationOptional<string>;
  declare ptype: string;
  declare v0: string;
  declare v1: string;
  declare v2: string | null;
  declare createdAt: CreationOptional<Date>;
}

export class BannedUser extends Model<
  InferAttributes<BannedUser>,
  InferCreationAttributes<BannedUser>
> {
  declare userId: string;
  declare reason: string | null;
  declare createdAt: CreationOptional<Date>;
}

export class BlockedIp extends Model<
  InferAttributes<BlockedIp>,
  InferCreationAttributes<BlockedIp>
> {
  declare cidr: string;
  declare createdAt: CreationOptional<Date>;
}

/** A default policy rule applied once (lib/access/defaults.ts), whether or not still in force. */
export class AppliedDefault extends Model<
  InferAttributes<AppliedDefault>,
  InferCreationAttributes<AppliedDefault>
> {
  declare ruleKey: string;
  declare rule: string;
  declare createdAt: CreationOptional<Date>;
}

export interface AccessModels {
  PolicyRow: typeof PolicyRow;
  BannedUser: typeof BannedUser;
  BlockedIp: typeof BlockedIp;
  AppliedDefault: typeof AppliedDefault;
}

export function defineAccessModels(sequelize: Sequelize): AccessModels {
  class NodePolicyRow extends PolicyRow {}
  class NodeBannedUser extends BannedUser {}
  class NodeBlockedIp extends BlockedIp {}
  class NodeAppliedDefault extends AppliedDefault {}
  NodePolicyRow.init(
    {
      id: idColumn(),
      ptype: { type: DataTypes.STRING(8), allowNull: false },
      v0: { type: DataTypes.STRING(200), allowNull: false },
      v1: { type: DataTypes.STRING(200), allowNull: false },
      v2: { type: DataTypes.STRING(200), allowNull: true },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "access_policy", updatedAt: false },
  );
  NodeBannedUser.init(
    {
      userId: { ...refColumn("userId"), primaryKey: true },
      reason: { type: DataTypes.STRING(200), allowNull: true },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "banned_users", updatedAt: false },
  );
  NodeBlockedIp.init(
    { cidr: { type: DataTypes.STRING(64), primaryKey: true }, createdAt: DataTypes.DATE(3) },
    { sequelize, tableName: "blocked_ips", updatedAt: false },
  );
  NodeAppliedDefault.init(
    {
      ruleKey: { type: DataTypes.STRING(64), primaryKey: true },
      rule: { type: DataTypes.STRING(820), allowNull: false },
      createdAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: "access_policy_defaults", updatedAt: false },
  );
  return {
    PolicyRow: NodePolicyRow,
    BannedUser: NodeBannedUser,
    BlockedIp: NodeBlockedIp,
    AppliedDefault: NodeAppliedDefault,
  };
}

export function ruleOf(row: PolicyRow): Rule {
  return [row.ptype, row.v0, row.v1, ...(row.v2 === null ? [] : [row.v2])];
}

export function rowOf(rule: Rule): { ptype: string; v0: string; v1: string; v2: string | null } {
  return { ptype: rule[0], v0: rule[1], v1: rule[2], v2: rule[3] ?? null };
}
