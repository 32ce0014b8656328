/**
 * After delivery (issue 17): the buyer confirms receipt, the sweeper completes what nobody
 * confirmed, the buyer asks for a return, the merchant (or an admin) decides it. Every status
 * change is an event of lib/orders/state.ts; an approved return queues its refund and restock in
 * the transaction that makes it `refunded` (the orders outbox), so each happens exactly once
 * however often the request is retried and whichever node dies.
 */
import { Op } from "sequelize";
import { ConflictError, NotFoundError, UnprocessableError } from "../../lib/errors.ts";
import type { Order, ReturnItem } from "../../lib/orders/models.ts";
import { applyTransition } from "../../lib/orders/order-rows.ts";
import {
  autoCompleteCutoff,
  checkDecider,
  checkReturnable,
  refundForReturn,
  returnItems,
} from "../../lib/orders/returns.ts";
import { isPublicStatus } from "../../lib/orders/state.ts";
import type { OrderView } from "../../lib/orders/view.ts";
import type { OutboxMessage } from "../../lib/outbox/outbox.ts";
import { RETRY, transaction } from "../../lib/transactions.ts";
import {
  deliverSoon,
  ownOrder,
  reload,
  requireUser,
  viewOf,
  type Ctx,
  type OrdersDeps,
} from "./deps.ts";
import { TOPICS } from "./topics.ts";

/** The buyer confirms receipt: `shipped` → `completed`; 409 ORDER_NOT_SHIPPED otherwise. */
export async function receiveOrder(deps: OrdersDeps, ctx: Ctx<{ id: string }>): Promise<OrderView> {
  const user = requireUser(ctx);
  const order = await ownOrder(deps, user.id, ctx.params.id);
  const moved = await transaction(
    deps.sequelize,
    (t) => applyTransition(deps.sequelize, t, order.id, "receive", { broker: deps.broker }),
    RETRY,
  );
  const current = await reload(deps, order.id);
  if (!moved) {
    throw new ConflictError(`A ${current.status} order cannot be received`, "ORDER_NOT_SHIPPED", {
      orderId: order.id,
      status: current.status,
    });
  }
  deps.broker.emit("order.completed", { orderId: order.id, by: "buyer" });
  return viewOf(deps, current);
}

const BATCH = 100;

/**
 * The auto-complete sweeper, run by every orders node: each order shipped more than
 * ORDER_AUTO_COMPLETE_DAYS before `now` becomes `completed` by a conditional update (the state
 * machine's `autoComplete`), so nodes racing for one order complete it once and a restarted node
 * simply finds what is still due. Returns how many it completed.
 */
export async function completeDueOrders(deps: OrdersDeps, now = new Date()): Promise<number> {
  const cutoff = autoCompleteCutoff(now, deps.settings.autoCompleteDays);
  const due = await deps.models.Order.findAll({
    attributes: ["id"],
    where: { status: "shipped", shippedAt: { [Op.lte]: cutoff } },
    order: [["shippedAt", "ASC"]],
    limit: BATCH,
  });
  let completed = 0;
  for (const { id } of due) {
    const moved = await transaction(
      deps.sequelize,
      (t) =>
        applyTransition(deps.sequelize, t, id, "autoComplete", {
          now,
          broker: deps.broker,
          where: { sql: "shippedAt <= ?", values: [cutoff] },
        }),
      RETRY,
    );
    if (!moved) continue;
    completed++;
    deps.broker.emit("order.completed", { orderId: id, by: "auto" });
  }
  return completed;
}

export interface ReturnParams {
  id: string;
  reason: string;
  items?: ReturnItem[];
}

/**
 * The buyer asks to return a shipped or completed order within RETURN_WINDOW_DAYS of delivery:
 * `return_requested`, the status it came from remembered for a rejection.
 */
