/**
 * A merchant's own products. API.md has no "my products" route, so the list asks
 * GET /products?merchantId=… and checks the answer: when the server filtered, its paging is used;
 * when it ignored or refused the parameter, the public catalog is scanned and filtered here.
 */
import { ApiError } from "../api/errors.ts";
import type { Page, Product, ProductQuery } from "../api/types.ts";

type ListFn = (query: ProductQuery, signal?: AbortSignal) => Promise<Page<Product>>;

const SCAN_PAGE_SIZE = 100;
const SCAN_MAX_PAGES = 20;

export async function listOwnProducts(
  list: ListFn,
  merchantId: string,
  query: { page: number; pageSize: number; q?: string },
  signal?: AbortSignal,
): Promise<Page<Product>> {
  const base: ProductQuery = { sort: "newest", q: query.q || undefined };
  try {
    const page = await list(
      { ...base, merchantId, page: query.page, pageSize: query.pageSize },
      signal,
    );
    if (page.rows.every((p) => p.merchantId === merchantId)) return page;
  } catch (err) {
    if (!(err instanceof ApiError) || (err.status !== 422 && err.status !== 400)) throw err;
  }
  const mine: Product[] = [];
  for (let n = 1; n <= SCAN_MAX_PAGES; n++) {
    const page = await list({ ...base, page: n, pageSize: SCAN_PAGE_SIZE }, signal);
    mine.push(...page.rows.filter((p) => p.merchantId === merchantId));
    if (n >= page.totalPages) break;
  }
  const start = (query.page - 1) * query.pageSize;
  return {
    rows: mine.slice(start, start + query.pageSize),
    total: mine.length,
    page: query.page,
    pageSize: query.pageSize,
    totalPages: Math.max(1, Math.ceil(mine.length / query.pageSize)),
  };
}
