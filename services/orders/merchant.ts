/** A merchant's orders: the list of orders holding its products, shipping them, its sales. */
import type { WhereOptions } from "sequelize";
import { ConflictError, NotFoundError } from "../../lib/errors.ts";
import {
  merchantOrderView,
  salesSummary,
  shipRight,
  type MerchantOrderView,
  type SalesSummary,
} from "../../lib/orders/merchant.ts";
import type { Order } from "../../lib/orders/models.ts";
import { applyTransition } from "../../lib/orders/order-rows.ts";
import { isPublicStatus } from "../../lib/orders/state.ts";
import { pageWindow, toPage, type Page } from "../../lib/pagination.ts";
import { RETRY, transaction } from "../../lib/transactions.ts";
import { reload, requireUser, type Ctx, type OrdersDeps } from "./deps.ts";
import { listWhere, type ListParams } from "./queries.ts";

export interface ShipParams {
  id: string;
  carrier: string;
  trackingNumber: string;
}

/** Orders holding the caller's products, newest first, with only its lines. */
export async function listMerchantOrders(
  deps: OrdersDeps,
  ctx: Ctx<ListParams>,
): Promise<Page<MerchantOrderView>> {
  const merchantId = requireUser(ctx).id;
  const { page, pageSize, limit, offset } = pageWindow(ctx.params);
  const own = { sql: "merchantId = ?", values: [merchantId] };
  const where: WhereOptions<Order> = listWhere(deps, ctx.params, own);
  const { rows, count } = await deps.models.Order.findAndCountAll({
    where,
    order: [["id", "DESC"]],
    limit,
    offset,
  });
  const lines =
    rows.length === 0
      ? []
      : await deps.models.OrderItem.findAll({
          where: { orderId: rows.map((o) => o.id), merchantId },
          order: [["id", "ASC"]],
        });
  const views = rows.map((o) =>
    merchantOrderView(
      o,
      lines.filter((l) => String(l.orderId) === String(o.id)),
      merchantId,
    ),
  );
  return toPage(views, count, page, pageSize);
}

/**
 * `paid` → `shipped` with a carrier and tracking number, when every line of the order is the
 * caller's. Another merchant's order is 404; an order mixing sellers is 409 (the admin ships it).
 */
export async function shipAsMerchant(
  deps: OrdersDeps,
  ctx: Ctx<ShipParams>,
): Promise<MerchantOrderView> {
  const merchantId = requireUser(ctx).id;
  const { id, carrier, trackingNumber } = ctx.params;
  const order = await deps.models.Order.findByPk(id);
  if (!order || !isPublicStatus(order.status)) throw new NotFoundError("Order", id);
  const lines = await deps.models.OrderItem.findAll({
    where: { orderId: order.id },
    order: [["id", "ASC"]],
  });
  const right = shipRight(lines, merchantId);
  if (right === "not_found") throw new NotFoundError("Order", id);
  if (right === "mixed") {
    throw new ConflictError(
      "This order also holds other sellers' products: the shop ships it",
      "ORDER_HAS_OTHER_MERCHANTS",
      { orderId: order.id },
    );
  }
  const moved = await transaction(
    deps.sequelize,
    (t) =>
      applyTransition(deps.sequelize, t, order.id, "ship", {
        set: { carrier, trackingNumber },
        broker: deps.broker,
      }),
    RETRY,
  );
  const current = await reload(deps, order.id);
  if (!moved) {
    throw new ConflictError(`A ${current.status} order cannot be shipped`, "ORDER_NOT_PAID", {
      orderId: order.id,
      status: current.status,
    });
  }
  deps.broker.emit("order.shipped", { orderId: order.id, merchantId });
  return merchantOrderView(current, lines, merchantId);
}

/** The caller's sales over the last `days` days. */
export async function merchantSummary(
  deps: OrdersDeps,
  ctx: Ctx<{ days?: number }>,
): Promise<SalesSummary> {
  const merchantId = requireUser(ctx).id;
  return salesSummary(deps.sequelize, merchantId, ctx.params.days ?? 30);
}
