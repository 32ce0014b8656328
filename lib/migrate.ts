/**
 * Runs the schema migrations (Umzug, recorded in `schema_migrations`). Several nodes may start at
 * once: on MariaDB/MySQL a named lock makes them take turns; SQLite has one process by design.
 */
import { QueryTypes, type Sequelize } from "sequelize";
import { migrations } from "./migrations/index.ts";

const TABLE = "schema_migrations";

export async function migrate(sequelize: Sequelize): Promise<string[]> {
  // A node starting on an up-to-date schema (all but the first) never loads Umzug and its
  // command-line dependencies: about 3.5 MB of heap kept for the node's whole life.
  if (await upToDate(sequelize)) return [];
  const { Umzug, SequelizeStorage } = await import("umzug");
  const umzug = new Umzug({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: () => m.up(sequelize.getQueryInterface(), sequelize),
      down: () => m.down(sequelize.getQueryInterface(), sequelize),
    })),
    context: {},
    storage: new SequelizeStorage({ sequelize, tableName: TABLE }),
    logger: undefined,
  });
  return withMigrationLock(sequelize, async () => (await umzug.up()).map((m) => m.name));
}

/** True when every migration is recorded as done (false when the table does not exist yet). */
async function upToDate(sequelize: Sequelize): Promise<boolean> {
  try {
    const rows = await sequelize.query<{ name: string }>(`SELECT name FROM ${TABLE}`, {
      type: QueryTypes.SELECT,
    });
    const done = new Set(rows.map((r) => r.name));
    return migrations.every((m) => done.has(m.name));
  } catch {
    return false;
  }
}

async function withMigrationLock<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<T> {
  if (sequelize.getDialect() !== "mysql") return work();
  // GET_LOCK is per connection: hold one connection for the lock's whole life.
  return sequelize.transaction(async (t) => {
    const [rows] = (await sequelize.query("SELECT GET_LOCK('shop_migrations', 60) AS got", {
      transaction: t,
    })) as [Array<{ got: number }>, unknown];
    if (rows[0]?.got !== 1) throw new Error("Timed out waiting for another node's migrations");
    try {
      return await work();
    } finally {
      await sequelize.query("SELECT RELEASE_LOCK('shop_migrations')", { transaction: t });
    }
  });
}
