/**
 * Settling a captured payment against its order, wherever the capture is learnt of: the pay call's
 * answer, or the payments outbox (payment.captured, relayed until acknowledged). Idempotent: the
 * order becomes `paid` once, with one payment; any other capture for it is refunded, and so is a
 * capture for an order that was cancelled or expired meanwhile. No money is kept without an order.
 */
import { countOrderTransition } from "../../lib/observability/metrics.ts";
import { transact } from "../../lib/transactions.ts";
import type { PaymentSummary } from "../../lib/orders/models.ts";
import type { PaymentView } from "../../lib/payments/models.ts";
import { deliverSoon, type OrdersDeps } from "./deps.ts";
import { TOPICS } from "./topics.ts";

export type Settlement = "paid" | "already-paid" | "refunding" | "not-captured";

export async function settlePayment(deps: OrdersDeps, payment: PaymentView): Promise<Settlement> {
  if (payment.status !== "captured") return "not-captured";
  const { Order } = deps.models;
  const result = await transact(deps.sequelize, async (t) => {
    const now = new Date();
    const [paid] = await Order.update(
      {
        status: "paid",
        paymentId: payment.id,
        payment: summaryOf(payment),
        paidAt: now,
        // Kept: a retry of the attempt that paid is answered with the paid order.
        payingAttempt: payment.attemptId,
        payingUntil: null,
      },
      { where: { id: payment.orderId, status: "pending" }, transaction: t },
    );
    if (paid === 1) {
      countOrderTransition(deps.broker, "pending", "paid");
      const commit = await deps.outbox.add(t, TOPICS.commitStock, { orderId: payment.orderId });
      return { settlement: "paid" as const, ids: [commit] };
    }
    // A locking read: the latest committed order, whatever snapshot the transaction has.
    const order = await Order.findByPk(payment.orderId, { transaction: t, lock: t.LOCK.UPDATE });
    if (order && order.paymentId === payment.id) {
      return { settlement: "already-paid" as const, ids: [] };
    }
    const refund = await deps.outbox.add(t, TOPICS.refundPayment, {
      paymentId: payment.id,
      orderId: payment.orderId,
    });
    return { settlement: "refunding" as const, ids: [refund] };
  });
  await deliverSoon(deps, result.ids);
  if (result.settlement === "paid") {
    deps.broker.emit("order.paid", { orderId: payment.orderId, paymentId: payment.id });
  } else if (result.settlement === "refunding") {
    deps.logger.warn(
      `Payment ${payment.id} captured for order ${payment.orderId}, which cannot take it: refunding`,
    );
  }
  return result.settlement;
}

export function summaryOf(p: PaymentView): PaymentSummary {
  return {
    id: p.id,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    cardLast4: p.cardLast4,
    cardBrand: p.cardBrand,
    transactionId: p.transactionId,
    declineCode: p.declineCode,
    createdAt: p.createdAt,
  };
}
