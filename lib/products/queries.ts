/**
 * The SQL of the catalog's list: which product ids make a page, and how many match. Each shape
 * is served by an index (test/integration/catalog.spec.ts runs EXPLAIN on them):
 * - whole catalog: products_live_newest / products_live_price (`deletedAt IS NULL` is a lookup);
 * - one category: product_categories_newest / product_categories_price, without touching
 *   products at all (links of deleted products are removed, their sort keys are copied);
 * - search: the FULLTEXT indexes (MariaDB/MySQL) or the FTS5 table (SQLite);
 * - one merchant's products: products_merchant_newest / products_merchant_price;
 * - best sellers and best rated (`sort=sales`, `sort=rating`): products_live_sales /
 *   products_live_rating (a category's through its links joined to the products).
 * A page is ids first (index-only), then the rows of those ids. A page deep in a list starts
 * from an anchor (lib/products/anchors.ts): `from` is the sort key of a row known to be at a
 * given position, and the page is a seek in the same index from that row plus a short OFFSET.
 */
import {
  fts5AllWords,
  fts5AnyWord,
  mysqlAllWords,
  mysqlAnyWord,
  mysqlWholeWords,
  type SearchWord,
} from "./search.ts";

export const SORTS = ["newest", "price", "-price", "relevance", "sales", "rating"] as const;
export type Sort = (typeof SORTS)[number];

export interface ListFilter {
  /** Searchable words (lib/products/search.ts); empty: no search. */
  terms: readonly SearchWord[];
  /** Rows with any of the words rather than all of them (when none has all). */
  relaxed?: boolean;
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

/** A row's place in a list's order: its sort key (createdAt or price) and its id. */
export interface SortKey {
  /** createdAt as the database writes it (text), or the price. */
  key: string | number;
  id: string;
}

/** The ids of one page, in the requested order; from `from` (inclusive) when given. */
export function pageIdsQuery(
  dialect: Dialect,
  filter: ListFilter,
  sort: Sort,
  limit: number,
  offset: number,
  from?: SortKey,
): SqlQuery {
  const s = shape(dialect, filter, sort);
  const { replacements } = s;
  let where = s.where;
  let order: string;
  const byKey = keyOrder(filter, sort);
  if (byKey) {
    const { key, dir } = sortColumns(s, byKey);
    order = `${key} ${dir}, ${s.id} ${dir}`;
    if (from) {
      where += ` AND ${seekFrom(key, s.id, dir)}`;
      replacements.fromKey = from.key;
      replacements.fromId = BigInt(from.id);
    }
  } else {
    order = relevanceOrder(dialect, filter.terms, replacements) + `, ${s.id} DESC`;
  }
  return {
    sql: `SELECT ${s.id} AS id FROM ${s.from} WHERE ${where} ORDER BY ${order} LIMIT :limit OFFSET :offset`,
    replacements: { ...replacements, limit, offset },
  };
}

/** The orders by a sort key then the id (every list but search results ranked by relevance). */
export type KeyOrder = "newest" | "price" | "-price" | "sales" | "rating";

/** Orders by counters that move with every sale or review (no anchors: they would go stale). */
export function isCounterOrder(sort: Sort): boolean {
  return sort === "sales" || sort === "rating";
}

/** The key order of a list, or undefined when it is ranked by relevance. */
export function keyOrder(filter: ListFilter, sort: Sort): KeyOrder | undefined {
  if (sort !== "relevance") return sort;
  return filter.terms.length > 0 ? undefined : "newest";
}

/**
 * The sort key and id of every `every`-th row of a list (0-based positions every, 2 × every, ...)
 * in one scan of its index, numbered by a window function (MariaDB ≥ 10.2, MySQL 8, SQLite ≥
 * 3.25). createdAt comes back as text (CAST on MariaDB/MySQL), so that the anchor compares with
 * the column exactly as stored, whatever the connection's time zone.
 */
export function anchorsQuery(
  dialect: Dialect,
  filter: ListFilter,
  sort: KeyOrder,
  every: number,
): SqlQuery {
  const s = shape(dialect, filter);
  const { key, dir } = sortColumns(s, sort);
  const keyOut = sort === "newest" && dialect !== "sqlite" ? "CAST(w.k AS CHAR)" : "w.k";
  return {
    sql:
      `SELECT ${keyOut} AS k, w.id AS id, w.rn AS rn FROM (SELECT ${key} AS k, ${s.id} AS id, ` +
      `ROW_NUMBER() OVER (ORDER BY ${key} ${dir}, ${s.id} ${dir}) AS rn ` +
      `FROM ${s.from} WHERE ${s.where}) w WHERE w.rn > 1 AND (w.rn - 1) % :every = 0`,
    replacements: { ...s.replacements, every },
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

const PRODUCT_COLUMNS = { id: "p.id", price: "p.price", createdAt: "p.createdAt" };

function shape(dialect: Dialect, filter: ListFilter, sort?: Sort): Shape {
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
      replacements.match = (filter.relaxed ? fts5AnyWord : fts5AllWords)(filter.terms);
    } else {
      from = "products p";
      where.push("MATCH(p.searchName, p.searchBody) AGAINST (:match IN BOOLEAN MODE)");
      replacements.match = (filter.relaxed ? mysqlAnyWord : mysqlAllWords)(filter.terms);
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
  } else if (filter.categoryId !== undefined && sort && isCounterOrder(sort)) {
    // The counters live on the products only: the category's links joined to them.
    columns = PRODUCT_COLUMNS;
    from = "product_categories pc JOIN products p ON p.id = pc.productId";
    where.push("pc.categoryId = :categoryId", "p.deletedAt IS NULL");
    replacements.categoryId = filter.categoryId;
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

function sortColumns(s: Shape, sort: KeyOrder): { key: string; dir: "ASC" | "DESC" } {
  if (sort === "newest") return { key: s.createdAt, dir: "DESC" };
  // Most units sold / best average first; among equals the newest id, so pages never overlap.
  if (sort === "sales") return { key: "p.soldCount", dir: "DESC" };
  if (sort === "rating") return { key: "p.ratingScore", dir: "DESC" };
  return { key: s.price, dir: sort === "price" ? "ASC" : "DESC" };
}

/**
 * The rows from (key, id) on in the list's order, written so that both databases seek in the
 * index: a range on the key, the id deciding only among equal keys (MariaDB does not range-scan
 * a row comparison such as `(createdAt, id) <= (:k, :i)`).
 */
function seekFrom(key: string, id: string, dir: "ASC" | "DESC"): string {
  const [beyond, from] = dir === "ASC" ? [">", ">="] : ["<", "<="];
  return `${key} ${from} :fromKey AND (${key} ${beyond} :fromKey OR ${id} ${from} :fromId)`;
}

/**
 * Best first; a word in the name weighs four times a word in the description on both sides, a
 * whole word more than a fragment (the words' boost tokens, lib/products/search.ts).
 */
function relevanceOrder(
  dialect: Dialect,
  terms: readonly SearchWord[],
  replacements: Record<string, unknown>,
): string {
  if (dialect === "sqlite") return "bm25(products_fts, 4.0, 1.0) ASC";
  replacements.any = mysqlAnyWord(terms);
  replacements.whole = mysqlWholeWords(terms);
  return (
    "(MATCH(p.searchName) AGAINST (:any IN BOOLEAN MODE) * 4 + " +
    "MATCH(p.searchName) AGAINST (:whole IN BOOLEAN MODE) * 4 + " +
    "MATCH(p.searchName, p.searchBody) AGAINST (:any IN BOOLEAN MODE)) DESC"
  );
}