export async function requestReturn(deps: OrdersDeps, ctx: Ctx<ReturnParams>): Promise<OrderView> {
  const user = requireUser(ctx);
  let order = await ownOrder(deps, user.id, ctx.params.id);
  const lines = await deps.models.OrderItem.findAll({ where: { orderId: order.id } });
  const items = returnItems(lines, ctx.params.items);
  // Two rounds at most: the sweeper may complete the shipped order between reading and asking.
  for (let round = 0; round < 2; round++) {
    const now = new Date();
    checkReturnable(order, now, deps.settings.returnWindowDays);
    const asked = await transaction(
      deps.sequelize,
      (t) =>
        applyTransition(deps.sequelize, t, order.id, "requestReturn", {
          now,
          current: order.status,
          broker: deps.broker,
          set: {
            returnStatus: "requested",
            returnReason: ctx.params.reason,
            returnItems: items,
            returnRequestedAt: now,
            returnDecidedAt: null,
            returnDecisionReason: null,
          },
        }),
      RETRY,
    );
    order = await reload(deps, order.id);
    if (asked) {
      deps.broker.emit("order.returnRequested", { orderId: order.id });
      return viewOf(deps, order, lines);
    }
  }
  throw new ConflictError(`A ${order.status} order cannot be returned`, "ORDER_NOT_RETURNABLE", {
    orderId: order.id,
    status: order.status,
  });
}

export interface DecideParams {
  id: string;
  approve: boolean;
  reason?: string;
}

/**
 * The merchant of every line (or an admin) decides a requested return. Approved: `refunded`, and
 * in the same transaction the lines' refunded units are set and the refund of their price and
 * their restock are queued (each
 * consumer idempotent: payments.refund per payment, products.restock per order). Rejected (a
 * reason is required): back to the status it was requested from, with the reason.
 */
export async function decideReturn(deps: OrdersDeps, ctx: Ctx<DecideParams>): Promise<OrderView> {
  const caller = requireUser(ctx);
  const { id, approve, reason } = ctx.params;
  const order = await deps.models.Order.findByPk(id);
  if (!order || !isPublicStatus(order.status)) throw new NotFoundError("Order", id);
  const lines = await deps.models.OrderItem.findAll({ where: { orderId: order.id } });
  checkDecider(caller, order.id, lines);
  if (!approve && !reason) {
    throw new UnprocessableError("A rejected return needs a reason", "VALIDATION_ERROR", {
      field: "reason",
    });
  }
  if (order.status !== "return_requested" || !order.returnFrom) throw notRequested(order);
  const now = new Date();
  const decided = {
    returnStatus: approve ? "approved" : "rejected",
    returnDecidedAt: now,
    returnDecisionReason: reason ?? null,
  };
  const messages = await transaction(
    deps.sequelize,
    async (t): Promise<OutboxMessage[] | undefined> => {
      if (!approve) {
        const back = await applyTransition(deps.sequelize, t, order.id, "rejectReturn", {
          now,
          previous: order.returnFrom!,
          broker: deps.broker,
          set: decided,
        });
        return back ? [] : undefined;
      }
      const refunded = await applyTransition(deps.sequelize, t, order.id, "approveReturn", {
        now,
        broker: deps.broker,
        set: decided,
      });
      if (!refunded) return undefined;
      const items = order.returnItems?.length ? order.returnItems : returnItems(lines);
      // The returned units' price, not the order's: what the buyer keeps stays paid for.
      const refund = refundForReturn(lines, items);
      for (const line of refund.lines) {
        await deps.models.OrderItem.update(
          { refundedQuantity: line.refundedQuantity },
          { where: { id: line.id }, transaction: t },
        );
      }
      return [
        await deps.outbox.addOwned(t, TOPICS.refundPayment, {
          paymentId: order.paymentId,
          orderId: order.id,
          amount: refund.amount,
        }),
        await deps.outbox.addOwned(t, TOPICS.restockStock, { orderId: order.id, items }),
      ];
    },
    RETRY,
  );
  if (!messages) throw notRequested(await reload(deps, order.id));
  await deliverSoon(deps, messages);
  deps.broker.emit(approve ? "order.refunded" : "order.returnRejected", {
    orderId: order.id,
    reason: approve ? "return" : reason,
  });
  // The lines again: an approval has just set their refunded units.
  return viewOf(deps, await reload(deps, order.id));
}

function notRequested(order: Order): ConflictError {
  return new ConflictError(
    `No return is awaiting a decision on this ${order.status} order`,
    "RETURN_NOT_REQUESTED",
    { orderId: order.id, status: order.status },
  );
}
