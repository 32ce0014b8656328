/**
 * access: which default policy rules were applied (lib/access/defaults.ts), replacing the
 * "policy-seeded" marker of `access_meta`, which only said that the whole file was copied once.
 * A database seeded before this migration got the policy file as it was shipped from 0006 up to
 * here (it never changed in between): those rules are recorded as applied, so a default an admin
 * removed stays removed and only rules added to the file later are added at the next start.
 */
import { DataTypes, QueryTypes, type QueryInterface, type Sequelize } from "sequelize";
import { ruleKey } from "../access/defaults.ts";

export const name = "0013-access-policy-defaults";

/** config/casbin/policy.csv as shipped up to this migration: frozen, not read from the file. */
const SEEDED_BEFORE: string[][] = [
  ["g", "customer", "guest"],
  ["g", "merchant", "customer"],
  ["g", "admin", "merchant"],
  ["p", "guest", "/api/health", "GET"],
  ["p", "guest", "/api/ready", "GET"],
  ["p", "guest", "/api/openapi.json", "GET"],
  ["p", "guest", "/api/auth/register", "POST"],
  ["p", "guest", "/api/auth/login", "POST"],
  ["p", "guest", "/api/auth/refresh", "POST"],
  ["p", "guest", "/api/products", "GET"],
  ["p", "guest", "/api/products/:id", "GET"],
  ["p", "guest", "/api/categories", "GET"],
  ["p", "guest", "/api/pictures/:file", "GET"],
  ["p", "customer", "/api/auth/logout", "POST"],
  ["p", "customer", "/api/users/me", "*"],
  ["p", "customer", "/api/cart", "*"],
  ["p", "customer", "/api/cart/*", "*"],
  ["p", "customer", "/api/checkout", "POST"],
  ["p", "customer", "/api/orders", "GET"],
  ["p", "customer", "/api/orders/*", "*"],
  ["p", "merchant", "/api/products", "POST"],
  ["p", "merchant", "/api/products/:id", "PATCH"],
  ["p", "merchant", "/api/products/:id", "DELETE"],
  ["p", "merchant", "/api/merchant/*", "*"],
  ["p", "admin", "/api/admin/*", "*"],
];

const MARKER = "policy-seeded";

export async function up(qi: QueryInterface, sequelize: Sequelize): Promise<void> {
  await qi.createTable("access_policy_defaults", {
    ruleKey: { type: DataTypes.STRING(64), primaryKey: true },
    rule: { type: DataTypes.STRING(820), allowNull: false },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  });
  const seeded = await sequelize.query("SELECT name FROM access_meta WHERE name = ?", {
    replacements: [MARKER],
    type: QueryTypes.SELECT,
  });
  if (seeded.length > 0) {
    const createdAt = new Date();
    await qi.bulkInsert(
      "access_policy_defaults",
      SEEDED_BEFORE.map((rule) => ({ ruleKey: ruleKey(rule), rule: rule.join(", "), createdAt })),
    );
  }
  await qi.dropTable("access_meta");
}

export async function down(qi: QueryInterface, sequelize: Sequelize): Promise<void> {
  await qi.createTable("access_meta", {
    name: { type: DataTypes.STRING(40), primaryKey: true },
    value: { type: DataTypes.STRING(200), allowNull: false },
  });
  const applied = await sequelize.query("SELECT ruleKey FROM access_policy_defaults LIMIT 1", {
    type: QueryTypes.SELECT,
  });
  if (applied.length > 0) {
    await qi.bulkInsert("access_meta", [{ name: MARKER, value: new Date().toISOString() }]);
  }
  await qi.dropTable("access_policy_defaults");
}
