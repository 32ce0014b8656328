/**
 * `npm run seed`: loads the demo catalog (10,000 products in 24 categories) into DATABASE_URL,
 * unless the catalog already has products. `npm run seed -- --count 500` loads fewer.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../lib/config.ts";
import { connectDatabase, createSequelize } from "../lib/db.ts";
import { migrate } from "../lib/migrate.ts";
import { defineProductModels } from "../lib/products/models.ts";
import { DEFAULT_SEED_COUNT, seedCatalog } from "../lib/products/seed.ts";

if (existsSync(".env")) process.loadEnvFile(".env");

try {
  const { values } = parseArgs({ options: { count: { type: "string" } } });
  const count = Number(values.count ?? DEFAULT_SEED_COUNT);
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
    throw new ConfigError([`--count must be an integer from 1 to 1000000 (got "${values.count}")`]);
  }
  const config = loadConfig();
  const sequelize = createSequelize({ url: config.databaseUrl });
  await connectDatabase(sequelize, config.databaseUrl);
  await migrate(sequelize);
  const result = await seedCatalog(sequelize, defineProductModels(sequelize), count);
  await sequelize.close();
  process.stdout.write(
    result.inserted > 0
      ? `Seeded ${result.inserted} products in ${result.categories} categories in ${result.ms} ms.\n`
      : `The catalog already has products: nothing seeded (${result.categories} categories).\n`,
  );
} catch (err) {
  console.error(
    err instanceof ConfigError ? err.message : `Seeding failed: ${(err as Error).message}`,
  );
  process.exit(1);
}
