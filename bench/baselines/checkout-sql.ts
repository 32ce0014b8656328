/**
 * The SQL of one order as the services send it, statement by statement, for baseline (c).
 * Each block names the function it mirrors, as of the branches merged into main
 * (catalog: lib/carts/lines.ts, lib/products/stock.ts and stock-rows.ts; orders:
 * services/orders/{idempotent,checkout,pay,settle}.ts, lib/orders/idempotency-store.ts,
 * lib/outbox/outbox.ts; payments: services/payments/charge.ts).
 * When one of those changes its statements, change the block here: `npm run bench -- --only sql`
 * with `--explain` (see docs/benchmarks.md) prints what this file sends.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Pool, PoolConnection, ResultSetHeader } from "mysql2/promise";

/** The tables an order touches (cloned, in this order, into the baseline's database). */
export const CHECKOUT_TABLES = [
  "products",
  "cart_items",
  "carts",
  "cart_claims",
  "stock_reservations",
  "stock_reservation_items",
  "idempotency_keys",
  "orders",
  "order_items",
  "order_outbox",
  "order_buyers",
  "payments",
  "payment_outbox",
];

export interface Sql {
  pool: Pool;
  trace?: (statement: string) => void;
}

type Conn = Pool | PoolConnection;

async function q<T = unknown>(sql: Sql, c: Conn, text: string, params: unknown[] = []): Promise<T> {
  sql.trace?.(text);
  const [rows] = await c.query(text, params);
  return rows as T;
}

/** One transaction (START TRANSACTION ... COMMIT), rerun on a deadlock like lib/transactions.ts. */
async function tx<T>(sql: Sql, work: (c: PoolConnection) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const c = await sql.pool.getConnection();
    try {
      await q(sql, c, "START TRANSACTION");
      const result = await work(c);
      await q(sql, c, "COMMIT");
      return result;
    } catch (err) {
      await q(sql, c, "ROLLBACK").catch(() => undefined);
      const errno = (err as { errno?: number }).errno;
      if (attempt >= 4 || (errno !== 1213 && errno !== 1205) || err instanceof Refused) throw err;
    } finally {
      c.release();
    }
  }
}

class Refused extends Error {}

export interface Buyer {
  userId: string;
  productId: string;
  n: number;
}

const ADDRESS = JSON.stringify({
  name: "Bench Buyer",
  phone: "+86 138 0000 0000",
  line1: "1 Bench Road",
  city: "Shanghai",
  country: "CN",
});
const later = (ms: number) => new Date(Date.now() + ms);
const token = () => randomBytes(12).toString("hex");
const hash = (s: string) => createHash("sha256").update(s).digest("hex");

/** products.getMany (lib/products/catalog.ts productSummaries). */
const PRODUCT_SUMMARIES =
  "SELECT id, name, price, currency, stock, picture, merchantId, deletedAt FROM products WHERE id IN (?)";

/**
 * carts.addItem (lib/carts/cart.ts: list, one products.getMany, then lib/carts/lines.ts add: one
 * upsert that enforces the caps itself, no transaction; the answer is built from the list).
 */
async function addToCart(sql: Sql, b: Buyer): Promise<void> {
  const { pool } = sql;
  await q(
    sql,
    pool,
    "SELECT productId, quantity FROM cart_items WHERE userId = ? ORDER BY createdAt, productId",
    [b.userId],
  );
  const [product] = await q<Array<{ stock: number }>>(sql, pool, PRODUCT_SUMMARIES, [
    [b.productId],
  ]);
  const cap = Math.min(99, Number(product?.stock ?? 0));
  await q(
    sql,
    pool,
    "INSERT INTO cart_items (userId, productId, quantity, createdAt, updatedAt) VALUES (?, ?, 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)) " +
      "ON DUPLICATE KEY UPDATE " +
      "updatedAt = IF(quantity + VALUES(quantity) <= ?, VALUES(updatedAt), updatedAt), " +
      "quantity = LAST_INSERT_ID(IF(quantity + VALUES(quantity) <= ?, quantity + VALUES(quantity), quantity))",
    [b.userId, b.productId, cap, cap],
  );
}

