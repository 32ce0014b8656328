/** The SQL statements a piece of work runs on a node's database, for plan and shape checks. */
import type { ShopNode } from "../../services/node.ts";

/** Sequelize logs each statement with its values inlined; this collects them while `work` runs. */
export async function captureSql(node: ShopNode, work: () => Promise<void>): Promise<string[]> {
  const sequelize = node.platform.sequelize!;
  const options = (sequelize as unknown as { options: { logging: unknown } }).options;
  const saved = options.logging;
  const statements: string[] = [];
  options.logging = (sql: string) =>
    statements.push(inlineDriverValues(sequelize, sql.replace(/^Executing \([^)]*\): /, "")));
  try {
    await work();
  } finally {
    options.logging = saved;
  }
  return statements;
}

/**
 * Statements sent straight to the driver (lib/sql.ts) are logged as `SQL -- [values]` with `?`
 * placeholders: the values are put in, as Sequelize does for its own statements.
 */
function inlineDriverValues(sequelize: { escape(value: unknown): string }, logged: string): string {
  const m = /^(.*) -- (\[.*\])$/s.exec(logged);
  if (!m) return logged;
  let values: unknown[];
  try {
    values = JSON.parse(m[2]) as unknown[];
  } catch {
    return logged;
  }
  let i = 0;
  return m[1].replace(/\?/g, () => (i < values.length ? sequelize.escape(values[i++]) : "?"));
}
