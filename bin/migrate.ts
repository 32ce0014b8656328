/** `npm run migrate`: applies pending schema migrations to DATABASE_URL, then exits. */
import { existsSync } from "node:fs";
import { ConfigError, loadConfig } from "../lib/config.ts";
import { connectDatabase, createSequelize } from "../lib/db.ts";
import { migrate } from "../lib/migrate.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

try {
  const config = loadConfig();
  const sequelize = createSequelize({ url: config.databaseUrl });
  await connectDatabase(sequelize, config.databaseUrl);
  const applied = await migrate(sequelize);
  await sequelize.close();
  process.stdout.write(
    applied.length ? `Applied: ${applied.join(", ")}\n` : "The schema is up to date.\n",
  );
} catch (err) {
  console.error(
    err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`,
  );
  process.exit(1);
}