/** orders: startRequest (the Idempotency-Key row is the lock, one autocommit) and the resumable-order lookup. */
async function begin(sql: Sql, b: Buyer, scope: string): Promise<string> {
  const key = await q<ResultSetHeader>(
    sql,
    sql.pool,
    "INSERT INTO idempotency_keys (scope, userId, route, requestHash, status, lockedUntil, expiresAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'in_progress', ?, ?, ?, ?)",
    [
      scope,
      b.userId,
      "POST /checkout",
      hash(`${b.n}`),
      later(60_000),
      later(86_400_000),
      new Date(),
      new Date(),
    ],
  );
  await q(sql, sql.pool, "SELECT id FROM orders WHERE checkoutKey = ? LIMIT 1", [scope]);
  return String(key.insertId);
}

interface Placed {
  orderId: string;
  itemId: string;
  reminderId: string;
  price: number;
}

interface CartProduct {
  name: string;
  price: number;
  currency: string;
  stock: number;
}

/** checkout.ts readCart: carts.get (its lines, then products.getMany), before the key is taken. */
async function readCart(sql: Sql, b: Buyer): Promise<CartProduct> {
  await q(
    sql,
    sql.pool,
    "SELECT productId, quantity FROM cart_items WHERE userId = ? ORDER BY createdAt, productId",
    [b.userId],
  );
  const [product] = await q<CartProduct[]>(sql, sql.pool, PRODUCT_SUMMARIES, [[b.productId]]);
  return product;
}

/**
 * checkout.ts refusalOf + refuseIdempotently: a cart that shows too little stock is refused
 * before anything is written; the key is taken with its answer in one insert, unless an earlier
 * run's order carries the key (idempotency-store.ts recordOutcome, `unlessOrder`).
 */
async function refuse(sql: Sql, b: Buyer, scope: string): Promise<void> {
  await q(
    sql,
    sql.pool,
    "INSERT INTO idempotency_keys (scope, userId, route, requestHash, status, lockedUntil, responseStatus, responseBody, expiresAt, createdAt, updatedAt) SELECT ?, ?, ?, ?, 'completed', ?, 409, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM orders WHERE checkoutKey = ?)",
    [
      scope,
      b.userId,
      "POST /checkout",
      hash(`${b.n}`),
      new Date(),
      JSON.stringify({ type: "OUT_OF_STOCK" }),
      later(86_400_000),
      new Date(),
      new Date(),
      scope,
    ],
  );
}

/**
 * checkout.ts placeOrder (with the cart read before the key): the MAX_PENDING_ORDERS shortcut
 * (order-rows.ts pendingOrders), then the order, its line, the reminder.
 */
async function placeOrder(
  sql: Sql,
  b: Buyer,
  scope: string,
  product: CartProduct,
): Promise<Placed> {
  await q(
    sql,
    sql.pool,
    "SELECT COUNT(*) AS n FROM orders WHERE userId = ? AND status = 'pending'",
    [b.userId],
  );
  return tx(sql, async (c) => {
    const order = await q<ResultSetHeader>(
      sql,
      c,
      "INSERT INTO orders (userId, status, currency, total, address, email, checkoutKey, expiresAt, createdAt, updatedAt) VALUES (?, 'reserving', ?, ?, ?, NULL, ?, ?, ?, ?)",
      [
        b.userId,
        product.currency,
        product.price,
        ADDRESS,
        scope,
        later(900_000),
        new Date(),
        new Date(),
      ],
    );
    const orderId = String(order.insertId);
    const item = await q<ResultSetHeader>(
      sql,
      c,
      "INSERT INTO order_items (orderId, productId, name, price, currency, quantity) VALUES (?, ?, ?, ?, ?, 1)",
      [orderId, b.productId, product.name, product.price, product.currency],
    );
    const reminder = await q<ResultSetHeader>(
      sql,
      c,
      "INSERT INTO order_outbox (topic, payload, attempts, nextAttemptAt, createdAt) VALUES ('checkout.reminder', ?, 0, ?, ?)",
      [JSON.stringify({ orderId }), later(60_000), new Date()],
    );
    return {
      orderId,
      itemId: String(item.insertId),
      reminderId: String(reminder.insertId),
      price: product.price,
    };
  });
}

