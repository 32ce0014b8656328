/**
 * The orders outbox's consumer: one idempotent call per topic. Resolving acknowledges the message;
 * throwing retries it later (a service down, a timeout); a refusal that can never change is set
 * aside as undeliverable, with its error, for an operator.
 */
import { Op } from "sequelize";
import { RETRY, transaction } from "../../lib/transactions.ts";
import { isClientError } from "../../lib/resilience/transient.ts";
import { Undeliverable, type OutboxMessage } from "../../lib/outbox/outbox.ts";
import type { PaymentView } from "../../lib/payments/models.ts";
import type { OrdersDeps } from "./deps.ts";
import { abandonCheckout } from "./checkout-failures.ts";
import { summaryOf } from "./settle.ts";
import { TOPICS } from "./topics.ts";

/** What the orders' messages carry: each topic some of these (written by the use cases). */
interface Payload {
  orderId: string;
  userId: string;
  paymentId: string;
  productIds?: unknown;
  before?: string;
  items?: Array<{ productId: string; quantity: number }>;
  /** A refund of part of the payment (a return of some units), in minor units. */
  amount?: number;
}

export function createDeliver(deps: () => OrdersDeps) {
  return async function deliver(message: OutboxMessage): Promise<void> {
    const d = deps();
    const payload = message.payload as Payload;
    const opts = { timeout: d.settings.callTimeoutMs };
    try {
      switch (message.topic) {
        case TOPICS.releaseStock:
          await d.broker.call("products.release", { orderId: payload.orderId }, opts);
          return;
        case TOPICS.restockStock:
          await d.broker.call(
            "products.restock",
            { orderId: payload.orderId, items: payload.items },
            opts,
          );
          return;
        case TOPICS.commitStock:
          return await commitStock(d, payload.orderId, opts);
        case TOPICS.clearCart: {
          const meta = { user: { id: payload.userId, role: "customer" } };
          // Messages written before productIds/before existed empty the whole cart.
          if (!Array.isArray(payload.productIds)) {
            await d.broker.call("carts.clear", {}, { ...opts, meta });
            return;
          }
          const { productIds, before, orderId } = payload;
          const params = { productIds, before, ...(orderId ? { orderId: String(orderId) } : {}) };
          await d.broker.call("carts.removeOrdered", params, { ...opts, meta });
          return;
        }
        case TOPICS.releaseCart: {
          const meta = { user: { id: payload.userId, role: "customer" } };
          await d.broker.call(
            "carts.releaseClaim",
            { orderId: payload.orderId },
            { ...opts, meta },
          );
          return;
        }
        case TOPICS.refundPayment:
          return await refund(d, payload, opts);
        case TOPICS.checkoutReminder:
          return await abandonCheckout(d, payload.orderId);
        default:
          throw new Undeliverable(`Unknown topic ${message.topic}`);
      }
    } catch (err) {
      if (isClientError(err)) {
        throw new Undeliverable(
          `${(err as Error).name} ${(err as { type?: string }).type}: ${(err as Error).message}`,
        );
      }
      throw err;
    }
  };
}

async function commitStock(d: OrdersDeps, orderId: string, opts: object): Promise<void> {
  try {
    await d.broker.call("products.commit", { orderId }, opts);
  } catch (err) {
    if ((err as { type?: string }).type !== "RESERVATION_RELEASED") throw err;
    // Paid, then refunded before the commit got through: the release rightly won.
    const order = await d.models.Order.findByPk(orderId);
    if (order?.status === "refunded") return;
    d.logger.error(`The stock of paid order ${orderId} was released before it was committed`);
    throw err;
  }
}

async function refund(
  d: OrdersDeps,
  { paymentId, orderId, amount }: { paymentId: string; orderId: string; amount?: number },
  opts: object,
): Promise<void> {
  // No amount: the whole capture (a cancellation, a capture nobody may keep, older messages).
  const payment = await d.broker.call<PaymentView, { paymentId: string; amount?: number }>(
    "payments.refund",
    { paymentId, ...(amount === undefined ? {} : { amount }) },
    opts,
  );
  // The order shows its payment as refunded: the payment it was paid with, or, for an order that
  // was never paid (cancelled while the capture ran), the capture refunded for it (API.md). A
  // second capture of a paid order is not its payment and does not replace it.
  await transaction(
    d.sequelize,
    (t) =>
      d.models.Order.update(
        { payment: summaryOf(payment) },
        {
          where: { id: orderId, [Op.or]: [{ paymentId }, { paymentId: null }] },
          transaction: t,
        },
      ),
    RETRY,
  );
}
