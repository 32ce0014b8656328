/**
 * Units sold per product (`soldCount`: units of paid orders, less the refunded ones).
 *
 * A paid order's units are counted when its reservation is committed (products.commit, relayed
 * from the orders outbox: at least once) and taken off when they are given back — a refund
 * releases its committed stock (products.release, all units), an approved return restocks the
 * returned units (products.restock); both call `unsell`.
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
 * Units of the order are no longer sold: all of them (a refund), or the `returned` units (a
 * return of some: the rest stay sold). Idempotent for a whole order: a row is taken off once.
 * A partial return runs once per order by its caller's guard (the reservation's flip to
 * `released`, lib/products/stock.ts). Returns the products whose count changed.
 */
export async function unsell(
  sequelize: Sequelize,
  tx: Tx,
  orderId: string,
  returned?: readonly SoldItem[],
): Promise<string[]> {
  const rows = await selectRows<{ productId: unknown; quantity: unknown }>(
    sequelize,
    "SELECT productId, quantity FROM product_sales WHERE orderId = ?",
    [orderId],
    tx,
  );
  const back = returned ? new Map(returned.map((r) => [r.productId, r.quantity])) : undefined;
  const changed: string[] = [];
  for (const row of byProductId(
    rows.map((r) => ({ productId: String(r.productId), quantity: Number(r.quantity) })),
  )) {
    const units = back ? Math.min(row.quantity, back.get(row.productId) ?? 0) : row.quantity;
    if (units <= 0) continue;
    // The write decides: of two releases at once, only the one that changes the row counts.
    const { affectedRows } =
      units === row.quantity
        ? await writeRows(
            sequelize,
            "DELETE FROM product_sales WHERE orderId = ? AND productId = ?",
            [orderId, row.productId],
            tx,
          )
        : await writeRows(
            sequelize,
            "UPDATE product_sales SET quantity = quantity - ? " +
              "WHERE orderId = ? AND productId = ? AND quantity = ?",
            [units, orderId, row.productId, row.quantity],
            tx,
          );
    if (affectedRows === 0) continue;
    await writeRows(
      sequelize,
      "UPDATE products SET soldCount = CASE WHEN soldCount > ? THEN soldCount - ? ELSE 0 END " +
        "WHERE id = ?",
      [units, units, row.productId],
      tx,
    );
    changed.push(row.productId);
  }
  return changed;
}
