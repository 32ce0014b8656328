/**
 * The statements of a checkout on the orders tables, as raw SQL through the driver (lib/sql.ts):
 * a checkout is the hottest write path, and these replace Model.create/update calls whose
 * instance building, validation and SQL generation cost more CPU than the round trips.
 * Every status change of an order is `applyTransition`. Reads (listing) stay on the models.
 */
import type { ServiceBroker } from "moleculer";
import type { Sequelize } from "sequelize";
import { countOrderTransition } from "../observability/metrics.ts";
import { insertRow, lockingRead, placeholders, selectRows, writeRows, type Tx } from "../sql.ts";
import type { OrderLine } from "./cart.ts";
import type { Order, OrderModels } from "./models.ts";
import { INITIAL_STATUS, needs, transition, type OrderEvent, type OrderStatus } from "./state.ts";

/** What a new order is written with; the rest of its columns start empty. */
export interface NewOrder {
  userId: string;
  currency: string;
  total: number;
  address: Order["address"];
  email: string | null;
  checkoutKey: string;
  expiresAt: Date;
}

/** Writes the order `reserving` with its lines; returns it as a model instance (not re-read). */
export async function insertOrder(
  sequelize: Sequelize,
  Orders: OrderModels["Order"],
  tx: Tx,
  order: NewOrder,
  lines: readonly OrderLine[],
): Promise<Order> {
  const now = new Date();
  const id = await insertRow(
    sequelize,
    "INSERT INTO orders (userId, status, currency, total, address, email, checkoutKey, " +
      "expiresAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [
      order.userId,
      INITIAL_STATUS,
      order.currency,
      order.total,
      JSON.stringify(order.address),
      order.email,
      order.checkoutKey,
      order.expiresAt,
      now,
      now,
    ],
    tx,
  );
  const row = `(${placeholders(7)})`;
  await writeRows(
    sequelize,
    "INSERT INTO order_items (orderId, productId, name, price, currency, quantity, merchantId) " +
      "VALUES " +
      lines.map(() => row).join(", "),
    lines.flatMap((l) => [
      id,
      l.productId,
      l.name,
      l.price,
      l.currency,
      l.quantity,
      l.merchantId ?? null,
    ]),
    tx,
  );
  return Orders.build(
    {
      ...order,
      id,
      status: INITIAL_STATUS,
      paymentId: null,
      payment: null,
      payingAttempt: null,
      payingUntil: null,
      cancelReason: null,
      paidAt: null,
      closedAt: null,
      shippedAt: null,
      completedAt: null,
      carrier: null,
      trackingNumber: null,
      createdAt: now,
      updatedAt: now,
    },
    // raw: as the row was written (createdAt and updatedAt are not settable otherwise).
    { isNewRecord: false, raw: true },
  );
}

/** The id of the order a checkout's key made, if any. */
export async function orderIdByCheckoutKey(
  sequelize: Sequelize,
  checkoutKey: string,
): Promise<string | null> {
  const [row] = await selectRows<{ id: unknown }>(
    sequelize,
    "SELECT id FROM orders WHERE checkoutKey = ? LIMIT 1",
    [checkoutKey],
  );
  return row ? String(row.id) : null;
}

/** A line's name and price as reserved, where they differ from what the cart showed. */
export async function repriceLine(
  sequelize: Sequelize,
  tx: Tx,
  orderId: string,
  line: OrderLine,
): Promise<void> {
  await writeRows(
    sequelize,
    "UPDATE order_items SET name = ?, price = ?, currency = ? WHERE orderId = ? AND productId = ?",
    [line.name, line.price, line.currency, orderId, line.productId],
    tx,
  );
}

/** Order columns written by a transition besides its own (ids, amounts, leases, JSON). */
export type OrderColumns = Record<string, string | number | Date | object | null>;

/** What an applied transition wrote: the status and every other column (the row as written). */
export type OrderChanges = { status: OrderStatus } & Record<string, unknown>;

export interface ApplyOptions {
  /** Columns written with the transition besides those of its event (objects as JSON). */
  set?: OrderColumns;
  /** Further conditions ANDed to the status guard: SQL with `?` and their values. */
  where?: { sql: string; values: unknown[] };
  now?: Date;
  /** The order's status as the caller read it: required by a remembering event (requestReturn). */
  current?: OrderStatus;
  /** The remembered status a PREVIOUS event (rejectReturn) goes back to: required by it. */
  previous?: OrderStatus;
  /** Counts the transition on this broker's order-transition metric when it applies. */
  broker?: ServiceBroker;
}

