/** The row-level steps of stock reservations (lib/products/stock.ts). */
import { QueryTypes, type Sequelize, type Transaction } from "sequelize";
import { ConflictError, NotFoundError, UnprocessableError } from "../errors.ts";
import type { StockReservation } from "./models.ts";
import type { ReservationView, ReservedItem, ReserveItem, StockDeps } from "./stock.ts";

export async function findReservation(
  deps: StockDeps,
  orderId: string,
  transaction?: Transaction,
): Promise<ReservationView | null> {
  const reservation: StockReservation | null = await deps.models.StockReservation.findOne({
    where: { orderId },
    transaction,
  });
  if (!reservation) return null;
  const items = await deps.models.StockReservationItem.findAll({
    where: { reservationId: reservation.id },
    order: [["productId", "ASC"]],
    transaction,
  });
  return {
    orderId,
    status: reservation.status,
    items: items.map((i) => ({
      productId: i.productId,
      quantity: i.quantity,
      name: i.name,
      price: Number(i.price),
      currency: i.currency,
    })),
  };
}

/** One conditional update: takes (-1) only what is there of a live product, or gives back (+1). */
export async function changeStock(
  sequelize: Sequelize,
  item: ReserveItem,
  direction: -1 | 1,
  transaction: Transaction,
): Promise<boolean> {
  // MariaDB/MySQL's own clock keeps the milliseconds a Date replacement would lose there.
  const now = sequelize.getDialect() === "sqlite" ? ":now" : "UTC_TIMESTAMP(3)";
  const sql =
    direction < 0
      ? `UPDATE products SET stock = stock - :quantity, updatedAt = ${now} ` +
        "WHERE id = :id AND stock >= :quantity AND deletedAt IS NULL"
      : `UPDATE products SET stock = stock + :quantity, updatedAt = ${now} WHERE id = :id`;
  const [, affected] = await sequelize.query(sql, {
    replacements: { quantity: item.quantity, id: item.productId, now: new Date() },
    type: QueryTypes.UPDATE,
    transaction,
  });
  return Number(affected) === 1;
}

/** The catalog's name and price of each item, read in the reserving transaction. */
export async function priced(
  deps: StockDeps,
  items: readonly ReserveItem[],
  transaction: Transaction,
): Promise<ReservedItem[]> {
  const rows = await deps.models.Product.findAll({
    where: { id: items.map((i) => i.productId) },
    attributes: ["id", "name", "price", "currency"],
    transaction,
    // A locking read sees the latest committed row (these rows are already ours to change).
    lock: transaction.LOCK.UPDATE,
  });
  const byId = new Map(rows.map((p) => [p.id, p]));
  return items.map((item) => {
    const p = byId.get(item.productId)!;
    return { ...item, name: p.name, price: Number(p.price), currency: p.currency };
  });
}

/** Why the first of `rest` could not be taken: 404, 422 PRODUCT_UNAVAILABLE or 409 OUT_OF_STOCK. */
export async function whyNot(
  deps: StockDeps,
  rest: readonly ReserveItem[],
  transaction: Transaction,
): Promise<Error> {
  const rows = await deps.models.Product.findAll({
    where: { id: rest.map((i) => i.productId) },
    attributes: ["id", "stock", "deletedAt"],
    transaction,
    lock: transaction.LOCK.SHARE,
  });
  const byId = new Map(rows.map((p) => [p.id, p]));
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
