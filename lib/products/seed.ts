/**
 * The demo catalog: a deterministic set of products (the same ids, names, prices and stock on
 * every run and both databases) generated from lib/products/seed-data.ts. Loaded by
 * `npm run seed` and, in the embedded mode, on the first start (SEED_ON_START).
 */
import { UniqueConstraintError, type Sequelize } from "sequelize";
import { transaction } from "../transactions.ts";
import { ensureCategories } from "./categories.ts";
import type { ProductModels } from "./models.ts";
import { searchColumns } from "./segment.ts";
import {
  BRANDS,
  CATEGORIES,
  COLOURS,
  ECO_CATEGORY,
  ECO_MATERIALS,
  GIFT_CATEGORY,
  MATERIALS,
  STYLES,
  USES,
} from "./seed-data.ts";

export const DEFAULT_SEED_COUNT = 10_000;
const SEED = 20_250_101;
/** Product n is created FIRST_CREATED_AT + n × 45 minutes: fixed, so "newest" is stable too. */
const FIRST_CREATED_AT = Date.UTC(2025, 0, 1);
const CHUNK = 500;

export interface SeedProduct {
  id: number;
  name: string;
  description: string;
  price: number;
  currency: string;
  stock: number;
  createdAt: Date;
  categories: string[];
}

/** A small, fast, seedable PRNG (mulberry32): the same sequence on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Generates `count` products with ids 1..count. */
export function generateCatalog(count: number): SeedProduct[] {
  const rnd = random(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const regular = CATEGORIES.filter((c) => c.name !== GIFT_CATEGORY && c.name !== ECO_CATEGORY);
  const products: SeedProduct[] = [];
  for (let id = 1; id <= count; id += 1) {
    // One in twenty-five products is sold in a cross-cutting category of its own.
    const category = rnd() < 0.04 ? pick(CATEGORIES.slice(-2)) : pick(regular);
    const [good, typicalYuan] = pick(category.goods).split("~");
    const [brand, style, colour, material] = [
      pick(BRANDS),
      pick(STYLES),
      pick(COLOURS),
      pick(MATERIALS),
    ];
    const first = pick(category.features);
    const others = category.features.filter((f) => f !== first);
    const second = others.length > 0 ? pick(others) : "做工细致";
    const name = `${brand} ${good} ${style}` + (rnd() < 0.5 ? ` ${colour}` : "");
    // Punctuation between the words of the vocabulary, as shops write it: a text is made of
    // few distinct runs, whose segmentation lib/products/segment.ts computes once.
    const description =
      `【${brand}】${good}（${style}），${colour}配色：${first}、${second}。` +
      `${material}材质点缀。${pick(USES)}。`;
    const categories = [category.name];
    if (category.name !== GIFT_CATEGORY && rnd() < 0.12) categories.push(GIFT_CATEGORY);
    if (category.name !== ECO_CATEGORY && ECO_MATERIALS.includes(material) && rnd() < 0.5) {
      categories.push(ECO_CATEGORY);
    }
    products.push({
      id,
      name,
      description,
      price: priceOf(Number(typicalYuan), rnd(), pick([1, 10, 100])),
      currency: "CNY",
      stock: rnd() < 0.04 ? 0 : 1 + Math.floor(rnd() * 300),
      createdAt: new Date(FIRST_CREATED_AT + id * 45 * 60_000),
      categories,
    });
  }
  return products;
}

/** A shop-like price in fen: half to twice the typical price, ending in .99, .90 or .00. */
function priceOf(typicalYuan: number, r: number, cut: number): number {
  const yuan = Math.max(2, Math.round(typicalYuan * Math.pow(2, 2 * r - 1)));
  return yuan * 100 - (cut === 100 ? 0 : cut);
}

export interface SeedResult {
  /** Products inserted by this call; 0 when the catalog already had products. */
  inserted: number;
  categories: number;
  ms: number;
}

/**
 * Loads the demo catalog into an empty catalog, in one transaction. Does nothing when products
 * exist (several nodes may start at once: the loser of the race rolls back on the duplicate ids).
 */
export async function seedCatalog(
  sequelize: Sequelize,
  models: ProductModels,
  count = DEFAULT_SEED_COUNT,
): Promise<SeedResult> {
  const started = performance.now();
  const categoryIds = await ensureCategories(models);
  const done = (inserted: number) => ({
    inserted,
    categories: categoryIds.size,
    ms: Math.round(performance.now() - started),
  });
  if (await models.Product.findOne({ attributes: ["id"] })) return done(0);

  const products = generateCatalog(count);
  const qi = sequelize.getQueryInterface();
  try {
    await transaction(sequelize, async (transaction) => {
      for (let i = 0; i < products.length; i += CHUNK) {
        const chunk = products.slice(i, i + CHUNK);
        const now = new Date();
        await qi.bulkInsert(
          "products",
          chunk.map(({ categories: _c, ...p }) => ({
            ...p,
            ...searchColumns(p),
            merchantId: null,
            picture: null,
            deletedAt: null,
            updatedAt: now,
          })),
          { transaction },
        );
        await qi.bulkInsert(
          "product_categories",
          chunk.flatMap((p) =>
            p.categories.map((name) => ({
              categoryId: categoryIds.get(name),
              productId: p.id,
              price: p.price,
              createdAt: p.createdAt,
            })),
          ),
          { transaction },
        );
      }
    });
  } catch (err) {
    if (err instanceof UniqueConstraintError) return done(0);
    throw err;
  }
  return done(products.length);
}
