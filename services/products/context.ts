/** What the products service's action files share: `this` and the context type. */
import type { Context, Service, ServiceSettingSchema } from "moleculer";
import type { CallerMeta } from "../../lib/auth/caller.ts";
import type { ProductModels } from "../../lib/products/models.ts";
import type { CallerMethods } from "../../mixins/caller.mixin.ts";
import type { DbVars } from "../../mixins/db.mixin.ts";
import type { PageStart } from "../../lib/products/anchors.ts";
import type { CatalogDeps } from "../../lib/products/catalog.ts";
import type { Actor } from "../../lib/products/merchant.ts";
import type { ListFilter, Sort } from "../../lib/products/queries.ts";
import type { AnchorCache, CacheChange, CacheCleaner } from "./cache.ts";

export type Ctx<P = unknown> = Context<P, CallerMeta>;

export interface ProductsVars extends DbVars<ProductModels> {
  deps: CatalogDeps;
  cleaner: CacheCleaner;
  anchors: AnchorCache;
}

export interface ProductsMethods extends CallerMethods {
  /** Cleans the affected keys here and, through a broadcast, on every other node. */
  cleanCache(change: CacheChange): Promise<void>;
  /** The merchant or admin calling (401 without a user, 403 for a customer). */
  actor(ctx: Ctx): Actor;
  /** How many products match a filter, from the cache when it is there. */
  cachedCount(filterKey: string, count: () => Promise<number>): Promise<number>;
  /** Where the page at `offset` starts: from the nearest anchor when the page is deep. */
  pageStart(filter: ListFilter, sort: Sort, offset: number): Promise<PageStart>;
}

export type ProductsThis = Service<ServiceSettingSchema> & ProductsVars & ProductsMethods;
