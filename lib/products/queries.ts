/**
 * The SQL of the catalog's list: which product ids make a page, and how many match. Each shape
 * is served by an index (test/integration/catalog.spec.ts runs EXPLAIN on them):
 * - whole catalog: products_live_newest / products_live_price (`deletedAt IS NULL` is a lookup);
 * - one category: product_categories_newest / product_categories_price, without touching
 *   products at all (links of deleted products are removed, their sort keys are copied);
 * - search: the FULLTEXT indexes (MariaDB/MySQL) or the FTS5 table (SQLite);
 * - one merchant's products: products_merchant_newest / products_merchant_price.
 * A page is ids first (index-only, cheap even deep in the catalog), then the rows of those ids.
 */
import { fts5AllTerms, mysqlAllTerms, mysqlAnyTerm } from "./search.ts";

export const SORTS = ["newest", "price", "-price", "relevance"] as const;
export type Sort = (typeof SORTS)[number];

export interface ListFilter {
  /** Searchable words (lib/products/search.ts); empty: no search. */
  terms: readonly string[];
  categoryId?: string;
  merchantId?: string;
  minPrice?: number;
  maxPrice?: number;
}

export interface SqlQuery {
  sql: string;
  replacements: Record<string, unknown>;
}

type Dialect = "mysql" | "sqlite" | string;

/** The ids of one page, in the requested order. */
export function pageIdsQuery(
  dialect: Dialect,
  filter: ListFilter,
  sort: Sort,
  limit: number,
  offset: number,
): SqlQuery {
  const { from, where, replacements, id, price, createdAt } = shape(dialect, filter);
  let order: string;
  if (sort === "price") order = `${price} ASC, ${id} ASC`;
  else if (sort === "-price") order = `${price} DESC, ${id} DESC`;
  else if (sort === "relevance" && filter.terms.length > 0) {
    order = relevanceOrder(dialect, filter.terms, replacements) + `, ${id} DESC`;
  } else order = `${createdAt} DESC, ${id} DESC`;
  return {
    sql: `SELECT ${id} AS id FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT :limit OFFSET :offset`,
    replacements: { ...replacements, limit, offset },
  };
}

/** How many products match (the list's `total`). */
export function countQuery(dialect: Dialect, filter: ListFilter): SqlQuery {
  const { from, where, replacements } = shape(dialect, filter);
  return { sql: `SELECT COUNT(*) AS total FROM ${from} WHERE ${where}`, replacements };
}

interface Shape {
  from: string;
  where: string;
  replacements: Record<string, unknown>;
  id: string;
  price: string;
  createdAt: string;
}

function shape(dialect: Dialect, filter: ListFilter): Shape {
  const replacements: Record<string, unknown> = {};
  const where: string[] = [];
  let from: string;
  let columns: Pick<Shape, "id" | "price" | "createdAt">;

  if (filter.terms.length > 0) {
    columns = { id: "p.id", price: "p.price", createdAt: "p.createdAt" };
    if (dialect === "sqlite") {
      // CROSS JOIN: SQLite keeps this order, so the full-text match drives the query (the
      // planner would otherwise walk every live product and run the match for each one).
      from = "products_fts CROSS JOIN products p ON p.id = products_fts.rowid";
      where.push("products_fts MATCH :match");
      replacements.match = fts5AllTerms(filter.terms);
    } else {
      from = "products p";
      where.push("MATCH(p.name, p.description) AGAINST (:match IN BOOLEAN MODE)");
      replacements.match = mysqlAllTerms(filter.terms);
    }
    if (filter.categoryId !== undefined) {
      from += " JOIN product_categories pc ON pc.productId = p.id AND pc.categoryId = :categoryId";
      replacements.categoryId = filter.categoryId;
    }
    where.push("p.deletedAt IS NULL");
    if (filter.merchantId !== undefined) where.push("p.merchantId = :merchantId");
  } else if (filter.merchantId !== undefined) {
    columns = { id: "p.id", price: "p.price", createdAt: "p.createdAt" };
    from = "products p";
    where.push("p.merchantId = :merchantId", "p.deletedAt IS NULL");
    if (filter.categoryId !== undefined) {
      from += " JOIN product_categories pc ON pc.productId = p.id AND pc.categoryId = :categoryId";
      replacements.categoryId = filter.categoryId;
    }
  } else if (filter.categoryId !== undefined) {
    columns = { id: "pc.productId", price: "pc.price", createdAt: "pc.createdAt" };
    from = "product_categories pc";
    where.push("pc.categoryId = :categoryId");
    replacements.categoryId = filter.categoryId;
  } else {
    columns = { id: "p.id", price: "p.price", createdAt: "p.createdAt" };
    from = "products p";
    where.push("p.deletedAt IS NULL");
  }

  if (filter.merchantId !== undefined) replacements.merchantId = filter.merchantId;
  if (filter.minPrice !== undefined) {
    where.push(`${columns.price} >= :minPrice`);
    replacements.minPrice = filter.minPrice;
  }
  if (filter.maxPrice !== undefined) {
    where.push(`${columns.price} <= :maxPrice`);
    replacements.maxPrice = filter.maxPrice;
  }
  return { from, where: where.join(" AND "), replacements, ...columns };
}

/** Best first; a word in the name weighs four times a word in the description on both sides. */
function relevanceOrder(
  dialect: Dialect,
  terms: readonly string[],
  replacements: Record<string, unknown>,
): string {
  if (dialect === "sqlite") return "bm25(products_fts, 4.0, 1.0) ASC";
  replacements.anyTerm = mysqlAnyTerm(terms);
  return (
    "(MATCH(p.name) AGAINST (:anyTerm IN BOOLEAN MODE) * 4 + " +
    "MATCH(p.name, p.description) AGAINST (:match IN BOOLEAN MODE)) DESC"
  );
}
