/**
 * products: reading the catalog. Public reads are cached (keys: every parameter that changes the
 * answer; nothing per user). Their params come from the route table (lib/http/routes/catalog.ts),
 * with `$$strict: "remove"`: the cacher answers before the validator runs, so an unknown parameter
 * must not make a hit (200) differ from a miss (422).
 */
import type { ActionSchema } from "moleculer";
import { NotFoundError, UnprocessableError } from "../../lib/errors.ts";
import { paramsOf } from "../../lib/http/routes/index.ts";
import { pageWindow, toPage, type PageRequest } from "../../lib/pagination.ts";
import {
  countMatching,
  isProductId,
  pageIds,
  productSummaries,
  productViews,
} from "../../lib/products/catalog.ts";
import { findCategory, listCategories, type Language } from "../../lib/products/categories.ts";
import { productPictureSvg } from "../../lib/products/picture.ts";
import { SAFE_READ_RETRY } from "../../lib/resilience/retry.ts";
import type { ListFilter, Sort } from "../../lib/products/queries.ts";
import { searchWords } from "../../lib/products/search.ts";
import type { Ctx, ProductsThis } from "./context.ts";

/**
 * The display name of a product's merchant, for the product page (users.get, their public profile):
 * null when the product is the shop's own (no merchant), the merchant set no name, or the users
 * service does not answer in time (the product page must not fail for it; the detail is cached
 * for at most its TTL, and dropped with the product's other cache entries when it changes).
 */
async function merchantNameOf(
  ctx: Ctx<unknown>,
  merchantId: string | null,
): Promise<string | null> {
  if (!merchantId) return null;
  try {
    const user = await ctx.call<{ name?: string | null }, { id: string }>(
      "users.get",
      { id: merchantId },
      { retries: 0, timeout: 2000 },
    );
    return user?.name?.trim() || null;
  } catch {
    return null;
  }
}

interface ListParams extends PageRequest {
  q?: string;
  lang?: Language;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  sort?: Sort;
  merchantId?: string;
}

const LIST_CACHE = {
  keys: ["page", "pageSize", "q", "category", "minPrice", "maxPrice", "sort", "merchantId", "lang"],
  ttl: 60,
};

export const catalogActions: Record<string, ActionSchema<ProductsThis>> = {
  /** A page of live products: search (`q`), filters, sort. */
  list: {
    retryPolicy: SAFE_READ_RETRY,
    cache: LIST_CACHE,
    // Internal (tests, the cache): the same parameters as GET /api/products.
    params: paramsOf("products.listText"),
    handler(this: ProductsThis, ctx: Ctx<ListParams>) {
      return listPage(this, ctx.params);
    },
  },

  /**
   * GET /api/products: the same page as its JSON text, cached as such, which the gateway sends
   * as it is (lib/http/routes/catalog.ts `jsonText`): a page is ~10 KB of JSON that would
   * otherwise be parsed and serialised again at every hop.
   */
  listText: {
    retryPolicy: SAFE_READ_RETRY,
    visibility: "published",
    cache: LIST_CACHE,
    params: paramsOf("products.listText"),
    async handler(this: ProductsThis, ctx: Ctx<ListParams>) {
      return JSON.stringify(await listPage(this, ctx.params));
    },
  },

  /** One live product; 404 when unknown or deleted. */
  get: {
    retryPolicy: SAFE_READ_RETRY,
    cache: { keys: ["id", "lang"], ttl: 120 },
    params: paramsOf("products.get"),
    async handler(this: ProductsThis, ctx: Ctx<{ id: string; lang?: Language }>) {
      const [product] = isProductId(ctx.params.id)
        ? await productViews(this.deps, [ctx.params.id], ctx.params.lang)
        : [];
      if (!product) throw new NotFoundError("Product", ctx.params.id);
      return { ...product, merchantName: await merchantNameOf(ctx, product.merchantId) };
    },
  },

  /** Every category with its number of live products, named in `lang` (zh by default). */
  categories: {
    retryPolicy: SAFE_READ_RETRY,
    cache: { keys: ["lang"], ttl: 300 },
    params: paramsOf("products.categories"),
    handler(this: ProductsThis, ctx: Ctx<{ lang?: Language }>) {
      return listCategories(this.deps.models, ctx.params.lang);
    },
  },

  /** The SVG picture the shop draws for a product (deleted ones too: old orders show them). */
  picture: {
    retryPolicy: SAFE_READ_RETRY,
    params: paramsOf("products.picture"),
    async handler(this: ProductsThis, ctx: Ctx<{ id: string }>) {
      const [product] = await productSummaries(this.deps, [ctx.params.id]);
      if (!product) throw new NotFoundError("Picture", ctx.params.id);
      ctx.meta.$responseType = "image/svg+xml";
      ctx.meta.$responseHeaders = { "Cache-Control": "public, max-age=3600" };
      return productPictureSvg(product.id, product.name);
    },
  },

  /** Internal: products by id in one query, deleted ones included with `available: false`. */
  getMany: {
    retryPolicy: SAFE_READ_RETRY,
    visibility: "public",
    params: {
      $$strict: true,
      ids: { type: "array", max: 200, items: { type: "string", max: 40, convert: true } },
    },
    handler(this: ProductsThis, ctx: Ctx<{ ids: string[] }>) {
      return productSummaries(this.deps, ctx.params.ids);
    },
  },
};

/** A page of live products: search (`q`), filters, sort. */
async function listPage(svc: ProductsThis, params: ListParams) {
  const { q, category, minPrice, maxPrice, merchantId } = params;
  const { page, pageSize, limit, offset } = pageWindow(params);
  const empty = toPage([], 0, page, pageSize);
  if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) {
    throw new UnprocessableError("minPrice must not exceed maxPrice", "VALIDATION_ERROR", [
      { field: "minPrice", message: "minPrice must not exceed maxPrice" },
    ]);
  }
  const terms = searchWords(q);
  // A query of punctuation alone has nothing to search for.
  if (q && terms.length === 0) return empty;
  const filter: ListFilter = { terms, minPrice, maxPrice };
  if (merchantId) filter.merchantId = merchantId;
  if (category) {
    const found = await findCategory(svc.deps.models, category);
    if (!found) return empty;
    filter.categoryId = found.id;
  }
  const sort = params.sort ?? (terms.length > 0 ? "relevance" : "newest");
  const count = (f: ListFilter) =>
    svc.cachedCount(JSON.stringify(f), () => countMatching(svc.deps, f));
  // The count and a deep page's anchor come from the cache at once: no extra round trip.
  let [total, start] = await Promise.all([count(filter), svc.pageStart(filter, sort, offset)]);
  // No product has every word: the products with any of them, best first.
  const relax = total === 0 && terms.flatMap((w) => w.terms).length > 1;
  if (relax) {
    filter.relaxed = true;
    [total, start] = await Promise.all([count(filter), svc.pageStart(filter, sort, offset)]);
  }
  const ids =
    offset < total ? await pageIds(svc.deps, filter, sort, limit, start.offset, start.from) : [];
  const list = toPage(await productViews(svc.deps, ids, params.lang), total, page, pageSize);
  return relax ? { ...list, relaxed: true } : list;
}
