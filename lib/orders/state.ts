/**
 * The order state machine, and the only place an order's status is decided. `reserving` and
 * `failed` are internal (a checkout between writing the order and holding its stock, and a
 * checkout that did not get its stock): the API never shows them. Every change is an event of
 * EVENTS, applied as one conditional update from the event's source statuses
 * (`applyTransition`, lib/orders/order-rows.ts); a new status or event is one line here.
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

/** The statuses only the orders service sees. */
const INTERNAL_STATUSES = ["reserving", "failed"] as const satisfies readonly OrderStatus[];

/** The status a new order is written with (the start of a checkout). */
export const INITIAL_STATUS = "reserving" satisfies OrderStatus;

/** The order columns a transition may stamp with its time. */
export type StampColumn = "paidAt" | "closedAt" | "shippedAt" | "completedAt";

interface EventRule {
  /** The statuses the event applies in (the UPDATE's `status IN (…)`). */
  readonly from: readonly OrderStatus[];
  readonly to: OrderStatus;
  /** Columns set to the time of the transition. */
  readonly stamp?: readonly StampColumn[];
  /** Columns the event always sets to a fixed value. */
  readonly set?: Readonly<Record<string, string | null>>;
}

/**
 * Every event an order goes through, named after what happens to it. One line per event; the
 * transition table (`nextStatus`), the public statuses and the updates all follow from it.
 */
export const EVENTS = {
  /** The checkout holds its stock: the order awaits payment. */
  reserved: { from: ["reserving"], to: "pending" },
  /** The checkout got no stock (or was given up on). */
  reserveFailed: { from: ["reserving"], to: "failed", stamp: ["closedAt"] },
  /** A capture was settled against the order. */
  paid: { from: ["pending"], to: "paid", stamp: ["paidAt"] },
  /** The buyer cancelled the unpaid order. */
  cancel: {
    from: ["pending"],
    to: "cancelled",
    stamp: ["closedAt"],
    set: { cancelReason: "customer", payingUntil: null },
  },
  /** The unpaid order's payment time ran out (the sweeper). */
  expire: {
    from: ["pending"],
    to: "cancelled",
    stamp: ["closedAt"],
    set: { cancelReason: "expired", payingUntil: null },
  },
  /** The buyer cancelled the paid order: the payment is refunded. */
  refund: {
    from: ["paid"],
    to: "refunded",
    stamp: ["closedAt"],
    set: { cancelReason: "customer" },
  },
  /** An administrator shipped the paid order. */
  ship: { from: ["paid"], to: "shipped", stamp: ["shippedAt"] },
  /** An administrator marked the shipped order completed. */
  complete: { from: ["shipped"], to: "completed", stamp: ["closedAt", "completedAt"] },
} as const satisfies Record<string, EventRule>;
export type OrderEvent = keyof typeof EVENTS;
export const ORDER_EVENTS = Object.keys(EVENTS) as OrderEvent[];

/** The guarded update of one event: what a conditional UPDATE of the order writes and checks. */
export interface Transition {
  event: OrderEvent;
  /** The status written. */
  to: OrderStatus;
  /** `WHERE status IN (…)`: the update applies only from these. */
  from: readonly OrderStatus[];
  /** Every column the event writes besides `status` (stamps, fixed values, updatedAt). */
  set: Record<string, Date | string | null>;
  /** The labels of the order-transition metric (shop.orders.transitions.total). */
  metric: { from: string; to: string };
}

/**
 * The guarded update of `event` at `now`. Given the order's `current` status (when the caller
 * knows it), undefined when the event cannot apply to it (the update would match nothing).
 */
export function transition(
  event: OrderEvent,
  current?: OrderStatus,
  now: Date = new Date(),
): Transition | undefined {
  const rule: EventRule = EVENTS[event];
  if (current !== undefined && !rule.from.includes(current)) return undefined;
  const set: Transition["set"] = { ...rule.set };
  for (const column of rule.stamp ?? []) set[column] = now;
  set.updatedAt = now;
  return {
    event,
    to: rule.to,
    from: rule.from,
    set,
    metric: { from: current ?? rule.from.join("|"), to: rule.to },
  };
}

/** The status `event` takes an order in status `from` to, or undefined when it is refused. */
export function nextStatus(from: OrderStatus, event: OrderEvent): OrderStatus | undefined {
  return transition(event, from)?.to;
}

/** True when some event takes an order from `from` to `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_EVENTS.some((event) => nextStatus(from, event) === to);
}

/** The statuses a client can see and filter by: every status but the checkout's internal ones. */
export const PUBLIC_STATUSES = ORDER_STATUSES.filter(
  (s) => !(INTERNAL_STATUSES as readonly OrderStatus[]).includes(s),
) as [PublicStatus, ...PublicStatus[]];
export type PublicStatus = Exclude<OrderStatus, (typeof INTERNAL_STATUSES)[number]>;

export function isPublicStatus(status: string): status is PublicStatus {
  return (PUBLIC_STATUSES as readonly string[]).includes(status);
}

/** Statuses in which the reserved stock is still owed to the order (held or committed). */
export function holdsStock(status: OrderStatus): boolean {
  return (
    status === "pending" || status === "paid" || status === "shipped" || status === "completed"
  );
}

/** Statuses an order is over in without a sale: stock still held for it is owed back. */
export const OVER_WITHOUT_SALE: readonly OrderStatus[] = ["failed", "cancelled", "refunded"];

/** Fulfilment steps an administrator may take: the status asked for, and its event. */
export const FULFILMENT: Readonly<Record<"shipped" | "completed", OrderEvent>> = {
  shipped: "ship",
  completed: "complete",
};

/** What a cancel request does to an order in the given status, or undefined when it cannot. */
export function cancellation(status: OrderStatus): "cancel" | "refund" | undefined {
  if (nextStatus(status, "cancel")) return "cancel";
  if (nextStatus(status, "refund")) return "refund";
  return undefined;
}

/** True when the order can still be paid at `now`. */
export function isPayable(order: { status: OrderStatus; expiresAt: Date }, now: Date): boolean {
  return (
    nextStatus(order.status, "paid") !== undefined && order.expiresAt.getTime() > now.getTime()
  );
}
