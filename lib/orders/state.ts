/**
 * The order state machine. `reserving` and `failed` are internal (a checkout between writing the
 * order and holding its stock, and a checkout that did not get its stock): the API never shows
 * them. Every other change is a conditional update from one of the allowed source states.
 *
 *   reserving ─▶ pending ─▶ paid ─▶ shipped ─▶ completed
 *       │           │         │
 *       ▼           ▼         ▼
 *     failed    cancelled  refunded
 */

export const ORDER_STATUSES = [
  "reserving",
  "failed",
  "pending",
  "paid",
  "shipped",
  "completed",
  "cancelled",
  "refunded",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses a client can see and filter by. */
export const PUBLIC_STATUSES = [
  "pending",
  "paid",
  "shipped",
  "completed",
  "cancelled",
  "refunded",
] as const satisfies readonly OrderStatus[];
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  reserving: ["pending", "failed"],
  failed: [],
  pending: ["paid", "cancelled"],
  paid: ["shipped", "refunded"],
  shipped: ["completed"],
  completed: [],
  cancelled: [],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isPublicStatus(status: string): status is PublicStatus {
  return (PUBLIC_STATUSES as readonly string[]).includes(status);
}

/** Statuses in which the reserved stock is still owed to the order (held or committed). */
export function holdsStock(status: OrderStatus): boolean {
  return (
    status === "pending" || status === "paid" || status === "shipped" || status === "completed"
  );
}

/** Fulfilment steps an administrator may take: the status each one starts from. */
export const FULFILMENT: Readonly<Record<"shipped" | "completed", OrderStatus>> = {
  shipped: "paid",
  completed: "shipped",
};

/** What a cancel request does to an order in the given status, or undefined when it cannot. */
export function cancellation(status: OrderStatus): "cancel" | "refund" | undefined {
  if (status === "pending") return "cancel";
  if (status === "paid") return "refund";
  return undefined;
}

/** True when the order can still be paid at `now`. */
export function isPayable(order: { status: OrderStatus; expiresAt: Date }, now: Date): boolean {
  return order.status === "pending" && order.expiresAt.getTime() > now.getTime();
}
