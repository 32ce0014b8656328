/** A migrated SQLite database in a temp folder, for unit tests of the catalog's domain logic. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Sequelize } from "sequelize";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import { ensureCategories } from "../../lib/products/categories.ts";
import { defineProductModels, type ProductModels } from "../../lib/products/models.ts";

export interface CatalogDb {
  sequelize: Sequelize;
  models: ProductModels;
  /** Creates a live product; returns its id. */
  product(fields?: { stock?: number; price?: number; name?: string }): Promise<string>;
  stockOf(id: string): Promise<number>;
  close(): Promise<void>;
}

export async function catalogDb(): Promise<CatalogDb> {
  const dir = mkdtempSync(join(tmpdir(), "catalog-unit-"));
  const url = `sqlite:${join(dir, "shop.sqlite")}`;
  const sequelize = createSequelize({ url });
  await connectDatabase(sequelize, url);
  await migrate(sequelize);
  const models = defineProductModels(sequelize);
  await ensureCategories(models);
  let n = 0;
  return {
    sequelize,
    models,
    async product(fields = {}) {
      n += 1;
      const p = await models.Product.create({
        merchantId: null,
        name: fields.name ?? `Test product ${n}`,
        description: "A product for unit tests",
        price: fields.price ?? 1000 + n,
        currency: "CNY",
        stock: fields.stock ?? 10,
        picture: null,
        deletedAt: null,
      });
      return p.id;
    },
    async stockOf(id) {
      const p = await models.Product.findByPk(id);
      return Number(p!.stock);
    },
    async close() {
      await sequelize.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
