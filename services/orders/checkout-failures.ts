/**
 * How a checkout ends when it gets no stock, or is given up on: the order `failed` (invisible
 * to its buyer), its stock released when it may be held, and the errors the buyer is answered.
 */
import { RETRY, transaction } from "../../lib/transactions.ts";
import { applyTransition } from "../../lib/orders/order-rows.ts";
import { nextStatus } from "../../lib/orders/state.ts";
import { ConflictError, UnavailableError, UnprocessableError } from "../../lib/errors.ts";
import { deliverSoon, type OrdersDeps } from "./deps.ts";
import { TOPICS } from "./topics.ts";

/** What may be held for a failing checkout, and so must be released (each leaves a tombstone). */
export interface Held {
  /** products.reserve was called (it may have taken stock). */
  stock: boolean;
  /** carts.claim was called (the cart may be claimed by this order). */
  cart: boolean;
}

/** Ends a checkout that got no stock: `failed` (invisible), what it may hold released. */
export async function failCheckout(
  deps: OrdersDeps,
  order: { id: string; userId: string },
  reminderId: string | undefined,
  held: Held,
): Promise<void> {
  const orderId = order.id;
  const ids = await transaction(
    deps.sequelize,
    async (t) => {
      const failed = await applyTransition(deps.sequelize, t, orderId, "reserveFailed", {
        broker: deps.broker,
      });
      if (reminderId) await deps.outbox.markDelivered(t, [reminderId]);
      if (!failed) return [];
      const releases = [];
      if (held.stock) {
        releases.push(await deps.outbox.addOwned(t, TOPICS.releaseStock, { orderId }));
      }
      if (held.cart) {
        const cart = { orderId, userId: order.userId };
        releases.push(await deps.outbox.addOwned(t, TOPICS.releaseCart, cart));
      }
      return releases;
    },
    RETRY,
  );
  await deliverSoon(deps, ids);
}

/** The crash reminder: a checkout still `reserving` this long after it began has died. */
export async function abandonCheckout(deps: OrdersDeps, orderId: string): Promise<void> {
  const order = await deps.models.Order.findByPk(orderId);
  if (order && nextStatus(order.status, "reserveFailed")) {
    await failCheckout(deps, order, undefined, { stock: true, cart: true });
  }
}

/** 503, never remembered: a retry with the same key detaches the failed order and starts over. */
export function interrupted(): UnavailableError {
  return new UnavailableError("The checkout was interrupted; try again", "CHECKOUT_INTERRUPTED");
}

/** 409: the buyer has MAX_PENDING_ORDERS unpaid orders already. */
export function tooManyPending(deps: OrdersDeps): ConflictError {
  const max = deps.settings.maxPendingOrders;
  return new ConflictError(
    `You have ${max} unpaid orders; pay or cancel one before checking out again`,
    "TOO_MANY_PENDING_ORDERS",
    { max },
  );
}

/** The catalog's refusals, as the checkout's: a vanished product is unavailable, not "not found". */
export function asCheckoutError(err: unknown): unknown {
  const e = err as { type?: string; data?: unknown };
  if (e.type === "NOT_FOUND") {
    return new UnprocessableError(
      "A product in your cart no longer exists",
      "PRODUCT_UNAVAILABLE",
      e.data,
    );
  }
  if (["OUT_OF_STOCK", "PRODUCT_UNAVAILABLE", "QUANTITY_LIMIT"].includes(String(e.type))) {
    return err;
  }
  return new ConflictError("The stock could not be reserved", "RESERVATION_REFUSED");
}
