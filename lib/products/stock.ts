/**
 * Stock reservations per order (DESIGN.md, "No oversell"). Stock only changes by conditional
 * updates in one transaction per order, product rows touched in ascending id order (so two
 * orders never deadlock on each other), with a reservation row per order (unique orderId) that
 * makes reserve, release and commit idempotent and safe to retry.
 *
 *   reserve ──▶ held ──commit──▶ committed
 *                 │                  │
 *                 └──release──▶ released ◀──release (a refund returns the stock)
 */
import { QueryTypes, UniqueConstraintError, type Sequelize, type Transaction } from "sequelize";
import { withTransaction } from "../db.ts";
import { ConflictError, NotFoundError, UnprocessableError } from "../errors.ts";
import type { ProductModels, ReservationStatus, StockReservation } from "./models.ts";

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

/** The outcome of a change, with the products whose stock moved (their caches must go). */
export interface StockChange<T> {
  result: T;
  changedProductIds: string[];
}

/** Duplicate products merged, in the fixed (ascending id) order rows are locked in. */
export function mergeItems(items: readonly ReserveItem[]): ReserveItem[] {
  const merged = new Map<string, number>();
  for (const { productId, quantity } of items) {
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  }
  return [...merged]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => compareIds(a.productId, b.productId));
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Takes the stock of every item for the order, all or nothing, and records what was taken at
 * which price. A second call for the same order returns the first one's reservation unchanged.
 */
export async function reserve(
  deps: StockDeps,
  orderId: string,
  items: readonly ReserveItem[],
): Promise<StockChange<ReservationView>> {
  const wanted = mergeItems(items);
  try {
    return await retryOnDeadlock(() =>
      withTransaction(deps.sequelize, async (transaction) => {
        const existing = await findReservation(deps, orderId, transaction);
        if (existing) return { result: existing, changedProductIds: [] };
        const reservation = await deps.models.StockReservation.create(
          { orderId, status: "held" },
          { transaction },
        );
        for (let i = 0; i < wanted.length; i += 1) {
          const taken = await changeStock(deps.sequelize, wanted[i], -1, transaction);
          if (!taken) throw await whyNot(deps, wanted.slice(i), transaction);
        }
        const reserved = await priced(deps, wanted, transaction);
        await deps.models.StockReservationItem.bulkCreate(
          reserved.map((item) => ({ ...item, reservationId: reservation.id })),
          { transaction },
        );
        const result: ReservationView = { orderId, status: "held", items: reserved };
        return { result, changedProductIds: wanted.map((w) => w.productId) };
      }),
    );
  } catch (err) {
    // Two calls for one order at once: the second's insert hits the unique orderId.
    if (!(err instanceof UniqueConstraintError)) throw err;
    const existing = await findReservation(deps, orderId);
    if (!existing) throw err;
    return { result: existing, changedProductIds: [] };
  }
}

/** Returns the order's stock unless already released; unknown orders are a no-op ("none"). */
export async function release(
  deps: StockDeps,
  orderId: string,
): Promise<StockChange<{ orderId: string; status: ReservationStatus | "none" }>> {
  return retryOnDeadlock(() =>
    withTransaction(deps.sequelize, async (transaction) => {
      const { StockReservation, StockReservationItem } = deps.models;
      const reservation = await StockReservation.findOne({ where: { orderId }, transaction });
      if (!reservation) return { result: { orderId, status: "none" }, changedProductIds: [] };
      // Only the call that flips the status returns the stock, however many run at once.
      const [flipped] = await StockReservation.update(
        { status: "released" },
        { where: { id: reservation.id, status: ["held", "committed"] }, transaction },
      );
      if (flipped === 0) return { result: { orderId, status: "released" }, changedProductIds: [] };
      const items = await StockReservationItem.findAll({
        where: { reservationId: reservation.id },
        transaction,
      });
      const returned = mergeItems(
        items.map((i) => ({ productId: i.productId, quantity: i.quantity })),
      );
      for (const item of returned) await changeStock(deps.sequelize, item, +1, transaction);
      return {
        result: { orderId, status: "released" },
        changedProductIds: returned.map((i) => i.productId),
      };
    }),
  );
}

/** held → committed: the stock stays gone for good. 409 RESERVATION_RELEASED once released. */
export async function commit(
  deps: StockDeps,
  orderId: string,
): Promise<{ orderId: string; status: "committed" }> {
  return withTransaction(deps.sequelize, async (transaction) => {
    const { StockReservation } = deps.models;
    const [flipped] = await StockReservation.update(
      { status: "committed" },
      { where: { orderId, status: "held" }, transaction },
    );
    if (flipped === 0) {
      const reservation = await StockReservation.findOne({ where: { orderId }, transaction });
      if (!reservation) throw new NotFoundError("Reservation", orderId);
      if (reservation.status === "released") {
        throw new ConflictError(
          "This reservation was released: its stock is no longer held",
          "RESERVATION_RELEASED",
          { orderId },
        );
      }
    }
    return { orderId, status: "committed" };
  });
}

/** The order's reservation, or status "none" (for reconciliation after a crash). */
export async function getReservation(deps: StockDeps, orderId: string): Promise<ReservationView> {
  return (await findReservation(deps, orderId)) ?? { orderId, status: "none", items: [] };
}

async function findReservation(
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
async function changeStock(
  sequelize: Sequelize,
  item: ReserveItem,
  direction: -1 | 1,
  transaction: Transaction,
): Promise<boolean> {
  const sql =
    direction < 0
      ? "UPDATE products SET stock = stock - :quantity, updatedAt = :now " +
        "WHERE id = :id AND stock >= :quantity AND deletedAt IS NULL"
      : "UPDATE products SET stock = stock + :quantity, updatedAt = :now WHERE id = :id";
  const [, affected] = await sequelize.query(sql, {
    replacements: { quantity: item.quantity, id: item.productId, now: new Date() },
    type: QueryTypes.UPDATE,
    transaction,
  });
  return Number(affected) === 1;
}

/** The catalog's name and price of each item, read in the reserving transaction. */
async function priced(
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
async function whyNot(
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

/** InnoDB may still pick a deadlock victim (gap locks); the whole transaction is safe to rerun. */
async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (err) {
      const code = (err as { parent?: { code?: string } }).parent?.code;
      const retryable = code === "ER_LOCK_DEADLOCK" || code === "ER_LOCK_WAIT_TIMEOUT";
      if (!retryable || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
