/** The SQL statements a piece of work runs on a node's database, for plan and shape checks. */
import type { ShopNode } from "../../services/node.ts";

/** Sequelize logs each statement with its values inlined; this collects them while `work` runs. */
export async function captureSql(node: ShopNode, work: () => Promise<void>): Promise<string[]> {
  const sequelize = node.platform.sequelize!;
  const options = (sequelize as unknown as { options: { logging: unknown } }).options;
  const saved = options.logging;
  const statements: string[] = [];
  options.logging = (sql: string) => statements.push(sql.replace(/^Executing \([^)]*\): /, ""));
  try {
    await work();
  } finally {
    options.logging = saved;
  }
  return statements;
}