/** A cart's head row locked (lib/carts/head.ts lockCart): an upsert. */
function lockCart(sql: Sql, c: Conn, userId: string) {
  return q(
    sql,
    c,
    "INSERT INTO carts (userId, updatedAt) VALUES (?, UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE updatedAt = VALUES(updatedAt)",
    [userId],
  );
}

/** claim-cart.ts: carts.claim (lib/carts/claims.ts claimCart), one transaction. */
async function claimCart(sql: Sql, b: Buyer, orderId: string): Promise<void> {
  await tx(sql, async (c) => {
    await lockCart(sql, c, b.userId);
    await q(sql, c, "SELECT status FROM cart_claims WHERE orderId = ?", [orderId]);
    await q(
      sql,
      c,
      "SELECT orderId FROM cart_claims WHERE userId = ? AND status = 'claimed' LIMIT 1",
      [b.userId],
    );
    await q(sql, c, "SELECT productId, quantity FROM cart_items WHERE userId = ?", [b.userId]);
    await q(
      sql,
      c,
      "INSERT INTO cart_claims (orderId, userId, status, claimedLines, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)",
      [
        orderId,
        b.userId,
        "claimed",
        JSON.stringify([{ productId: b.productId, quantity: 1 }]),
        new Date(),
        new Date(),
      ],
    );
  });
}

/** products.reserve (lib/products/stock.ts reserve, stock-rows.ts changeStock/priced/whyNot). */
async function reserve(sql: Sql, orderId: string, productId: string): Promise<boolean> {
  try {
    await tx(sql, async (c) => {
      // No read first: a repeat's insert hits the unique orderId.
      const r = await q<ResultSetHeader>(
        sql,
        c,
        "INSERT INTO stock_reservations (orderId, status, createdAt, updatedAt) VALUES (?, 'held', ?, ?)",
        [orderId, new Date(), new Date()],
      );
      const [p] = await q<Array<{ name: string; price: number; currency: string }>>(
        sql,
        c,
        "SELECT id, name, price, currency, maxPerOrder FROM products WHERE id IN (?)",
        [[productId]],
      );
      await q(
        sql,
        c,
        "INSERT INTO stock_reservation_items (reservationId, productId, quantity, name, price, currency) VALUES (?, ?, 1, ?, ?, ?)",
        [r.insertId, productId, p.name, p.price, p.currency],
      );
      // The stock last: the product's row is locked from here to the commit.
      const taken = await q<ResultSetHeader>(
        sql,
        c,
        "UPDATE products SET stock = stock - ?, updatedAt = UTC_TIMESTAMP(3) WHERE id = ? AND stock >= ? AND deletedAt IS NULL",
        [1, productId, 1],
      );
      if (taken.affectedRows !== 1) {
        await q(
          sql,
          c,
          "SELECT id, stock, deletedAt FROM products WHERE id IN (?) LOCK IN SHARE MODE",
          [[productId]],
        );
        throw new Refused("OUT_OF_STOCK");
      }
    });
    return true;
  } catch (err) {
    if (err instanceof Refused) return false;
    throw err;
  }
}

/** Messages written with addOwned, delivered at once (outbox.ts deliverOwned): consume, record. */
async function deliverOwned(sql: Sql, table: string, id: string, consume: () => Promise<void>) {
  await consume();
  await q(
    sql,
    sql.pool,
    `UPDATE ${table} SET deliveredAt = ? WHERE id IN (?) AND deliveredAt IS NULL`,
    [new Date(), [id]],
  );
}

/**
 * checkout.ts reserveStock step 3: under the buyer's lock with the MAX_PENDING_ORDERS count
 * (order-rows.ts lockedPendingOrders), `pending` at the reserved prices and leased to the payment
 * attempt; the lines' prices are unchanged (not rewritten); the cart's clearing queued and
 * delivered at once (carts.removeOrdered: lib/carts/lines.ts removeOrdered, which ends the claim).
 */
