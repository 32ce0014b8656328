/**
 * orders.reviewableLine (internal, for products' reviews): whether the caller bought this product
 * in this order and may review it now. Another user's order, or a product not in it, is 404 (as
 * if it did not exist); an order that is not `completed` is 409 ORDER_NOT_COMPLETED.
 */
import type { ActionSchema, Service } from "moleculer";
import { ConflictError, NotFoundError } from "../../lib/errors.ts";
import { ownOrder, requireUser, type Ctx, type OrdersDeps } from "./deps.ts";

export interface ReviewableLine {
  orderId: string;
  productId: string;
  quantity: number;
}

export async function reviewableLine(
  deps: OrdersDeps,
  ctx: Ctx<{ orderId: string; productId: string }>,
): Promise<ReviewableLine> {
  const user = requireUser(ctx);
  const { orderId, productId } = ctx.params;
  const order = await ownOrder(deps, user.id, orderId);
  const line = await deps.models.OrderItem.findOne({ where: { orderId: order.id, productId } });
  if (!line) throw new NotFoundError("Order line", productId);
  if (order.status !== "completed") {
    throw new ConflictError(
      "Only a completed order's lines can be reviewed",
      "ORDER_NOT_COMPLETED",
      {
        orderId,
        status: order.status,
      },
    );
  }
  return { orderId: order.id, productId: String(line.productId), quantity: line.quantity };
}

/** The action, spread into the orders service's actions. */
export const reviewableActions: Record<string, ActionSchema<Service & { deps: OrdersDeps }>> = {
  /** Internal: the caller's line of a completed order, or why it cannot be reviewed. */
  reviewableLine: {
    visibility: "public",
    params: {
      $$strict: true,
      orderId: { type: "string", numeric: true, max: 20 },
      productId: { type: "string", numeric: true, max: 20 },
    },
    handler(
      this: Service & { deps: OrdersDeps },
      ctx: Ctx<{ orderId: string; productId: string }>,
    ) {
      return reviewableLine(this.deps, ctx);
    },
  },
};
