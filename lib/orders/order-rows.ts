/**
 * The statements of a checkout on the orders tables, as raw SQL through the driver (lib/sql.ts):
 * a checkout is the hottest write path, and these replace Model.create/update calls whose
 * instance building, validation and SQL generation cost more CPU than the round trips.
 * Everything else about orders (listing, cancelling, sweeping) stays on the models.
 */
import type { Sequelize } from "sequelize";
import { insertRow, lockingRead, placeholders, selectRows, writeRows, type Tx } from "../sql.ts";
import type { OrderLine } from "./cart.ts";
import type { Order, OrderModels, PaymentSummary } from "./models.ts";

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
      "expiresAt, createdAt, updatedAt) VALUES (?, 'reserving', ?, ?, ?, ?, ?, ?, ?, ?)",
    [
      order.userId,
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
  const row = `(${placeholders(6)})`;
  await writeRows(
    sequelize,
    "INSERT INTO order_items (orderId, productId, name, price, currency, quantity) VALUES " +
      lines.map(() => row).join(", "),
    lines.flatMap((l) => [id, l.productId, l.name, l.price, l.currency, l.quantity]),
    tx,
  );
  return Orders.build(
    {
      ...order,
      id,
      status: "reserving",
      paymentId: null,
      payment: null,
      payingAttempt: null,
      payingUntil: null,
      cancelReason: null,
      paidAt: null,
      closedAt: null,
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

/** The step to `pending` at the reserved prices (and, given one, leased to a payment attempt). */
export interface PendingChanges {
  status: "pending";
  total: number;
  currency: string;
  expiresAt: Date;
  payingAttempt?: string;
  payingUntil?: Date;
  updatedAt: Date;
}

/** reserving → pending; false when the order is no longer `reserving`. */
export async function markPending(
  sequelize: Sequelize,
  tx: Tx,
  orderId: string,
  c: PendingChanges,
): Promise<boolean> {
  const lease = c.payingAttempt !== undefined;
  const { affectedRows } = await writeRows(
    sequelize,
    "UPDATE orders SET status = 'pending', total = ?, currency = ?, expiresAt = ?, " +
      (lease ? "payingAttempt = ?, payingUntil = ?, " : "") +
      "updatedAt = ? WHERE id = ? AND status = 'reserving'",
    [
      c.total,
      c.currency,
      c.expiresAt,
      ...(lease ? [c.payingAttempt, c.payingUntil] : []),
      c.updatedAt,
      orderId,
    ],
    tx,
  );
  return affectedRows === 1;
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

/** What a settled capture writes to its order. */
export interface PaidChanges {
  status: "paid";
  paymentId: string;
  payment: PaymentSummary;
  paidAt: Date;
  payingAttempt: string;
  payingUntil: null;
  updatedAt: Date;
}

/** pending → paid; false when the order is no longer `pending`. */
export async function markPaid(
  sequelize: Sequelize,
  tx: Tx,
  orderId: string,
  c: PaidChanges,
): Promise<boolean> {
  const { affectedRows } = await writeRows(
    sequelize,
    "UPDATE orders SET status = 'paid', paymentId = ?, payment = ?, paidAt = ?, " +
      "payingAttempt = ?, payingUntil = NULL, updatedAt = ? WHERE id = ? AND status = 'pending'",
    [c.paymentId, JSON.stringify(c.payment), c.paidAt, c.payingAttempt, c.updatedAt, orderId],
    tx,
  );
  return affectedRows === 1;
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
