/** Changes to an existing order: the customer's cancel and address change, admin fulfilment. */
import type { OutboxMessage } from "../../lib/outbox/outbox.ts";
import { Op } from "sequelize";
import { RETRY, transaction } from "../../lib/transactions.ts";
import { applyTransition } from "../../lib/orders/order-rows.ts";
import { ConflictError, NotFoundError } from "../../lib/errors.ts";
import type { Address, Order } from "../../lib/orders/models.ts";
import { cancellation, FULFILMENT, isPublicStatus } from "../../lib/orders/state.ts";
import type { OrderView } from "../../lib/orders/view.ts";
import {
  deliverSoon,
  ownOrder,
  reload,
  requireUser,
  viewOf,
  type Ctx,
  type OrdersDeps,
} from "./deps.ts";
import { notPending } from "./pay.ts";
import { TOPICS } from "./topics.ts";

/** `pending` → `cancelled` (stock released); `paid` → `refunded` (payment refunded, stock released). */
export async function cancelOrder(deps: OrdersDeps, ctx: Ctx<{ id: string }>): Promise<OrderView> {
  const user = requireUser(ctx);
  let order = await ownOrder(deps, user.id, ctx.params.id);
  // Two rounds at most: the order may get paid between reading and cancelling it.
  for (let round = 0; round < 2; round++) {
    const action = cancellation(order.status);
    if (!action) break;
    const ids =
      action === "cancel"
        ? await cancelPending(deps, order, "customer")
        : await refundPaid(deps, order);
    if (ids) {
      await deliverSoon(deps, ids);
      deps.broker.emit(action === "cancel" ? "order.cancelled" : "order.refunded", {
        orderId: order.id,
        reason: "customer",
      });
      return viewOf(deps, await reload(deps, order.id));
    }
    order = await reload(deps, order.id);
  }
  throw new ConflictError(`A ${order.status} order cannot be cancelled`, "ORDER_NOT_CANCELLABLE", {
    orderId: order.id,
    status: order.status,
  });
}

/** Cancels a pending order and queues the release of its stock; undefined when it was not pending. */
export async function cancelPending(
  deps: OrdersDeps,
  order: Order,
  reason: "customer" | "expired",
): Promise<OutboxMessage[] | undefined> {
  const now = new Date();
  // The sweeper keeps off an order while a charge for it is in flight (its lease).
  const due = {
    sql: "expiresAt <= ? AND (payingUntil IS NULL OR payingUntil <= ?)",
    values: [now, now],
  };
  return transaction(
    deps.sequelize,
    async (t) => {
      const cancelled = await applyTransition(
        deps.sequelize,
        t,
        order.id,
        reason === "expired" ? "expire" : "cancel",
        { now, broker: deps.broker, ...(reason === "expired" ? { where: due } : {}) },
      );
      if (!cancelled) return undefined;
      return [await deps.outbox.addOwned(t, TOPICS.releaseStock, { orderId: order.id })];
    },
    RETRY,
  );
}

async function refundPaid(deps: OrdersDeps, order: Order): Promise<OutboxMessage[] | undefined> {
  return transaction(
    deps.sequelize,
    async (t) => {
      const refunded = await applyTransition(deps.sequelize, t, order.id, "refund", {
        broker: deps.broker,
      });
      if (!refunded) return undefined;
      // Nothing of a cancelled order stays sold: every unit is refunded.
      await deps.models.OrderItem.update(
        { refundedQuantity: deps.sequelize.col("quantity") },
        { where: { orderId: order.id }, transaction: t },
      );
      return [
        await deps.outbox.addOwned(t, TOPICS.refundPayment, {
          paymentId: order.paymentId,
          orderId: order.id,
        }),
        await deps.outbox.addOwned(t, TOPICS.releaseStock, { orderId: order.id }),
      ];
    },
    RETRY,
  );
}

/** Changes the delivery address while the order awaits payment. */
export async function changeAddress(
  deps: OrdersDeps,
  ctx: Ctx<{ id: string; address: Address }>,
): Promise<OrderView> {
  const user = requireUser(ctx);
  const order = await ownOrder(deps, user.id, ctx.params.id);
  const now = new Date();
  const [changed] = await transaction(
    deps.sequelize,
    (t) =>
      deps.models.Order.update(
        { address: ctx.params.address },
        { where: { id: order.id, status: "pending", expiresAt: { [Op.gt]: now } }, transaction: t },
      ),
    RETRY,
  );
  const current = await reload(deps, order.id);
  if (changed === 0) throw notPending(current);
  return viewOf(deps, current);
}

/** Admin fulfilment: `paid` → `shipped` → `completed`; asking for the current status is a no-op. */
export async function fulfil(
  deps: OrdersDeps,
  ctx: Ctx<{
    id: string;
    status: "shipped" | "completed";
    carrier?: string;
    trackingNumber?: string;
  }>,
): Promise<OrderView> {
  const { id, status, carrier, trackingNumber } = ctx.params;
  // Shipping may name the carrier and tracking number (a merchant's ship always does).
  const set =
    status === "shipped"
      ? { carrier: carrier ?? null, trackingNumber: trackingNumber ?? null }
      : undefined;
  const order = await deps.models.Order.findByPk(id);
  if (!order || !isPublicStatus(order.status)) throw new NotFoundError("Order", id);
  if (order.status === status) return viewOf(deps, order);
  const moved = await transaction(
    deps.sequelize,
    (t) =>
      applyTransition(deps.sequelize, t, id, FULFILMENT[status], {
        broker: deps.broker,
        ...(set ? { set } : {}),
      }),
    RETRY,
  );
  const current = await reload(deps, id);
  if (!moved) {
    throw new ConflictError(
      `A ${current.status} order cannot become ${status}`,
      "INVALID_STATUS_TRANSITION",
      { orderId: id, status: current.status, requested: status },
    );
  }
  deps.broker.emit(`order.${status}`, { orderId: id });
  return viewOf(deps, current);
}
