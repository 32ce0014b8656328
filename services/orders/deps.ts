/** What the orders use cases share: the node's models, outbox, settings, and small helpers. */
import type { Context, Logger, ServiceBroker } from "moleculer";
import type { Sequelize } from "sequelize";
import type { CallerMeta } from "../../lib/auth/caller.ts";
import { BadRequestError, NotFoundError } from "../../lib/errors.ts";
import type { IdempotencyDeps } from "../../lib/orders/idempotency-store.ts";
import type { Order, OrderModels } from "../../lib/orders/models.ts";
import { isPublicStatus } from "../../lib/orders/state.ts";
import { orderView, type OrderView, type ViewLine } from "../../lib/orders/view.ts";
import type { Deliver, Outbox, OutboxMessage } from "../../lib/outbox/outbox.ts";

export type Ctx<P = unknown> = Context<P, CallerMeta>;

export { requireUser } from "../../lib/auth/caller.ts";

export interface OrdersSettings {
  /** ORDER_PAYMENT_TTL_SECONDS in ms: how long a pending order waits for its payment. */
  paymentTtlMs: number;
  /** ORDER_RECOVERY_SECONDS in ms: when an unfinished step is presumed crashed. */
  recoveryMs: number;
  /** MAX_PENDING_ORDERS: open orders a buyer may have at once. */
  maxPendingOrders: number;
  /** Timeout of each call to another service. */
  callTimeoutMs: number;
}

export interface OrdersDeps {
  broker: ServiceBroker;
  logger: Logger;
  sequelize: Sequelize;
  models: OrderModels;
  outbox: Outbox;
  /** The outbox consumer (for delivering a message right after its transaction commits). */
  deliver: Deliver;
  idempotency: IdempotencyDeps;
  settings: OrdersSettings;
}

export function requireIdempotencyKey(ctx: Ctx): string {
  const key = ctx.meta.idempotencyKey;
  if (typeof key !== "string" || key.length < 1 || key.length > 255) {
    throw new BadRequestError(
      "An Idempotency-Key header of 1 to 255 characters is required",
      "IDEMPOTENCY_KEY_REQUIRED",
    );
  }
  return key;
}

/** The caller's order, or 404 (another user's order is indistinguishable from none). */
export async function ownOrder(deps: OrdersDeps, userId: string, id: string): Promise<Order> {
  const order = await deps.models.Order.findOne({ where: { id, userId } });
  if (!order || !isPublicStatus(order.status)) throw new NotFoundError("Order", id);
  return order;
}

export async function reload(deps: OrdersDeps, id: string): Promise<Order> {
  const order = await deps.models.Order.findByPk(id);
  if (!order) throw new NotFoundError("Order", id);
  return order;
}

/** The order's public view; `lines` when the caller holds them as stored (else they are read). */
export async function viewOf(
  deps: OrdersDeps,
  order: Order,
  lines?: readonly ViewLine[],
): Promise<OrderView> {
  if (lines) return orderView(order, lines);
  const items = await deps.models.OrderItem.findAll({
    where: { orderId: order.id },
    order: [["id", "ASC"]],
  });
  return orderView(order, items);
}

export async function viewsOf(deps: OrdersDeps, orders: Order[]): Promise<OrderView[]> {
  if (orders.length === 0) return [];
  const items = await deps.models.OrderItem.findAll({
    where: { orderId: orders.map((o) => o.id) },
    order: [["id", "ASC"]],
  });
  return orders.map((o) =>
    orderView(
      o,
      items.filter((i) => i.orderId === o.id),
    ),
  );
}

/** Delivers `addOwned` messages right after their transaction committed (the relay retries). */
export async function deliverSoon(deps: OrdersDeps, messages: readonly OutboxMessage[]) {
  await deps.outbox.deliverOwned(messages, deps.deliver);
}
