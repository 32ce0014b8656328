/**
 * products: categories get a Chinese and an English name. `name` becomes the Chinese name (the
 * demo catalog is Chinese), `nameEn` holds the English one, the slug stays (it was made from the
 * English name, so links and filters keep working). Existing categories of the demo taxonomy are
 * renamed by slug; any other category keeps its name as both.
 */
import { DataTypes, type QueryInterface, type Sequelize } from "sequelize";
import { slugify } from "../products/categories.ts";
import { CATEGORIES } from "../products/seed-data.ts";

export const name = "0009-categories-names";

export async function up(qi: QueryInterface, sequelize: Sequelize): Promise<void> {
  await qi.addColumn("categories", "nameEn", { type: DataTypes.STRING(80), allowNull: true });
  await sequelize.query("UPDATE categories SET nameEn = name");
  for (const c of CATEGORIES) {
    await sequelize.query("UPDATE categories SET name = :name WHERE slug = :slug", {
      replacements: { name: c.name, slug: slugify(c.nameEn) },
    });
  }
  // Product views read the names of their categories in English from this index alone.
  await qi.addIndex("categories", ["nameEn", "name"], { name: "categories_names" });
}

export async function down(qi: QueryInterface, sequelize: Sequelize): Promise<void> {
  await qi.removeIndex("categories", "categories_names");
  await sequelize.query("UPDATE categories SET name = nameEn WHERE nameEn IS NOT NULL");
  await qi.removeColumn("categories", "nameEn");
}
