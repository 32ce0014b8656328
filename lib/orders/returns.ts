/**
 * Receipt, completion and returns (issue 17) as plain rules: when an order counts as delivered,
 * whether a return may still be asked for, which units a return covers, who decides it, and what
 * the order shows of it. The use cases (services/orders/returns.ts) apply them through the state
 * machine (lib/orders/state.ts).
 */
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from "../errors.ts";
import { iso } from "../model-helpers.ts";
import type { ReturnItem, ReturnStatus } from "./models.ts";
import type { OrderStatus } from "./state.ts";

export const DAY_MS = 86_400_000;

/** What the rules read of an order. */
export interface ReturnableOrder {
  id: string;
  status: OrderStatus;
  shippedAt: Date | null;
  completedAt: Date | null;
}

/**
 * When the order was delivered, as far as the shop knows: when the buyer confirmed it (or it
 * completed by itself), else, while it is still on its way, when it was shipped. Null before.
 */
export function deliveredAt(
  order: Pick<ReturnableOrder, "shippedAt" | "completedAt">,
): Date | null {
  return order.completedAt ?? order.shippedAt ?? null;
}

/** The last moment a return may be asked for (RETURN_WINDOW_DAYS after delivery), or null. */
export function returnDeadline(
  order: Pick<ReturnableOrder, "shippedAt" | "completedAt">,
  windowDays: number,
): Date | null {
  const delivered = deliveredAt(order);
  return delivered ? new Date(delivered.getTime() + windowDays * DAY_MS) : null;
}

/**
 * Refuses a return request that may not be made at `now`: 409 ORDER_NOT_RETURNABLE unless the
 * order is shipped or completed, 409 RETURN_WINDOW_CLOSED once the window has passed.
 */
export function checkReturnable(order: ReturnableOrder, now: Date, windowDays: number): void {
  if (order.status !== "shipped" && order.status !== "completed") {
    throw new ConflictError(`A ${order.status} order cannot be returned`, "ORDER_NOT_RETURNABLE", {
      orderId: order.id,
      status: order.status,
    });
  }
  const deadline = returnDeadline(order, windowDays);
  if (!deadline || now.getTime() > deadline.getTime()) {
    throw new ConflictError(
      `Returns are accepted for ${windowDays} days after delivery`,
      "RETURN_WINDOW_CLOSED",
      { orderId: order.id, deadline: deadline ? deadline.toISOString() : null },
    );
  }
}

/** Shipped before this moment, an order is due to complete by itself (ORDER_AUTO_COMPLETE_DAYS). */
export function autoCompleteCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * The units a return covers: the buyer's lines (duplicates merged), each a product of the order
 * and no more than was ordered; every line in full when none are named. 422 INVALID_RETURN_ITEMS
 * otherwise.
 */
export function returnItems(
  lines: readonly { productId: string; quantity: number }[],
  asked?: readonly ReturnItem[],
): ReturnItem[] {
  const ordered = new Map<string, number>();
  for (const l of lines) ordered.set(l.productId, (ordered.get(l.productId) ?? 0) + l.quantity);
  if (!asked || asked.length === 0) {
    return [...ordered].map(([productId, quantity]) => ({ productId, quantity }));
  }
  const wanted = new Map<string, number>();
  for (const { productId, quantity } of asked) {
    wanted.set(productId, (wanted.get(productId) ?? 0) + quantity);
  }
  for (const [productId, quantity] of wanted) {
    const most = ordered.get(productId);
    if (most === undefined) {
      throw new UnprocessableError(
        `Product ${productId} is not in this order`,
        "INVALID_RETURN_ITEMS",
        { productId },
      );
    }
    if (quantity > most) {
      throw new UnprocessableError(
        `Only ${most} of product ${productId} were ordered`,
        "INVALID_RETURN_ITEMS",
        { productId, ordered: most, requested: quantity },
      );
    }
  }
  return [...wanted].map(([productId, quantity]) => ({ productId, quantity }));
}

/** A line's refunded units, as an approved return sets them. */
export interface RefundedLine {
  id: string;
  refundedQuantity: number;
}

/**
 * What an approved return gives back: each line's refunded units (the returned units of its
 * product, the first lines of a product first) and the money, the price of exactly those units.
 * The rest of the order stays sold and paid for.
 */
export function refundForReturn(
  lines: readonly { id: string; productId: string; price: number; quantity: number }[],
  returned: readonly ReturnItem[],
): { lines: RefundedLine[]; amount: number } {
  const left = new Map<string, number>();
  for (const r of returned) left.set(r.productId, (left.get(r.productId) ?? 0) + r.quantity);
  const refunded: RefundedLine[] = [];
  let amount = 0;
  for (const line of lines) {
    const units = Math.min(line.quantity, left.get(line.productId) ?? 0);
    if (units <= 0) continue;
    left.set(line.productId, (left.get(line.productId) ?? 0) - units);
    refunded.push({ id: line.id, refundedQuantity: units });
    amount += units * line.price;
  }
  return { lines: refunded, amount };
}

/**
 * Whether `caller` may decide the order's return: an admin always; a merchant when every line is
 * its own. An order with none of its lines is none of its business (404, as if it did not exist);
 * a mixed order stays with the admin (403 NOT_ORDER_MERCHANT).
 */
export function checkDecider(
  caller: { id: string; role: string },
  orderId: string,
  lines: readonly { merchantId: string | number | null }[],
): void {
  if (caller.role === "admin") return;
  const own = lines.filter((l) => l.merchantId !== null && String(l.merchantId) === caller.id);
  if (own.length === 0) throw new NotFoundError("Order", orderId);
  if (own.length < lines.length) {
    throw new ForbiddenError(
      "This order also holds other merchants' products: an administrator decides its return",
      "NOT_ORDER_MERCHANT",
      { orderId },
    );
  }
}

/** API.md Order.returnRequest. */
export interface ReturnRequestView {
  reason: string;
  status: ReturnStatus;
  items: ReturnItem[];
  decisionReason: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** What the order shows of its return request (the last one), or null when none was made. */
export function returnRequestView(order: {
  returnStatus: ReturnStatus | null;
  returnReason: string | null;
  returnItems: ReturnItem[] | null;
  returnDecisionReason: string | null;
  returnRequestedAt: Date | null;
  returnDecidedAt: Date | null;
}): ReturnRequestView | null {
  if (!order.returnStatus || !order.returnRequestedAt) return null;
  return {
    reason: order.returnReason ?? "",
    status: order.returnStatus,
    items: (order.returnItems ?? []).map((i) => ({ productId: i.productId, quantity: i.quantity })),
    decisionReason: order.returnDecisionReason ?? null,
    createdAt: iso(order.returnRequestedAt)!,
    decidedAt: iso(order.returnDecidedAt ?? null),
  };
}
