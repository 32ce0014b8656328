/**
 * carts: each user's cart. Owns the table `cart_items`. Every action works on the cart of
 * `ctx.meta.user.id` (set by the gateway from the verified token, and propagated to sub-calls,
 * so the orders service reads and empties the cart on the user's behalf); never on an id, price
 * or total from the client. Nothing here is cached: a cart is per user and must be current.
 *
 * Actions: get, addItem, setItem, removeItem, clear; internal claim, releaseClaim, removeOrdered
 * (a cart is checked out once: lib/carts/claims.ts). Events: handles `user.deleted`.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { Sequelize } from "sequelize";
import {
  addItem,
  degradedCart,
  getCart,
  removeItem,
  setItem,
  type CartDeps,
} from "../lib/carts/cart.ts";
import { claimCart, releaseClaim } from "../lib/carts/claims.ts";
import { CartLines, type CartLine } from "../lib/carts/lines.ts";
import type { CallerMeta } from "../lib/auth/caller.ts";
import { errorType, UnavailableError } from "../lib/errors.ts";
import { productIdRule, quantityRule } from "../lib/http/routes/cart.ts";
import { paramsOf } from "../lib/http/routes/index.ts";
import type { ProductSummary } from "../lib/products/present.ts";
import { SAFE_READ_RETRY } from "../lib/resilience/retry.ts";
import { CallerMixin, type CallerMethods } from "../mixins/caller.mixin.ts";
import { DbMixin, type DbVars } from "../mixins/db.mixin.ts";
import { isTransient } from "../lib/resilience/transient.ts";

type Ctx<P = unknown> = Context<P, CallerMeta>;

/** The carts' table, reached through raw SQL (lib/carts/lines.ts), not Sequelize models. */
const defineCartModels = (db: Sequelize) => ({ lines: new CartLines(db) });

interface ItemParams {
  productId: string;
  quantity: number;
}

const productId = productIdRule;
const quantity = quantityRule;
const orderId = { type: "string", min: 1, max: 64 } as const;

type CartsVars = DbVars<ReturnType<typeof defineCartModels>>;
interface CartsMethods extends CallerMethods {
  deps(ctx: Ctx): CartDeps;
}

const CartsService: ServiceSchema<ServiceSettingSchema, CartsMethods, CartsVars> = {
  name: "carts",
  mixins: [DbMixin(defineCartModels), CallerMixin],

  actions: {
    /** The caller's cart at current catalog prices. */
    get: {
      retryPolicy: SAFE_READ_RETRY,
      params: paramsOf("carts.get"),
      async handler(ctx: Ctx) {
        const userId = this.callerId(ctx);
        try {
          return await getCart(this.deps(ctx), userId);
        } catch (err) {
          // Fallback: a catalog that is down (not a refusal) degrades the cart, it does not hide it.
          if (!isCatalogDown(err)) throw err;
          this.logger.warn(
            `Cart shown without prices: the catalog is unavailable (${errorType(err)})`,
          );
          return degradedCart(this.deps(ctx), userId);
        }
      },
    },

    /** Adds a product (merging into its line); the answer is the whole cart. */
    addItem: {
      params: paramsOf("carts.addItem"),
      handler(ctx: Ctx<ItemParams>) {
        const { productId: id, quantity: count } = ctx.params;
        return addItem(this.deps(ctx), this.callerId(ctx), id, count);
      },
    },

    /** Sets a line's quantity; 0 removes the line. */
    setItem: {
      params: paramsOf("carts.setItem"),
      handler(ctx: Ctx<ItemParams>) {
        const { productId: id, quantity: count } = ctx.params;
        return setItem(this.deps(ctx), this.callerId(ctx), id, count);
      },
    },

    /** Removes a line. */
    removeItem: {
      params: paramsOf("carts.removeItem"),
      handler(ctx: Ctx<{ productId: string }>) {
        return removeItem(this.deps(ctx), this.callerId(ctx), ctx.params.productId);
      },
    },

    /** Empties the cart (the user's DELETE /api/cart). */
    clear: {
      params: paramsOf("carts.clear"),
      async handler(ctx: Ctx) {
        await this.models.lines.clear(this.callerId(ctx));
        return null;
      },
    },

    /** A checkout claims the lines it read for its order: 409 CART_CHANGED, 422 CART_EMPTY. */
    claim: {
      visibility: "public",
      params: {
        $$strict: true,
        orderId,
        lines: {
          type: "array",
          max: 200,
          items: {
            type: "object",
            strict: "remove",
            props: { productId, quantity },
          },
        },
      },
      handler(ctx: Ctx<{ orderId: string; lines: CartLine[] }>) {
        const { orderId: id, lines } = ctx.params;
        return claimCart(this.db, this.callerId(ctx), id, lines);
      },
    },

    /** The claiming order failed (orders' outbox): the cart can be checked out again. */
    releaseClaim: {
      visibility: "public",
      params: { $$strict: true, orderId },
      handler(ctx: Ctx<{ orderId: string }>) {
        return releaseClaim(this.db, this.callerId(ctx), ctx.params.orderId);
      },
    },

    /** After a checkout (orders' outbox): the ordered lines go, unless changed since `before`. */
    removeOrdered: {
      visibility: "public",
      params: {
        $$strict: true,
        productIds: { type: "array", items: productId, max: 200 },
        before: { type: "date", convert: true },
        orderId: { ...orderId, optional: true },
      },
      async handler(ctx: Ctx<{ productIds: string[]; before: Date; orderId?: string }>) {
        const { productIds, before, orderId: id } = ctx.params;
        await this.models.lines.removeOrdered(this.callerId(ctx), productIds, before, id);
        return null;
      },
    },
  },

  events: {
    /** A deleted account leaves no cart behind. */
    "user.deleted": {
      async handler(ctx: Ctx<{ userId: string }>) {
        await this.models.lines.clear(String(ctx.params.userId));
      },
    },
  },

  methods: {
    deps(ctx: Ctx) {
      return {
        lines: this.models.lines,
        // One batched call for the whole cart, never one per line. A catalog that is down (not
        // a refusal) is a dependency down: 503 with Retry-After, never a 500 (API.md).
        products: (ids: string[]) =>
          ctx
            .call<ProductSummary[], { ids: string[] }>("products.getMany", { ids })
            .catch((err: unknown) => {
              if (!isCatalogDown(err)) throw err;
              throw new UnavailableError(
                "The catalog is unavailable; try again shortly",
                "SERVICE_UNAVAILABLE",
              );
            }),
      };
    },
  },
};

export default CartsService;

/** Failures that mean "the catalog is unreachable or failing", not "the request is wrong". */
function isCatalogDown(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (typeof code === "number" && code >= 500) || isTransient(err);
}
