/** Reading the catalog: pages of products, one product, many products by id. */
import { QueryTypes, type Sequelize } from "sequelize";
import { selectRows } from "../sql.ts";
import type { Language } from "./categories.ts";
import type { ProductModels } from "./models.ts";
import {
  productSummary,
  productView,
  type ProductSummary,
  type ProductView,
  type SummaryRow,
} from "./present.ts";
import {
  countQuery,
  pageIdsQuery,
  type ListFilter,
  type Sort,
  type SortKey,
  type SqlQuery,
} from "./queries.ts";

export interface CatalogDeps {
  sequelize: Sequelize;
  models: ProductModels;
}

/** A product id as the database can hold it (BIGINT); anything else cannot exist. */
export function isProductId(id: string): boolean {
  return /^[1-9]\d{0,17}$/.test(id);
}

/** The ids of one page, in order: `offset` rows after the top of the list, or after `from`. */
export async function pageIds(
  deps: CatalogDeps,
  filter: ListFilter,
  sort: Sort,
  limit: number,
  offset: number,
  from?: SortKey,
): Promise<string[]> {
  const rows = await select<{ id: unknown }>(
    deps.sequelize,
    pageIdsQuery(deps.sequelize.getDialect(), filter, sort, limit, offset, from),
  );
  return rows.map((r) => String(r.id));
}

/** How many live products match the filter. */
export async function countMatching(deps: CatalogDeps, filter: ListFilter): Promise<number> {
  const [row] = await select<{ total: unknown }>(
    deps.sequelize,
    countQuery(deps.sequelize.getDialect(), filter),
  );
  return Number(row?.total ?? 0);
}

/**
 * Live products by id, in the order of `ids` (deleted and unknown ones are left out), their
 * categories named in `lang`.
 */
export async function productViews(
  deps: CatalogDeps,
  ids: readonly string[],
  lang: Language = "zh",
): Promise<ProductView[]> {
  if (ids.length === 0) return [];
  const [products, links] = await Promise.all([
    deps.models.Product.findAll({
      where: { id: [...ids], deletedAt: null },
      attributes: { exclude: ["searchName", "searchBody"] },
    }),
    // Only the names asked for: categories_name_unique (name) and categories_names (nameEn,
    // name) cover them, so the categories are read from an index.
    deps.sequelize.query<{ productId: unknown; name: string; nameEn?: string | null }>(
      `SELECT pc.productId, c.name${lang === "en" ? ", c.nameEn" : ""} FROM product_categories pc ` +
        "JOIN categories c ON c.id = pc.categoryId WHERE pc.productId IN (:ids)",
      { replacements: { ids: [...ids] }, type: QueryTypes.SELECT },
    ),
  ]);
  const namesOf = new Map<string, string[]>();
  for (const link of links) {
    const id = String(link.productId);
    const name = lang === "en" ? (link.nameEn ?? link.name) : link.name;
    namesOf.set(id, [...(namesOf.get(id) ?? []), name]);
  }
  const byId = new Map(products.map((p) => [p.id, p]));
  return ids.flatMap((id) => {
    const p = byId.get(id);
    return p ? [productView(p, (namesOf.get(id) ?? []).sort())] : [];
  });
}

/**
 * Products by id, deleted ones included (`available: false`), in one query. Raw rows through the
 * driver, not model instances: carts call this on every add and every view.
 */
export async function productSummaries(
  deps: CatalogDeps,
  ids: readonly string[],
): Promise<ProductSummary[]> {
  const wanted = [...new Set(ids.filter(isProductId))];
  if (wanted.length === 0) return [];
  const rows = await selectRows<SummaryRow>(
    deps.sequelize,
    "SELECT id, name, price, currency, stock, picture, merchantId, deletedAt " +
      "FROM products WHERE id IN (?)",
    [wanted],
  );
  const byId = new Map(rows.map((p) => [String(p.id), p]));
  return wanted.flatMap((id) => {
    const p = byId.get(id);
    return p ? [productSummary(p)] : [];
  });
}

function select<T extends object>(sequelize: Sequelize, q: SqlQuery): Promise<T[]> {
  return sequelize.query<T>(q.sql, { replacements: q.replacements, type: QueryTypes.SELECT });
}
