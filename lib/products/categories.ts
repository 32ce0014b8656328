/**
 * Categories: a fixed taxonomy (lib/products/seed-data.ts) ensured at every start, each with a
 * Chinese name (`name`) and an English one (`nameEn`), and the lookups the catalog needs (by
 * slug, id or either name).
 */
import { Op, type Transaction } from "sequelize";
import { UnprocessableError } from "../errors.ts";
import type { Category, ProductModels } from "./models.ts";
import { CATEGORIES } from "./seed-data.ts";

/** The languages category names come in; Chinese unless asked otherwise. */
export const LANGUAGES = ["zh", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface CategoryView {
  id: string;
  /** The name in the asked language. */
  name: string;
  nameEn: string;
  slug: string;
  productCount: number;
}

/** "Women's Clothing & Shoes" → "womens-clothing-and-shoes". */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * Inserts the categories that are missing (safe when several nodes start at once); their ids by
 * Chinese name.
 */
export async function ensureCategories(models: ProductModels): Promise<Map<string, string>> {
  const existing = await models.Category.findAll({ attributes: ["id", "name", "slug"] });
  const known = new Set(existing.map((c) => c.slug));
  const missing = CATEGORIES.filter((c) => !known.has(slugify(c.nameEn)));
  if (missing.length === 0) return new Map(existing.map((c) => [c.name, c.id]));
  await models.Category.bulkCreate(
    missing.map((c) => ({ name: c.name, nameEn: c.nameEn, slug: slugify(c.nameEn) })),
    { ignoreDuplicates: true },
  );
  const rows = await models.Category.findAll({ attributes: ["id", "name"] });
  return new Map(rows.map((c) => [c.name, c.id]));
}

/**
 * Every category with its number of live products, named and ordered in `lang` (Chinese by
 * pinyin). One GROUP BY over the index of product_categories (a deleted product has no links):
 * cheap, and cached by the service.
 */
export async function listCategories(
  models: ProductModels,
  lang: Language = "zh",
): Promise<CategoryView[]> {
  const [categories, counts] = await Promise.all([
    models.Category.findAll(),
    models.ProductCategory.count({ group: ["categoryId"] }),
  ]);
  const byId = new Map(counts.map((c) => [String(c.categoryId), Number(c.count)]));
  const views = categories.map((c) => {
    const nameEn = c.nameEn ?? c.name;
    return {
      id: c.id,
      name: lang === "en" ? nameEn : c.name,
      nameEn,
      slug: c.slug,
      productCount: byId.get(c.id) ?? 0,
    };
  });
  const collator = new Intl.Collator(lang === "en" ? "en" : "zh-CN");
  return views.sort((a, b) => collator.compare(a.name, b.name));
}

/** The category a list filter names, by slug or id; undefined when there is none. */
export async function findCategory(models: ProductModels, value: string): Promise<Category | null> {
  const key = value.trim().toLowerCase();
  const where = /^\d{1,18}$/.test(key) ? { [Op.or]: [{ id: key }, { slug: key }] } : { slug: key };
  return models.Category.findOne({ where });
}

/** The ids of categories given by Chinese or English name or slug (any case); 422 naming the unknown ones. */
export async function categoryIdsOf(
  models: ProductModels,
  names: readonly string[],
  transaction?: Transaction,
): Promise<string[]> {
  if (names.length === 0) return [];
  const all = await models.Category.findAll({
    attributes: ["id", "name", "nameEn", "slug"],
    transaction,
  });
  const index = new Map<string, string>();
  for (const c of all) {
    index.set(c.name.toLowerCase(), c.id);
    if (c.nameEn) index.set(c.nameEn.toLowerCase(), c.id);
    index.set(c.slug, c.id);
  }
  const ids = names.map((n) => index.get(n.trim().toLowerCase()));
  const unknown = names.filter((_, i) => ids[i] === undefined);
  if (unknown.length > 0) {
    throw new UnprocessableError(`Unknown categories: ${unknown.join(", ")}`, "UNKNOWN_CATEGORY", [
      { field: "categories", message: `Unknown categories: ${unknown.join(", ")}` },
    ]);
  }
  return [...new Set(ids as string[])];
}
