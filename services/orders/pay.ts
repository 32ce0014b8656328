/**
 * POST /api/orders/:id/pay (and the paying step of a checkout with a card).
 *
 * A payment lease on the order (payingAttempt/payingUntil) keeps two attempts from charging at
 * once and keeps the expiry sweeper off an order whose charge is in flight. The charge is
 * idempotent on its attempt id (derived from the Idempotency-Key), and the processor refuses to
 * capture once the lease is over, so a capture is always settled: here, or through the payments
 * outbox if this node dies first.
 */
import { Op } from "sequelize";
import { autocommit } from "../../lib/transactions.ts";
import {
  ConflictError,
  PaymentDeclinedError,
  UnavailableError,
  UnprocessableError,
} from "../../lib/errors.ts";
import { attemptIdOf } from "../../lib/orders/idempotency.ts";
import type { Order } from "../../lib/orders/models.ts";
import { isPayable } from "../../lib/orders/state.ts";
import type { OrderView } from "../../lib/orders/view.ts";
import { cardProblems, type CardInput } from "../../lib/payments/card.ts";
import type { ChargeResult } from "../../lib/payments/models.ts";
import { ownOrder, reload, requireUser, viewOf, type Ctx, type OrdersDeps } from "./deps.ts";
import { isClientError } from "../../lib/resilience/transient.ts";
import { idempotently } from "./idempotent.ts";
import { settlePayment, summaryOf } from "./settle.ts";

export interface PayParams {
  id: string;
  card: CardInput;
}

export async function pay(deps: OrdersDeps, ctx: Ctx<PayParams>): Promise<OrderView> {
  const user = requireUser(ctx);
  const { id, card } = ctx.params;
  return idempotently(deps, ctx, "POST /orders/:id/pay", { id, card }, 200, async (scope) => {
    assertCard(card);
    const order = await ownOrder(deps, user.id, id);
    const attemptId = attemptIdOf(scope, order.id);
    // A retry of the attempt that paid (its answer was lost) gets the paid order.
    if (order.paymentId && order.payingAttempt === attemptId) return viewOf(deps, order);
    return viewOf(deps, await payOrder(deps, ctx, order, card, attemptId));
  });
}

/** 422 before anything is written when the card cannot be charged (Luhn, expiry, CVV). */
export function assertCard(card: CardInput): void {
  const problems = cardProblems(card, new Date());
  if (problems.length > 0) {
    throw new UnprocessableError(
      problems[0].message,
      problems[0].type,
      problems.map(({ field, message }) => ({ field: `card.${field}`, message })),
    );
  }
}

/** Pays a pending order; `leasedUntil` when the caller already holds this attempt's lease. */
export async function payOrder(
  deps: OrdersDeps,
  ctx: Ctx,
  order: Order,
  card: CardInput,
  attemptId: string,
  leasedUntil?: Date,
): Promise<Order> {
  const leaseUntil = leasedUntil ?? (await takeLease(deps, order, attemptId));
  let payment: ChargeResult;
  try {
    payment = await ctx.call(
      "payments.charge",
      {
        orderId: order.id,
        attemptId,
        userId: order.userId,
        amount: order.total,
        currency: order.currency,
        card,
        notAfter: leaseUntil.getTime() - 1_000,
      },
      { timeout: deps.settings.callTimeoutMs, retries: 2 },
    );
  } catch (err) {
    await releaseLease(deps, order.id, attemptId);
    if (isClientError(err)) throw err;
    // data.dependency: orders itself is healthy, so callers' circuit breakers ignore this 503.
    throw new UnavailableError(
      "Payments are unavailable; the order stays pending, try again shortly",
      "PAYMENT_UNAVAILABLE",
      { dependency: "payments" },
    );
  }
  if (payment.status === "declined") {
    await autocommit(deps.sequelize, (t) =>
      deps.models.Order.update(
        { payment: summaryOf(payment), payingAttempt: null, payingUntil: null },
        { where: { id: order.id, status: "pending", payingAttempt: attemptId }, transaction: t },
      ),
    );
    const declined =
      payment.declineCode === "INSUFFICIENT_FUNDS" ? "INSUFFICIENT_FUNDS" : "PAYMENT_DECLINED";
    throw new PaymentDeclinedError(
      declined === "INSUFFICIENT_FUNDS"
        ? "The card has insufficient funds"
        : "The card was declined",
      declined,
      { orderId: order.id, paymentId: payment.id },
    );
  }
  const settlement = await settlePayment(deps, payment);
  if (settlement.kind === "paid") {
    // The row as just written (the conditional update matched it): no need to read it back.
    order.set(settlement.changes, { raw: true });
    return order;
  }
  if (settlement.kind === "already-paid") return reload(deps, order.id);
  throw notPending(await reload(deps, order.id));
}

/** Takes the order's payment lease for this attempt, or says why the order cannot be paid. */
async function takeLease(deps: OrdersDeps, order: Order, attemptId: string): Promise<Date> {
  const now = new Date();
  if (!isPayable(order, now)) throw notPending(order);
  const until = new Date(now.getTime() + deps.settings.recoveryMs);
  const [taken] = await autocommit(deps.sequelize, (t) =>
    deps.models.Order.update(
      { payingAttempt: attemptId, payingUntil: until },
      {
        where: {
          id: order.id,
          status: "pending",
          expiresAt: { [Op.gt]: now },
          [Op.or]: [
            { payingUntil: null },
            { payingUntil: { [Op.lte]: now } },
            { payingAttempt: attemptId },
          ],
        },
        transaction: t,
      },
    ),
  );
  if (taken === 1) return until;
  const current = await reload(deps, order.id);
  if (!isPayable(current, new Date())) throw notPending(current);
  throw new ConflictError("Another payment of this order is in progress", "PAYMENT_IN_PROGRESS", {
    orderId: order.id,
  });
}

async function releaseLease(deps: OrdersDeps, orderId: string, attemptId: string): Promise<void> {
  await autocommit(deps.sequelize, (t) =>
    deps.models.Order.update(
      { payingAttempt: null, payingUntil: null },
      { where: { id: orderId, payingAttempt: attemptId }, transaction: t },
    ),
  ).catch((err) => deps.logger.warn(`Cannot release the payment lease of order ${orderId}`, err));
}

export function notPending(order: Order): ConflictError {
  const status = order.status === "pending" ? "expired" : order.status;
  return new ConflictError(`The order is ${status}, not awaiting payment`, "ORDER_NOT_PENDING", {
    orderId: order.id,
    status,
  });
}