/**
 * Applies `event` to the order inside `tx` (lib/orders/state.ts decides its status, source
 * statuses and stamps): one `UPDATE orders … WHERE id = ? AND status IN (…)`. Returns what it
 * wrote when it matched the row, undefined when the order was in no source status (or failed
 * `where`): the event did not apply. The one statement that changes an order's status.
 */
export async function applyTransition(
  sequelize: Sequelize,
  tx: Tx,
  orderId: string,
  event: OrderEvent,
  opts: ApplyOptions = {},
): Promise<OrderChanges | undefined> {
  const need = needs(event);
  if ((need.current && !opts.current) || (need.previous && !opts.previous)) {
    throw new Error(
      `The ${event} event needs the order's ${need.current ? "current" : "previous"} status`,
    );
  }
  const t = transition(event, opts.current, opts.now, opts.previous);
  if (!t) return undefined;
  const changes: OrderChanges = { status: t.to, ...opts.set, ...t.set };
  const columns = Object.keys(changes);
  for (const c of columns) if (!/^[A-Za-z]+$/.test(c)) throw new Error(`Bad column ${c}`);
  const values = columns.map((c) => columnValue(changes[c]));
  const remembered = t.guard ? ` AND ${t.guard.column} = ?` : "";
  const guard = opts.where ? ` AND (${opts.where.sql})` : "";
  const { affectedRows } = await writeRows(
    sequelize,
    `UPDATE orders SET ${columns.map((c) => `${c} = ?`).join(", ")} ` +
      `WHERE id = ? AND status IN (${placeholders(t.from.length)})${remembered}${guard}`,
    [
      ...values,
      orderId,
      ...t.from,
      ...(t.guard ? [t.guard.value] : []),
      ...(opts.where?.values ?? []),
    ],
    tx,
  );
  if (affectedRows !== 1) return undefined;
  if (opts.broker) countOrderTransition(opts.broker, t.metric.from, t.metric.to);
  return changes;
}

function columnValue(v: unknown): unknown {
  return v !== null && typeof v === "object" && !(v instanceof Date) ? JSON.stringify(v) : v;
}

/** The payment an order was paid with, read with a lock (the latest committed row). */
export async function lockedPaymentId(
  sequelize: Sequelize,
  tx: Tx,
  orderId: string,
): Promise<string | null | undefined> {
  const [row] = await selectRows<{ paymentId: string | null }>(
    sequelize,
    `SELECT paymentId FROM orders WHERE id = ?${lockingRead(sequelize, "update")}`,
    [orderId],
    tx,
  );
  return row ? row.paymentId : undefined;
}

/**
 * The buyer's `pending` orders, counted under the lock of the buyer's row in `order_buyers`
 * (taken by an upsert, held until `tx` ends): concurrent checkouts of one buyer count and step
 * to `pending` one after the other, so the MAX_PENDING_ORDERS cap holds.
 */
export async function lockedPendingOrders(
  sequelize: Sequelize,
  tx: Tx,
  userId: string,
): Promise<number> {
  const sqlite = sequelize.getDialect() === "sqlite";
  await writeRows(
    sequelize,
    sqlite
      ? "INSERT INTO order_buyers (userId, updatedAt) VALUES (?, ?) " +
          "ON CONFLICT (userId) DO UPDATE SET updatedAt = excluded.updatedAt"
      : "INSERT INTO order_buyers (userId, updatedAt) VALUES (?, ?) " +
          "ON DUPLICATE KEY UPDATE updatedAt = VALUES(updatedAt)",
    [userId, new Date()],
    tx,
  );
  return pendingOrders(sequelize, userId, tx);
}

/** The buyer's `pending` orders (a plain read, unless in a transaction that locked the buyer). */
export async function pendingOrders(sequelize: Sequelize, userId: string, tx?: Tx) {
  const [row] = await selectRows<{ n: unknown }>(
    sequelize,
    "SELECT COUNT(*) AS n FROM orders WHERE userId = ? AND status = 'pending'",
    [userId],
    tx,
  );
  return Number(row?.n ?? 0);
}
