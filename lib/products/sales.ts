/**
 * Units sold per product (`soldCount`: units in paid, shipped and completed orders).
 *
 * A paid order's units are counted when its reservation is committed (products.commit, relayed
 * from the orders outbox: at least once) and taken off when the order leaves the sold states — a
 * refund releases its committed stock (products.release), an approved return calls `unsell`.
 * Each (order, product) is a row of `product_sales`, written in the same transaction as the
 * counter: a replayed message finds its row there (or gone) and changes nothing, so counting is
 * idempotent however often a message arrives.
 */
import type { Sequelize } from "sequelize";
import { placeholders, selectRows, writeRows, type Tx } from "../sql.ts";

export interface SoldItem {
  productId: string;
  quantity: number;
}

/** `INSERT IGNORE` in both dialects: a row already there is left as it is (affectedRows 0). */
function insertIgnore(sequelize: Sequelize): string {
  return sequelize.getDialect() === "sqlite" ? "INSERT OR IGNORE" : "INSERT IGNORE";
}

/** In ascending id order, like every other write to product rows (no deadlocks). */
function byProductId(items: readonly SoldItem[]): SoldItem[] {
  return [...items].sort(
    (a, b) => a.productId.length - b.productId.length || (a.productId < b.productId ? -1 : 1),
  );
}

/**
 * Counts the order's units as sold, once per (order, product); returns the products whose count
 * changed (their cached views are stale).
 */
export async function recordSale(
  sequelize: Sequelize,
  tx: Tx,
  orderId: string,
  items: readonly SoldItem[],
): Promise<string[]> {
  const changed: string[] = [];
  const now = new Date();
  for (const item of byProductId(items)) {
    const { affectedRows } = await writeRows(
      sequelize,
      `${insertIgnore(sequelize)} INTO product_sales (orderId, productId, quantity, createdAt) ` +
        `VALUES (${placeholders(4)})`,
      [orderId, item.productId, item.quantity, now],
      tx,
    );
    if (affectedRows === 0) continue;
    await writeRows(
      sequelize,
      "UPDATE products SET soldCount = soldCount + ? WHERE id = ?",
      [item.quantity, item.productId],
      tx,
    );
    changed.push(item.productId);
  }
  return changed;
}

/**
 * The order left the sold states (refunded, returned): its units are no longer sold. Only the
 * given products when `productIds` is set (a return of some lines). Idempotent: a row is taken
 * off once. Returns the products whose count changed.
 */
export async function unsell(
  sequelize: Sequelize,
  tx: Tx,
  orderId: string,
  productIds?: readonly string[],
): Promise<string[]> {
  const rows = await selectRows<{ productId: unknown; quantity: unknown }>(
    sequelize,
    "SELECT productId, quantity FROM product_sales WHERE orderId = ?",
    [orderId],
    tx,
  );
  const wanted = productIds ? new Set(productIds) : undefined;
  const sold = rows
    .map((r) => ({ productId: String(r.productId), quantity: Number(r.quantity) }))
    .filter((r) => !wanted || wanted.has(r.productId));
  const changed: string[] = [];
  for (const item of byProductId(sold)) {
    // The delete decides: of two releases at once, only the one that removes the row counts.
    const { affectedRows } = await writeRows(
      sequelize,
      "DELETE FROM product_sales WHERE orderId = ? AND productId = ?",
      [orderId, item.productId],
      tx,
    );
    if (affectedRows === 0) continue;
    await writeRows(
      sequelize,
      "UPDATE products SET soldCount = CASE WHEN soldCount > ? THEN soldCount - ? ELSE 0 END " +
        "WHERE id = ?",
      [item.quantity, item.quantity, item.productId],
      tx,
    );
    changed.push(item.productId);
  }
  return changed;
}
