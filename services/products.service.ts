/**
 * products: the catalog (products, categories, search), merchants' products, and stock with
 * reservations per order. Owns the tables `products`, `categories`, `product_categories`,
 * `stock_reservations`, `stock_reservation_items`, `product_reviews` and `product_sales`.
 *
 * Actions: list, get, categories, picture (public through the gateway); create, update, remove
 * (merchants and admins); reviews (public), review, replyToReview (buyers; merchants); getMany,
 * reserve, release, commit, reservation (internal).
 * Events: broadcasts and handles `cache.clean.products`.
 */
import type { ServiceSchema, ServiceSettingSchema } from "moleculer";
import { platformOf } from "../lib/platform.ts";
import {
  anchorOrder,
  anchorSpacing,
  deepEnough,
  listAnchors,
  startAt,
} from "../lib/products/anchors.ts";
import { countMatching } from "../lib/products/catalog.ts";
import { ensureCategories } from "../lib/products/categories.ts";
import { defineProductModels } from "../lib/products/models.ts";
import { seedCatalog } from "../lib/products/seed.ts";
import { catalogActions } from "./products/catalog.actions.ts";
import {
  AnchorCache,
  CACHE_CLEAN_EVENT,
  CacheCleaner,
  cleanLocal,
  type CacheChange,
  type CacheCleanPayload,
} from "./products/cache.ts";
import type { Ctx, ProductsMethods, ProductsVars } from "./products/context.ts";
import { merchantActions } from "./products/merchant.actions.ts";
import { reviewActions } from "./products/reviews.actions.ts";
import { stockActions } from "./products/stock.actions.ts";
import { CallerMixin } from "../mixins/caller.mixin.ts";
import { DbMixin } from "../mixins/db.mixin.ts";

/**
 * A list's `total` comes from here, not from a COUNT(*) per request: one count per filter is
 * cached (any page and sort of that filter share it) until a product is added, changed or
 * deleted, or for COUNT_TTL seconds. Stock changes leave it alone: they do not change which
 * products match.
 */
const COUNT_TTL = 120;

const ProductsService: ServiceSchema<ServiceSettingSchema, ProductsMethods, ProductsVars> = {
  name: "products",
  mixins: [DbMixin(defineProductModels), CallerMixin],

  actions: { ...catalogActions, ...merchantActions, ...stockActions, ...reviewActions },

  events: {
    /** Another node changed the catalog: drop this node's stale answers (memory cachers). */
    [CACHE_CLEAN_EVENT]: {
      handler(ctx: Ctx<CacheCleanPayload>) {
        if (ctx.params.origin === this.broker.nodeID) return;
        return cleanLocal(this.broker.cacher, ctx.params.change);
      },
    },
  },

  methods: {
    cleanCache(change: CacheChange) {
      return this.cleaner.clean(change);
    },

    actor(ctx: Ctx) {
      return this.requireRole(
        ctx,
        ["merchant", "admin"],
        "Only merchants and admins manage products",
      );
    },

    async cachedCount(filterKey: string, count: () => Promise<number>) {
      const cacher = this.broker.cacher;
      const key = `products.count:${filterKey}`;
      const cached = (await cacher?.get(key)) as number | null | undefined;
      if (typeof cached === "number") return cached;
      const total = await count();
      await cacher?.set(key, total, COUNT_TTL);
      return total;
    },

    async pageStart(filter, sort, offset) {
      const order = anchorOrder(filter, sort);
      if (!order || !deepEnough(offset)) return { offset };
      const anchors = await this.anchors.get(`${order}:${JSON.stringify(filter)}`, async () => {
        const total = await this.cachedCount(JSON.stringify(filter), () =>
          countMatching(this.deps, filter),
        );
        return listAnchors(this.deps, filter, order, anchorSpacing(total));
      });
      return anchors ? startAt(anchors, offset) : { offset };
    },
  },

  created() {
    this.deps = { sequelize: this.db, models: this.models };
    this.cleaner = new CacheCleaner(this.broker);
    this.anchors = new AnchorCache(this.broker);
  },

  async started() {
    if (!platformOf(this.broker).config.seedOnStart) {
      await ensureCategories(this.deps.models);
    } else {
      const seeded = await seedCatalog(this.deps.sequelize, this.deps.models);
      if (seeded.inserted > 0) {
        this.logger.info(`Seeded the demo catalog: ${seeded.inserted} products in ${seeded.ms} ms`);
      }
    }
    // Anchors in a shared cache may describe a catalog loaded before this start.
    await this.anchors.reset();
  },

  async stopped() {
    this.cleaner.stop();
  },
};

export default ProductsService;
