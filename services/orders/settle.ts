/**
 * Settling a captured payment against its order, wherever the capture is learnt of: the pay call's
 * answer, or the payments outbox (payment.captured, relayed until acknowledged). Idempotent: the
 * order becomes `paid` once, with one payment; any other capture for it is refunded, and so is a
 * capture for an order that was cancelled or expired meanwhile. No money is kept without an order.
 */
import { RAW_RETRY, transaction } from "../../lib/transactions.ts";
import type { ChargeResult, PaymentView } from "../../lib/payments/models.ts";
import type { PaymentSummary } from "../../lib/orders/models.ts";
import {
  applyTransition,
  lockedPaymentId,
  type OrderChanges,
} from "../../lib/orders/order-rows.ts";
import { deliverSoon, type OrdersDeps } from "./deps.ts";
import { TOPICS } from "./topics.ts";

/** How a capture was settled; `changes` are what a `paid` settlement wrote to the order. */
export type Settlement =
  { kind: "paid"; changes: OrderChanges } | { kind: "already-paid" | "refunding" | "not-captured" };

/**
 * `payment.reportId` (a charge's answer): the payments outbox's report of this capture, which
 * is acknowledged once the capture is settled here, so that it is never sent.
 */
export async function settlePayment(deps: OrdersDeps, payment: ChargeResult): Promise<Settlement> {
  if (payment.status !== "captured") return { kind: "not-captured" };
  const paidColumns = {
    paymentId: payment.id,
    payment: summaryOf(payment),
    // Kept: a retry of the attempt that paid is answered with the paid order.
    payingAttempt: payment.attemptId,
    payingUntil: null,
  };
  const result = await transaction(
    deps.sequelize,
    async (t) => {
      const changes = await applyTransition(deps.sequelize, t, payment.orderId, "paid", {
        set: paidColumns,
        broker: deps.broker,
      });
      if (changes) {
        const commit = await deps.outbox.addOwned(t, TOPICS.commitStock, {
          orderId: payment.orderId,
        });
        return { settlement: "paid" as const, ids: [commit], changes };
      }
      // A locking read: the latest committed order, whatever snapshot the transaction has.
      if ((await lockedPaymentId(deps.sequelize, t, payment.orderId)) === payment.id) {
        return { settlement: "already-paid" as const, ids: [] };
      }
      const refund = await deps.outbox.addOwned(t, TOPICS.refundPayment, {
        paymentId: payment.id,
        orderId: payment.orderId,
      });
      return { settlement: "refunding" as const, ids: [refund] };
    },
    RAW_RETRY,
  );
  if (payment.reportId) deps.broker.emit("payment.settled", { reportId: payment.reportId });
  await deliverSoon(deps, result.ids);
  if (result.settlement === "paid") {
    deps.broker.emit("order.paid", { orderId: payment.orderId, paymentId: payment.id });
  } else if (result.settlement === "refunding") {
    deps.logger.warn(
      `Payment ${payment.id} captured for order ${payment.orderId}, which cannot take it: refunding`,
    );
  }
  return result.settlement === "paid"
    ? { kind: "paid", changes: result.changes }
    : { kind: result.settlement };
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
    refundedAmount: p.refundedAmount,
  };
}
