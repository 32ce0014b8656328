/** The row-level steps of stock reservations (lib/products/stock.ts). */
import type { Sequelize } from "sequelize";
import { ConflictError, NotFoundError, UnprocessableError } from "../errors.ts";
import { insertRow, lockingRead, placeholders, selectRows, writeRows, type Tx } from "../sql.ts";
import type { ProductModels, ReservationStatus } from "./models.ts";

export interface StockDeps {
  sequelize: Sequelize;
  models: ProductModels;
}

export interface ReserveItem {
  productId: string;
  quantity: number;
}

export interface ReservedItem extends ReserveItem {
  name: string;
  price: number;
  currency: string;
}

export interface ReservationView {
  orderId: string;
  status: ReservationStatus | "none";
  items: ReservedItem[];
}

export async function findReservation(
  deps: StockDeps,
  orderId: string,
  tx?: Tx,
): Promise<ReservationView | null> {
  const [reservation] = await selectRows<{ id: unknown; status: ReservationStatus }>(
    deps.sequelize,
    "SELECT id, status FROM stock_reservations WHERE orderId = ? LIMIT 1",
    [orderId],
    tx,
  );
  if (!reservation) return null;
  const items = await selectRows<ItemRow>(
    deps.sequelize,
    "SELECT productId, quantity, name, price, currency FROM stock_reservation_items " +
      "WHERE reservationId = ? ORDER BY productId",
    [reservation.id],
    tx,
  );
  return { orderId, status: reservation.status, items: items.map(reservedItem) };
}

interface ItemRow {
  productId: unknown;
  quantity: unknown;
  name: string;
  price: unknown;
  currency: string;
}

function reservedItem(i: ItemRow): ReservedItem {
  return {
    productId: String(i.productId),
    quantity: Number(i.quantity),
    name: i.name,
    price: Number(i.price),
    currency: i.currency,
  };
}

/** The reservation row of a new reservation; returns its id. */
export async function insertReservation(deps: StockDeps, tx: Tx, orderId: string) {
  const now = new Date();
  return insertRow(
    deps.sequelize,
    "INSERT INTO stock_reservations (orderId, status, createdAt, updatedAt) VALUES (?, 'held', ?, ?)",
    [orderId, now, now],
    tx,
  );
}

/** What a reservation took, at which price (one statement for all its items). */
export async function insertReservedItems(
  deps: StockDeps,
  tx: Tx,
  reservationId: string,
  items: readonly ReservedItem[],
): Promise<void> {
  const row = `(${placeholders(6)})`;
  await writeRows(
    deps.sequelize,
    "INSERT INTO stock_reservation_items (reservationId, productId, quantity, name, price, " +
      `currency) VALUES ${items.map(() => row).join(", ")}`,
    items.flatMap((i) => [reservationId, i.productId, i.quantity, i.name, i.price, i.currency]),
    tx,
  );
}

/** One conditional update: takes (-1) only what is there of a live product, or gives back (+1). */
export async function changeStock(
  sequelize: Sequelize,
  item: ReserveItem,
  direction: -1 | 1,
  tx: Tx,
): Promise<boolean> {
  const sqlite = sequelize.getDialect() === "sqlite";
  // MariaDB/MySQL's own clock; SQLite stores dates as Sequelize writes them.
  const now = sqlite ? "?" : "UTC_TIMESTAMP(3)";
  const stamp = sqlite ? [new Date()] : [];
  const { affectedRows } =
    direction < 0
      ? await writeRows(
          sequelize,
          `UPDATE products SET stock = stock - ?, updatedAt = ${now} ` +
            "WHERE id = ? AND stock >= ? AND deletedAt IS NULL",
          [item.quantity, ...stamp, item.productId, item.quantity],
          tx,
        )
      : await writeRows(
          sequelize,
          `UPDATE products SET stock = stock + ?, updatedAt = ${now} WHERE id = ?`,
          [item.quantity, ...stamp, item.productId],
          tx,
        );
  return affectedRows === 1;
}

/**
 * The catalog's name and price of each item (undefined: no such product), read in the reserving
 * transaction before its stock is taken: a plain read, so that it locks nothing.
 */
export async function priced(
  deps: StockDeps,
  items: readonly ReserveItem[],
  tx: Tx,
): Promise<Array<ReservedItem | undefined>> {
  const rows = await selectRows<{
    id: unknown;
    name: string;
    price: unknown;
    currency: string;
    maxPerOrder: unknown;
  }>(
    deps.sequelize,
    "SELECT id, name, price, currency, maxPerOrder FROM products WHERE id IN (?)",
    [items.map((i) => i.productId)],
    tx,
  );
  const byId = new Map(rows.map((p) => [String(p.id), p]));
  const over = items.flatMap((item) => {
    const max = Number(byId.get(item.productId)?.maxPerOrder ?? Infinity);
    return item.quantity > max
      ? [{ productId: item.productId, requested: item.quantity, max }]
      : [];
  });
  if (over.length > 0) {
    throw new UnprocessableError(
      `An order may take at most ${over[0].max} of this product`,
      "QUANTITY_LIMIT",
      over,
    );
  }
  return items.map((item) => {
    const p = byId.get(item.productId);
    return p && { ...item, name: p.name, price: Number(p.price), currency: p.currency };
  });
}

/** Orders whose reservation is still `held` though made before `before` (for reconciliation). */
export async function heldBefore(deps: StockDeps, before: Date, limit: number): Promise<string[]> {
  const rows = await selectRows<{ orderId: string }>(
    deps.sequelize,
    "SELECT orderId FROM stock_reservations WHERE status = 'held' AND createdAt < ? " +
      "ORDER BY createdAt LIMIT ?",
    [before, limit],
  );
  return rows.map((r) => String(r.orderId));
}

/** Why the first of `rest` could not be taken: 404, 422 PRODUCT_UNAVAILABLE or 409 OUT_OF_STOCK. */
export async function whyNot(
  deps: StockDeps,
  rest: readonly ReserveItem[],
  tx: Tx,
): Promise<Error> {
  const rows = await selectRows<{ id: unknown; stock: unknown; deletedAt: unknown }>(
    deps.sequelize,
    "SELECT id, stock, deletedAt FROM products WHERE id IN (?)" +
      lockingRead(deps.sequelize, "share"),
    [rest.map((i) => i.productId)],
    tx,
  );
  const byId = new Map(rows.map((p) => [String(p.id), p]));
  const first = byId.get(rest[0].productId);
  if (!first) return new NotFoundError("Product", rest[0].productId);
  if (first.deletedAt !== null) {
    return new UnprocessableError("This product is no longer sold", "PRODUCT_UNAVAILABLE", {
      productId: rest[0].productId,
    });
  }
  const short = rest.flatMap((item) => {
    const p = byId.get(item.productId);
    const available = p && p.deletedAt === null ? Number(p.stock) : 0;
    return available < item.quantity
      ? [{ productId: item.productId, requested: item.quantity, available }]
      : [];
  });
  if (short.length === 0) {
    // Stock came back between the failed update and this read: report the item as it failed.
    short.push({
      productId: rest[0].productId,
      requested: rest[0].quantity,
      available: Number(first.stock),
    });
  }
  return new ConflictError("Not enough stock", "OUT_OF_STOCK", short);
}
