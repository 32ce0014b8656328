/**
 * Runs the schema migrations (Umzug, recorded in `schema_migrations`). Several nodes may start at
 * once: on MariaDB/MySQL a named lock makes them take turns; SQLite has one process by design.
 */
import type { Sequelize } from "sequelize";
import { Umzug, SequelizeStorage } from "umzug";
import { migrations } from "./migrations/index.ts";

export async function migrate(sequelize: Sequelize): Promise<string[]> {
  const umzug = new Umzug({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: () => m.up(sequelize.getQueryInterface(), sequelize),
      down: () => m.down(sequelize.getQueryInterface(), sequelize),
    })),
    context: {},
    storage: new SequelizeStorage({ sequelize, tableName: "schema_migrations" }),
    logger: undefined,
  });
  return withMigrationLock(sequelize, async () => (await umzug.up()).map((m) => m.name));
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