async function confirm(sql: Sql, b: Buyer, o: Placed, attemptId: string) {
  const clearId = await tx(sql, async (c) => {
    await q(
      sql,
      c,
      "INSERT INTO order_buyers (userId, updatedAt) VALUES (?, ?) ON DUPLICATE KEY UPDATE updatedAt = VALUES(updatedAt)",
      [b.userId, new Date()],
    );
    await q(sql, c, "SELECT COUNT(*) AS n FROM orders WHERE userId = ? AND status = 'pending'", [
      b.userId,
    ]);
    await q(
      sql,
      c,
      "UPDATE orders SET status = 'pending', total = ?, currency = 'CNY', expiresAt = ?, payingAttempt = ?, payingUntil = ?, updatedAt = ? WHERE id = ? AND status = 'reserving'",
      [o.price, later(900_000), attemptId, later(30_000), new Date(), o.orderId],
    );
    await q(
      sql,
      c,
      "UPDATE order_outbox SET deliveredAt = ? WHERE id IN (?) AND deliveredAt IS NULL",
      [new Date(), [o.reminderId]],
    );
    const m = await q<ResultSetHeader>(
      sql,
      c,
      "INSERT INTO order_outbox (topic, payload, attempts, nextAttemptAt, createdAt) VALUES ('cart.clear', ?, 0, ?, ?)",
      [JSON.stringify({ userId: b.userId, orderId: o.orderId }), later(30_000), new Date()],
    );
    return String(m.insertId);
  });
  await deliverOwned(sql, "order_outbox", clearId, () =>
    // carts.removeOrdered with the order (lib/carts/lines.ts removeOrdered): one transaction.
    tx(sql, async (c) => {
      await lockCart(sql, c, b.userId);
      await q(
        sql,
        c,
        "DELETE FROM cart_items WHERE userId = ? AND productId IN (?) AND updatedAt <= ?",
        [b.userId, [b.productId], new Date()],
      );
      await q(
        sql,
        c,
        "UPDATE cart_claims SET status = 'consumed', updatedAt = ? WHERE orderId = ? AND status = 'claimed'",
        [new Date(), o.orderId],
      );
    }),
  );
}

/**
 * payments charge.ts (the lease was taken with `pending`), settle.ts, the acknowledgement of the
 * capture's report (payments acknowledgeReport, on the payment.settled event), then the commit of
 * the stock (products.commit, one autocommit) delivered at once. The order is not read back.
 */
async function payAndSettle(
  sql: Sql,
  b: Buyer,
  orderId: string,
  amount: number,
  attemptId: string,
) {
  await q(sql, sql.pool, "SELECT id FROM payments WHERE attemptId = ? LIMIT 1", [attemptId]);
  const payment = await tx(sql, async (c) => {
    const p = await q<ResultSetHeader>(
      sql,
      c,
      "INSERT INTO payments (attemptId, orderId, userId, amount, currency, status, declineCode, cardLast4, cardBrand, transactionId, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'CNY', 'captured', NULL, '4242', 'visa', ?, ?, ?)",
      [attemptId, orderId, b.userId, amount, `txn_${token()}`, new Date(), new Date()],
    );
    const m = await q<ResultSetHeader>(
      sql,
      c,
      "INSERT INTO payment_outbox (topic, payload, attempts, nextAttemptAt, createdAt) VALUES ('payment.captured', ?, 0, ?, ?)",
      [JSON.stringify({ payment: { id: String(p.insertId), orderId } }), later(2_000), new Date()],
    );
    return { id: String(p.insertId), reportId: String(m.insertId) };
  });
  const commitId = await tx(sql, async (c) => {
    await q(
      sql,
      c,
      "UPDATE orders SET status = 'paid', paymentId = ?, payment = ?, paidAt = ?, payingAttempt = ?, payingUntil = NULL, updatedAt = ? WHERE id = ? AND status = 'pending'",
      [
        payment.id,
        JSON.stringify({ id: payment.id, status: "captured", amount }),
        new Date(),
        attemptId,
        new Date(),
        orderId,
      ],
    );
    const m = await q<ResultSetHeader>(
      sql,
      c,
      "INSERT INTO order_outbox (topic, payload, attempts, nextAttemptAt, createdAt) VALUES ('stock.commit', ?, 0, ?, ?)",
      [JSON.stringify({ orderId }), later(30_000), new Date()],
    );
    return String(m.insertId);
  });
  await Promise.all([
    q(
      sql,
      sql.pool,
      "UPDATE payment_outbox SET deliveredAt = ? WHERE id = ? AND topic = 'payment.captured' AND deliveredAt IS NULL",
      [new Date(), payment.reportId],
    ),
    deliverOwned(sql, "order_outbox", commitId, async () => {
      await q(
        sql,
        sql.pool,
        "UPDATE stock_reservations SET status = 'committed', updatedAt = ? WHERE orderId = ? AND status = 'held'",
        [new Date(), orderId],
      );
    }),
  ]);
  return payment;
}

