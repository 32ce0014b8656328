/** What the products service's action files share: `this`, the context type, cache keys. */
import type { Cachers, Context, Service, ServiceSettingSchema } from "moleculer";
import type { CatalogDeps } from "../../lib/products/catalog.ts";
import type { Actor } from "../../lib/products/merchant.ts";
import type { AuthMeta } from "../users.service.ts";

export type Ctx<P = unknown> = Context<P, AuthMeta & Record<string, unknown>>;

/** Which cached answers a write makes stale. */
export type CacheChange =
  /** Products added, changed or deleted: every catalog answer (lists, counts, categories). */
  | { scope: "catalog" }
  /** Only stock moved: those products' details and the lists that show their stock. */
  | { scope: "stock"; productIds: string[] };

export interface ProductsVars {
  deps: CatalogDeps;
}

export interface ProductsMethods {
  /** Cleans the affected keys here and, through a broadcast, on every other node. */
  cleanCache(change: CacheChange): Promise<void>;
  /** The merchant or admin calling (401 without a user, 403 for a customer). */
  actor(ctx: Ctx): Actor;
  /** How many products match a filter, from the cache when it is there. */
  cachedCount(filterKey: string, count: () => Promise<number>): Promise<number>;
}

export type ProductsThis = Service<ServiceSettingSchema> & ProductsVars & ProductsMethods;

export const CACHE_CLEAN_EVENT = "cache.clean.products";

/** The cache key of a product's detail, as Moleculer builds it from `keys: ["id"]`. */
export function detailKeys(id: string): string[] {
  // A string param is quoted in the key; a caller passing a number gets the unquoted form.
  return [`products.get:"${id}"`, `products.get:${id}`];
}

/** Removes the answers a change makes stale from one node's cacher. */
export async function cleanLocal(
  cacher: Cachers.Base<any> | null | undefined,
  change: CacheChange,
): Promise<void> {
  if (!cacher) return;
  if (change.scope === "catalog") {
    await cacher.clean("products.**");
    return;
  }
  await cacher.del(change.productIds.flatMap(detailKeys));
  await cacher.clean("products.list:**");
}
