/**
 * products: reviews of order lines and the ratings they give (lib/products/reviews.ts). Whether
 * the caller may review a line is asked of the orders service (orders.reviewableLine, scoped to
 * the caller); the author's name of the users service.
 */
import type { ActionSchema } from "moleculer";
import { UnauthorizedError } from "../../lib/errors.ts";
import { paramsOf } from "../../lib/http/routes/index.ts";
import { SAFE_READ_RETRY } from "../../lib/resilience/retry.ts";
import type { PageRequest } from "../../lib/pagination.ts";
import { addReview, listReviews, replyToReview } from "../../lib/products/reviews.ts";
import type { Ctx, ProductsThis } from "./context.ts";

interface ReviewParams {
  id: string;
  productId: string;
  rating: number;
  text?: string;
}

export const reviewActions: Record<string, ActionSchema<ProductsThis>> = {
  /** A product's reviews, newest first; one rating only when `rating` is given. */
  reviews: {
    retryPolicy: SAFE_READ_RETRY,
    params: paramsOf("products.reviews"),
    handler(this: ProductsThis, ctx: Ctx<PageRequest & { id: string; rating?: number }>) {
      const { id, ...query } = ctx.params;
      return listReviews(this.deps, id, query);
    },
  },

  /** The caller reviews a product of its completed order, once; the product's rating moves. */
  review: {
    params: paramsOf("products.review"),
    async handler(this: ProductsThis, ctx: Ctx<ReviewParams>) {
      const user = ctx.meta.user;
      if (!user) throw new UnauthorizedError();
      const { id: orderId, productId, rating, text = "" } = ctx.params;
      // 404 for another user's order or a product not in it, 409 when not completed.
      await ctx.call("orders.reviewableLine", { orderId, productId });
      const author = await ctx.call<{ name?: string | null }, { id: string }>("users.get", {
        id: user.id,
      });
      const created = await addReview(this.deps, {
        productId,
        orderId,
        userId: user.id,
        authorName: author.name?.trim() || "—",
        rating,
        text,
      });
      // Its rating shows in the product's view and in the lists.
      await this.cleanCache({ scope: "stock", productIds: [productId] });
      return created;
    },
  },

  /** The product's merchant (or an admin) answers a review of it, once. */
  replyToReview: {
    params: paramsOf("products.replyToReview"),
    handler(this: ProductsThis, ctx: Ctx<{ id: string; reviewId: string; text: string }>) {
      const { id, reviewId, text } = ctx.params;
      return replyToReview(this.deps, this.actor(ctx), id, reviewId, text);
    },
  },
};