/** finishRequest: the outcome stored for replays (one autocommit). */
async function finish(sql: Sql, keyId: string, status: number, body: unknown) {
  await q(
    sql,
    sql.pool,
    "UPDATE idempotency_keys SET status = 'completed', responseStatus = ?, responseBody = ?, updatedAt = ? WHERE id = ? AND status = 'in_progress'",
    [status, JSON.stringify(body), new Date(), keyId],
  );
}

/** Add to cart, then POST /api/checkout with a card: the order ends `paid`. */
export async function checkoutOrder(sql: Sql, b: Buyer): Promise<string> {
  await addToCart(sql, b);
  return purchase(sql, b);
}

/** A flash-sale buyer (cart filled beforehand): `paid`, or refused as OUT_OF_STOCK. */
export async function flashPurchase(
  sql: Sql,
  b: Buyer,
  opts: { fillCart: boolean },
): Promise<string> {
  if (opts.fillCart) await addToCart(sql, b);
  return purchase(sql, b);
}

async function purchase(sql: Sql, b: Buyer): Promise<string> {
  const scope = hash(`${b.userId}|POST /checkout|${b.n}-${token()}`);
  const product = await readCart(sql, b);
  if (product.stock < 1) {
    await refuse(sql, b, scope);
    return "out-of-stock";
  }
  const keyId = await begin(sql, b, scope);
  const order = await placeOrder(sql, b, scope, product);
  await claimCart(sql, b, order.orderId);
  if (!(await reserve(sql, order.orderId, b.productId))) {
    // checkout.ts failCheckout: `failed`, the reminder acknowledged, no stock to release; the
    // cart's claim released (queued, delivered at once: lib/carts/claims.ts releaseClaim).
    const releaseId = await tx(sql, async (c) => {
      await q(
        sql,
        c,
        "UPDATE orders SET status = 'failed', closedAt = ?, updatedAt = ? WHERE id = ? AND status = 'reserving'",
        [new Date(), new Date(), order.orderId],
      );
      await q(
        sql,
        c,
        "UPDATE order_outbox SET deliveredAt = ? WHERE id IN (?) AND deliveredAt IS NULL",
        [new Date(), [order.reminderId]],
      );
      const m = await q<ResultSetHeader>(
        sql,
        c,
        "INSERT INTO order_outbox (topic, payload, attempts, nextAttemptAt, createdAt) VALUES ('cart.release', ?, 0, ?, ?)",
        [JSON.stringify({ orderId: order.orderId, userId: b.userId }), later(30_000), new Date()],
      );
      return String(m.insertId);
    });
    await deliverOwned(sql, "order_outbox", releaseId, () =>
      tx(sql, async (c) => {
        await lockCart(sql, c, b.userId);
        await q(sql, c, "SELECT status FROM cart_claims WHERE orderId = ?", [order.orderId]);
        await q(sql, c, "UPDATE cart_claims SET status = ?, updatedAt = ? WHERE orderId = ?", [
          "released",
          new Date(),
          order.orderId,
        ]);
      }),
    );
    await finish(sql, keyId, 409, { type: "OUT_OF_STOCK" });
    return "out-of-stock";
  }
  const attemptId = hash(`${scope}:${order.orderId}`);
  await confirm(sql, b, order, attemptId);
  await payAndSettle(sql, b, order.orderId, order.price, attemptId);
  await finish(sql, keyId, 201, { id: order.orderId, status: "paid" });
  return "paid";
}
