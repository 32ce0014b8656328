/**
 * products: stock reservations for the orders service (internal, `visibility: "public"`).
 * reserve, release, commit and reservation are idempotent per orderId and safe to retry; see
 * lib/products/stock.ts. heldReservations feeds the orders service's reconciler.
 */
import type { ActionSchema } from "moleculer";
import { NotFoundError } from "../../lib/errors.ts";
import { isProductId } from "../../lib/products/catalog.ts";
import { heldBefore } from "../../lib/products/stock-rows.ts";
import {
  commit,
  getReservation,
  release,
  reserve,
  type ReserveItem,
} from "../../lib/products/stock.ts";
import type { Ctx, ProductsThis } from "./context.ts";
import { errorType } from "../../lib/errors.ts";
import { countStockOut } from "../../lib/observability/metrics.ts";

const orderId = { type: "string", min: 1, max: 64 } as const;

/** Stock changes wait for a database connection here rather than in the pool (which times out). */
const STOCK_BULKHEAD = { enabled: true, concurrency: 10, maxQueueSize: 5000 };

export const stockActions: Record<string, ActionSchema<ProductsThis>> = {
  /** Takes the stock of every item for an order, all or nothing, at the catalog's prices. */
  reserve: {
    visibility: "public",
    bulkhead: STOCK_BULKHEAD,
    params: {
      $$strict: true,
      orderId,
      items: {
        type: "array",
        min: 1,
        max: 200,
        items: {
          type: "object",
          strict: "remove",
          props: {
            productId: { type: "string", min: 1, max: 40, convert: true },
            quantity: { type: "number", integer: true, min: 1, max: 99 },
          },
        },
      },
    },
    async handler(this: ProductsThis, ctx: Ctx<{ orderId: string; items: ReserveItem[] }>) {
      const unknown = ctx.params.items.find((i) => !isProductId(i.productId));
      if (unknown) throw new NotFoundError("Product", unknown.productId);
      const { result, changedProductIds } = await reserve(
        this.deps,
        ctx.params.orderId,
        ctx.params.items,
      ).catch((err: unknown) => {
        if (errorType(err) === "OUT_OF_STOCK") countStockOut(this.broker, "rejected");
        throw err;
      });
      if (changedProductIds.length > 0) {
        await this.cleanCache({ scope: "stock", productIds: changedProductIds });
      }
      return result;
    },
  },

  /** Gives the order's stock back (held or committed); a no-op when released or unknown. */
  release: {
    visibility: "public",
    bulkhead: STOCK_BULKHEAD,
    params: { $$strict: true, orderId },
    async handler(this: ProductsThis, ctx: Ctx<{ orderId: string }>) {
      const { result, changedProductIds } = await release(this.deps, ctx.params.orderId);
      if (changedProductIds.length > 0) {
        await this.cleanCache({ scope: "stock", productIds: changedProductIds });
      }
      return result;
    },
  },

  /**
   * Makes a held reservation final (the order was paid) and counts its units as sold; 409
   * RESERVATION_RELEASED if released.
   */
  commit: {
    visibility: "public",
    bulkhead: STOCK_BULKHEAD,
    params: { $$strict: true, orderId },
    async handler(this: ProductsThis, ctx: Ctx<{ orderId: string }>) {
      const { result, changedProductIds } = await commit(this.deps, ctx.params.orderId);
      // The products' sold counts moved: their views and the lists that show them are stale.
      if (changedProductIds.length > 0) {
        await this.cleanCache({ scope: "stock", productIds: changedProductIds });
      }
      return result;
    },
  },

  /** Orders whose stock is still held since before `before`, oldest first (for reconciliation). */
  heldReservations: {
    visibility: "public",
    params: {
      $$strict: true,
      before: { type: "date", convert: true },
      limit: { type: "number", integer: true, min: 1, max: 500, optional: true },
    },
    handler(this: ProductsThis, ctx: Ctx<{ before: Date; limit?: number }>) {
      return heldBefore(this.deps, ctx.params.before, ctx.params.limit ?? 100);
    },
  },

  /** The order's reservation and its items, or status "none". */
  reservation: {
    visibility: "public",
    params: { $$strict: true, orderId },
    handler(this: ProductsThis, ctx: Ctx<{ orderId: string }>) {
      return getReservation(this.deps, ctx.params.orderId);
    },
  },
};
